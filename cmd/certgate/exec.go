package main

import (
	"fmt"
	"os/exec"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
)

// execve replaces the process image; a variable so tests can observe the call.
var execve = func(argv0 string, argv, envv []string) error { return syscall.Exec(argv0, argv, envv) }

func (a *app) execCmd() *cobra.Command {
	var flags evalFlags
	var probes probeFlags
	var gate gateFlags
	cmd := &cobra.Command{
		Use:   "exec [flags] -- CMD [ARGS...]",
		Short: "Run the startup gate, then replace this process with CMD only if it passes",
		Long: `Run the startup gate on this process's environment, as a certctl server would
see it, and replace certgate with CMD (same PID, same environment) only when no
finding is at or above --fail-on. Otherwise CMD never starts: the findings are
printed on stderr and the exit code is 1 (2 when the gate itself cannot run).
Use it as a container entrypoint in front of the certctl server.`,
		Example: `  # Dockerfile
  ENTRYPOINT ["certgate", "exec", "--", "/usr/local/bin/certctl-server"]
  # judge against a given release's defaults and refusals
  certgate exec --certctl-version 2.1.7 -- certctl-server
  # in front of the agent
  certgate exec --role agent -- /usr/local/bin/certctl-agent
  # refuse to start when the database or the ACME directory fails its probe
  certgate exec --probe db,acme -- certctl-server`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() != 0 {
				return usageError("put the command after --: certgate exec [flags] -- %s", args[0])
			}
			path, err := exec.LookPath(args[0])
			if err != nil {
				return usageError("cannot run %s: %v", args[0], err)
			}
			// Until CMD replaces this process (or the gate refuses it).
			defer holdGC()()
			environ := a.environ()
			r, err := flags.resolve(cmd.Context(), environ, lint.WithInputKinds(server.InputKinds...))
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
			gateOpts = append(gateOpts, gate.hostOptions(environ)...)
			report, err := server.Check(cmd.Context(), environ, append(gateOpts,
				server.WithEngine(r.engine), server.WithCertctlVersionFrom(r.release, r.releaseSource), server.WithRole(gate.role),
				server.WithClock(func() time.Time { return r.now }), server.WithFailOn(r.failOn))...)
			if report != nil && (len(report.Findings) > 0 || len(probes.results) > 0) {
				flags.format = "text"
				if werr := flags.writeWithProbes(a.err, a.err, report, r.engine, probes.results, r.notes); werr != nil {
					return werr
				}
			} else {
				writeNotes(a.err, r.notes)
			}
			if err != nil {
				if report == nil {
					return inputError(err)
				}
				return &exitError{code: report.ExitCode(r.failOn), err: fmt.Errorf("refusing to start %s", args[0])}
			}
			if err := execve(path, args, environ); err != nil {
				return inputError(fmt.Errorf("exec %s: %w", path, err))
			}
			return nil
		},
	}
	flags.gate = true
	flags.register(cmd.Flags(), false)
	probes.register(cmd.Flags())
	gate.register(cmd.Flags())
	return cmd
}
