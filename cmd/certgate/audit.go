package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint/audit"
	"github.com/certgate/certgate/lint/waiver"
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
(pass, fail, carve-out, not covered), the evidence, the rationale, the
operator action and the carve-outs in force; plus the inputs with their
sha256, the certgate version, the catalog digest, the target release and the
report time (--now or SOURCE_DATE_EPOCH, so identical inputs give identical
bytes). The exit code is the one certgate lint would return.`,
		Example: `  certgate audit . --format html --output audit.html --now 2026-11-27T00:00:00Z
  SOURCE_DATE_EPOCH=1795737600 certgate audit compose/ --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(audit.Formats(), formatName) {
				return usageError("--format %q: want one of %s", formatName, strings.Join(audit.Formats(), ", "))
			}
			r, err := flags.resolve(cmd.Context(), a.environ())
			if err != nil {
				return err
			}
			in, cfg, root, err := a.loadInput(cmd.Context(), args, lf, r)
			if err != nil {
				return err
			}
			report, set, err := evaluate(cmd.Context(), r, in, cfg, root, lf.noWaivers)
			if err != nil {
				return err
			}
			p := audit.Params{
				Report: report, Input: in, Policies: r.engine.Policies(), Digest: r.engine.Digest(),
				Version: version, Now: r.now, FailOn: r.failOn, Applied: set != nil,
			}
			if set != nil {
				p.Carveouts = set.Carveouts()
			} else {
				p.Carveouts = waiver.Describe(waiver.FromConfig(cfg, configDisplay(cfg, root)))
			}
			var buf bytes.Buffer
			if err := audit.Render(&buf, formatName, audit.Build(p)); err != nil {
				return inputError(err)
			}
			if output == "" {
				if _, err := a.out.Write(buf.Bytes()); err != nil {
					return inputError(err)
				}
			} else if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
				return inputError(fmt.Errorf("--output: %w", err))
			}
			return exitFor(report, r.failOn)
		},
	}
	flags.register(cmd.Flags(), false)
	cmd.Flags().StringVarP(&formatName, "format", "o", "html", "report format: "+strings.Join(audit.Formats(), ", "))
	cmd.Flags().StringVar(&output, "output", "", "write the report to this file instead of stdout")
	lf.register(cmd)
	return cmd
}
