package main

import (
	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/env"
	"github.com/certgate/certgate/server"
)

func (a *app) envCmd() *cobra.Command {
	var flags evalFlags
	var probes probeFlags
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
			r, err := flags.resolve(cmd.Context(), a.environ(), lint.WithInputKinds(server.InputKinds...))
			if err != nil {
				return err
			}
			if err := gate.resolve(r); err != nil {
				return err
			}
			gateOpts, err := probes.options()
			if err != nil {
				return err
			}
			gateOpts = append(gateOpts, gate.hostOptions(a.environ())...)
			in := &lint.Input{}
			if len(envFiles) == 0 {
				e := env.FromEnviron(a.environ())
				server.AddTrustVars(&e, a.environ())
				e.Role = gate.role
				in.Envs = []lint.Env{e}
			} else {
				var files []*env.Dotenv
				for _, p := range envFiles {
					fsys, name := osPath(p)
					d, err := env.LoadDotenv(fsys, name, p)
					if err != nil {
						return inputError(err)
					}
					in.AddFile(d.File)
					files = append(files, d)
				}
				in.Envs = []lint.Env{env.Env("env files", gate.role, files...)}
			}
			if err := r.stamp(in); err != nil {
				return err
			}
			// The gate's path, so that probes run here as in exec; its pass/fail
			// error is ignored: the exit code comes from the report below.
			report, err := server.CheckInput(cmd.Context(), in, append(gateOpts, server.WithEngine(r.engine))...)
			if report == nil {
				return inputError(err)
			}
			if err := flags.writeWithProbes(a.out, a.err, report, r.engine, probes.results, r.notes); err != nil {
				return err
			}
			return exitFor(report, r.failOn)
		},
	}
	flags.gate = true
	flags.register(cmd.Flags(), true)
	probes.register(cmd.Flags())
	gate.register(cmd.Flags())
	cmd.Flags().StringArrayVar(&envFiles, "env-file", nil, "check this .env file instead of the process environment (repeatable; later files win)")
	return cmd
}
