package main

import (
	"github.com/spf13/cobra"
)

func (a *app) envCmd() *cobra.Command {
	var gate gateFlags
	var envFiles []string
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Check the environment a certctl server would start with",
		Long: `Check the environment a certctl server would start with: the live process
environment, or only the given .env files (later files override earlier ones).
It predicts whether the server would refuse to start, and exactly why.`,
		Example: `  # the environment of this shell
  certgate env
  # a .env file, judged as certctl 2.1.7 would read it
  certgate env --env-file .env --certctl-version 2.1.7
  # an agent's environment
  certgate env --env-file agent.env --role agent
  # machine-readable
  certgate env --env-file .env --format json
  # also connect to the database and fetch the ACME directory
  certgate env --probe db,acme --probe-timeout 5s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			defer holdGC()()
			gr, err := gate.runner(a.environ(), envFiles)
			if err != nil {
				return err
			}
			res, err := gr.Run(cmd.Context(), nil)
			if err != nil {
				return runError(err)
			}
			if err := gate.eval.writeWithProbes(a.out, a.err, res.Report, res.Engine, gate.probes.results, gr.notes); err != nil {
				return err
			}
			return exitFor(res.Report, gr.failOn)
		},
	}
	gate.register(cmd.Flags(), true)
	cmd.Flags().StringArrayVar(&envFiles, "env-file", nil, "check this .env file instead of the process environment (repeatable; later files win)")
	return cmd
}
