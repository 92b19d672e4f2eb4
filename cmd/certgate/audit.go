package main

import (
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint/audit"
	"github.com/certgate/certgate/lint/load"
)

func (a *app) auditCmd() *cobra.Command {
	var flags evalFlags
	var lf lintFlags
	var formatName, output string
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
			if !slices.Contains(audit.Formats(), formatName) {
				return usageError("--format %q: want one of %s", formatName, strings.Join(audit.Formats(), ", "))
			}
			r, failOn, _, err := a.pathRunner(&flags, lf)
			if err != nil {
				return err
			}
			res, err := r.Run(cmd.Context(), args)
			if err != nil {
				return runError(err)
			}
			p := audit.Params{
				Report: res.Report, Input: res.Input, Policies: res.Engine.Policies(), Digest: res.Engine.Digest(),
				Version: version, Now: res.Now, FailOn: failOn, Applied: res.Carveouts != nil,
				Carveouts: res.Described(),
			}
			files, err := load.ChartFiles(audit.ChartDirs(res.Input))
			if err != nil {
				return inputError(err)
			}
			for _, f := range files {
				p.ChartFiles = append(p.ChartFiles, audit.Input{Path: f.Path, Kind: audit.KindChart, SHA256: f.SHA256})
			}
			err = emit(a.out, output, func(w io.Writer) error {
				if err := audit.Render(w, formatName, audit.Build(p)); err != nil {
					return inputError(err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			return exitFor(res.Report, failOn)
		},
	}
	flags.register(cmd.Flags(), false)
	cmd.Flags().StringVarP(&formatName, "format", "o", "html", "report format: "+strings.Join(audit.Formats(), ", "))
	cmd.Flags().StringVar(&output, "output", "", "write the report to this file instead of stdout")
	lf.register(cmd)
	return cmd
}
