package main

import (
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/audit"
	"github.com/certgate/certgate/lint/format"
	pipeline "github.com/certgate/certgate/lint/run"
)

func (a *app) auditCmd() *cobra.Command {
	var flags evalFlags
	var lf lintFlags
	cmd := &cobra.Command{
		Use:   "audit [PATH...]",
		Short: "Write the diligence audit report for compose files, charts and manifests",
		Long: `Write the diligence audit report: for each diligence finding ID (SEC-H1,
SEC-H3, SEC-M4, DEPL-H1, DEPL-M2, DEPL-M3, SEC-M3, SEC-M5, SEC-L1, SEC-L2,
SEC-L3) and every other rule of the catalog, whether the given inputs comply
(fail: an error; warn: warnings only; pass: judged, nothing found;
carve-out; not covered), the evidence, the rationale, the
operator action and the carve-outs in force; plus the files given (compose,
env, values, manifest and chart files, never rendered output) with their
sha256, the certgate version, the catalog digest, the target release and the
report time (--now or SOURCE_DATE_EPOCH, so identical inputs give identical
bytes). The exit code is the one certgate lint would return.`,
		Example: `  certgate audit . --format html --output audit.html --now 2026-11-27T00:00:00Z
  SOURCE_DATE_EPOCH=1795737600 certgate audit compose/ --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(format.AuditNames(), flags.format) {
				return usageError("--format %q: want one of %s", flags.format, strings.Join(format.AuditNames(), ", "))
			}
			r, failOn, _, err := a.pathRunner(&flags, lf)
			if err != nil {
				return err
			}
			res, err := r.Run(cmd.Context(), args)
			if err != nil {
				return runError(err)
			}
			desc, err := auditRun(res, failOn)
			if err != nil {
				return err
			}
			wr, err := format.NewAudit(flags.format, desc)
			if err != nil {
				return usageError("--format: %v", err)
			}
			if err := emit(a.out, flags.output, func(w io.Writer) error { return runError(wr.Write(w, res.Report)) }); err != nil {
				return err
			}
			return exitFor(res.Report, failOn)
		},
	}
	flags.register(cmd.Flags(), false)
	cmd.Flags().StringVarP(&flags.format, "format", "o", "html", "report format: "+strings.Join(format.AuditNames(), ", "))
	cmd.Flags().StringVar(&flags.output, "output", "", "write the report to this file instead of stdout")
	lf.register(cmd)
	return cmd
}

// auditRun describes res to the audit view: runFor's description with the
// digest, clock, --fail-on, input, carve-outs and rendered charts' own files.
func auditRun(res *pipeline.Result, failOn lint.Severity) (format.Run, error) {
	desc := runFor(res)
	desc.Digest, desc.Now, desc.FailOn, desc.Input = res.Engine.Digest(), res.Now, failOn, res.Input
	desc.Carveouts, desc.Applied = res.Described(), res.Carveouts != nil
	files, err := res.ChartFiles()
	for _, f := range files {
		desc.ChartFiles = append(desc.ChartFiles, format.File{Path: f.Path, Kind: audit.FileChart, SHA256: f.SHA256})
	}
	return desc, runError(err)
}
