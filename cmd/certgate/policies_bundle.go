package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/bundle"
)

// policiesBundleCmd writes the catalog as a standard OPA bundle whose entry
// point, data.certgate.findings, a plain OPA evaluates against the Input
// document of certgate lint --dump-input.
func (a *app) policiesBundleCmd() *cobra.Command {
	var output string
	var dirs []string
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Write the policy catalog as an OPA bundle (entry point data.certgate.findings)",
		Long: `Write the policy catalog (every rule package and data.certgate.lib) as a
standard OPA bundle: a gzipped tarball with a .manifest whose revision is the
catalog digest and whose root is "certgate", and one entry point,
data.certgate.findings: the set of {rule, severity, msg} certgate reports for an
Input document (certgate lint --dump-input), before carve-outs.`,
		Example: `  certgate policies bundle --output certgate.tar.gz
  certgate lint compose/ --dump-input > input.json
  opa eval --bundle certgate.tar.gz --input input.json data.certgate.findings`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := make([]lint.Option, 0, len(dirs))
			for _, d := range dirs {
				opts = append(opts, lint.WithPolicyDir(d))
			}
			var buf bytes.Buffer
			if err := bundle.Write(cmd.Context(), &buf, opts...); err != nil {
				return inputError(err)
			}
			if output == "-" {
				_, err := a.out.Write(buf.Bytes())
				return err
			}
			if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
				return inputError(fmt.Errorf("write bundle: %w", err))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "certgate.tar.gz", `the bundle file ("-" for stdout)`)
	cmd.Flags().StringArrayVar(&dirs, "policy", nil, "directory of extra Rego policies to include (repeatable)")
	return cmd
}
