package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/load"
)

// lintFlags are the inputs of certgate lint besides the evaluation flags.
type lintFlags struct {
	envFiles     []string
	composeFiles []string
	noWaivers    bool
	// Helm render inputs (see load.Options).
	values      []string
	set         []string
	releaseName string
	namespace   string
	kubeVersion string
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
			if dumpInput {
				return a.dumpInput(cmd.Context(), args, &flags, lf)
			}
			run, err := a.runPaths(cmd.Context(), args, &flags, lf)
			if err != nil {
				return err
			}
			if err := flags.writeRun(a.out, run.report, runFor(run.r, run.in, run.root)); err != nil {
				return err
			}
			return exitFor(run.report, run.r.failOn)
		},
	}
	flags.register(cmd.Flags(), true)
	lf.register(cmd)
	cmd.Flags().BoolVar(&dumpInput, "dump-input", false, "write the Input document the policies would judge as JSON to stdout instead of judging it (for opa eval with the bundle of certgate policies bundle)")
	return cmd
}

// register adds the input flags that lint and audit share.
func (lf *lintFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&lf.envFiles, "env-file", nil, "values for compose interpolation (repeatable; later files win)")
	cmd.Flags().StringArrayVar(&lf.composeFiles, "compose", nil, "treat this file as a compose file whatever its name (repeatable)")
	lf.registerWaivers(cmd)
	cmd.Flags().StringArrayVarP(&lf.values, "values", "f", nil, "values file for the charts being linted (repeatable; later files win)")
	cmd.Flags().StringArrayVar(&lf.set, "set", nil, "chart value key=value, as helm --set (repeatable; applied after -f)")
	cmd.Flags().StringVar(&lf.releaseName, "release-name", "", "release name of the chart render (default: certgate.yaml's, else certctl)")
	cmd.Flags().StringVar(&lf.namespace, "namespace", "", "namespace of the chart render (default: certgate.yaml's, else default)")
	cmd.Flags().StringVar(&lf.kubeVersion, "kube-version", "", "Kubernetes version the chart templates see (default: Helm's)")
}

// loadInput reads certgate.yaml from the working directory and loads args (default
// ".") into one Input stamped with the run's clock and target release; lint and
// audit share it.
func (a *app) loadInput(ctx context.Context, args []string, lf lintFlags, r *resolved) (*lint.Input, *config.Config, string, error) {
	root, err := os.Getwd()
	if err != nil {
		return nil, nil, "", inputError(err)
	}
	cfg, err := config.Load(root)
	if err != nil {
		return nil, nil, "", inputError(err)
	}
	if err := r.useConfig(cfg); err != nil {
		return nil, nil, "", err
	}
	opts := load.Options{
		Root: root, Config: cfg, EnvFiles: lf.envFiles, ComposeFiles: lf.composeFiles, Stdin: a.in,
		Values: lf.values, Set: lf.set, ReleaseName: lf.releaseName, Namespace: lf.namespace, KubeVersion: lf.kubeVersion,
	}
	if len(args) == 0 {
		// The walk renders a declared chart once per profile; naming the declared
		// charts too reaches them wherever they are, and duplicates collapse.
		args = append([]string{"."}, load.DeclaredCharts(opts)...)
	}
	in, err := load.Load(ctx, args, opts)
	if err != nil {
		if errors.Is(err, load.ErrNothingToLint) {
			return nil, nil, "", usageError("%v", err)
		}
		return nil, nil, "", inputError(err)
	}
	if err := r.stamp(in); err != nil {
		return nil, nil, "", err
	}
	return in, cfg, root, nil
}

// kindsHelp lists the input kinds from the registration table.
func kindsHelp() string {
	var b strings.Builder
	for _, k := range load.Kinds {
		fmt.Fprintf(&b, "  %-9s %s\n", k.Name, k.Doc)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
