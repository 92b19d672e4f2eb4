package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/load"
	pipeline "github.com/certgate/certgate/lint/run"
)

// lintFlags are the inputs of certgate lint and certgate audit besides the
// evaluation flags: each kind's settings and the carve-out switch.
type lintFlags struct {
	compose   load.ComposeSettings
	chart     load.ChartSettings
	noWaivers bool
}

func (a *app) lintCmd() *cobra.Command {
	var flags evalFlags
	var lf lintFlags
	var dumpInput bool
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Lint compose files, Helm charts and manifests",
		Long: `Lint compose files, Helm charts and Kubernetes manifests. Directories are
walked (skipping .git, vendor, node_modules and testdata); "-" reads a manifest
stream from stdin, for example the output of helm template.

A chart directory is rendered in-process with -f/--set. A chart declared in
certgate.yaml (charts:) is rendered once per value profile when no -f/--set is
given; with no PATH, certgate lint walks "." and so lints every profile of
every declared chart together with the compose files.

Inputs it recognises:
` + kindsHelp(),
		Example: `  certgate lint compose/
  certgate lint compose/ --env-file compose/.env --format json
  certgate lint charts/certctl -f charts/certctl/values-ha.yaml --set server.replicas=5
  helm template certctl charts/certctl | certgate lint -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, failOn, _, err := a.pathRunner(&flags, lf)
			if err != nil {
				return err
			}
			if dumpInput {
				res, err := r.Prepare(cmd.Context(), args)
				if err != nil {
					return runError(err)
				}
				return a.dump(res)
			}
			res, err := r.Run(cmd.Context(), args)
			if err != nil {
				return runError(err)
			}
			if err := flags.writeRun(a.out, res.Report, runFor(res)); err != nil {
				return err
			}
			return exitFor(res.Report, failOn)
		},
	}
	flags.register(cmd.Flags(), true)
	lf.register(cmd)
	cmd.Flags().BoolVar(&dumpInput, "dump-input", false, "write the Input document the policies would judge as JSON to stdout instead of judging it (for opa eval with the bundle of certgate policies bundle)")
	return cmd
}

// register adds the input flags that lint and audit share.
func (lf *lintFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringArrayVar(&lf.compose.EnvFiles, "env-file", nil, "values for compose interpolation (repeatable; later files win)")
	fs.StringArrayVar(&lf.compose.Files, "compose", nil, "treat this file as a compose file whatever its name (repeatable)")
	fs.BoolVar(&lf.noWaivers, "no-waivers", false, "apply no carve-out (certgate.yaml carveouts or inline certgate:ignore comments)")
	fs.StringArrayVarP(&lf.chart.Values, "values", "f", nil, "values file for the charts being linted (repeatable; later files win)")
	fs.StringArrayVar(&lf.chart.Set, "set", nil, "chart value key=value, as helm --set (repeatable; applied after -f)")
	fs.StringVar(&lf.chart.ReleaseName, "release-name", "", "release name of the chart render (default: certgate.yaml's, else certctl)")
	fs.StringVar(&lf.chart.Namespace, "namespace", "", "namespace of the chart render (default: certgate.yaml's, else default)")
	fs.StringVar(&lf.chart.KubeVersion, "kube-version", "", "Kubernetes version the chart templates see (default: Helm's)")
}

// pathRunner is the Runner of lint and audit: the evaluation flags, the
// kinds' settings, stdin for "-".
func (a *app) pathRunner(flags *evalFlags, lf lintFlags) (pipeline.Runner, lint.Severity, []string, error) {
	r, failOn, notes, err := flags.runner(a.environ())
	if err != nil {
		return r, failOn, nil, err
	}
	r.Stdin, r.Compose, r.Chart, r.NoCarveouts = a.in, lf.compose, lf.chart, lf.noWaivers
	return r, failOn, notes, nil
}

// kindsHelp lists the input kinds from the registration table.
func kindsHelp() string {
	var b strings.Builder
	for _, k := range load.Walked() {
		fmt.Fprintf(&b, "  %-9s %s\n", k.Name, k.Doc)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
