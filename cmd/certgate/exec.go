package main

import (
	"fmt"
	"os/exec"
	"syscall"

	"github.com/spf13/cobra"
)

// execve replaces the process image; a variable so tests can observe the call.
var execve = func(argv0 string, argv, envv []string) error { return syscall.Exec(argv0, argv, envv) }

func (a *app) execCmd() *cobra.Command {
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
			gr, err := gate.runner(environ, nil)
			if err != nil {
				return err
			}
			res, err := gr.Run(cmd.Context(), nil)
			if err != nil {
				writeNotes(a.err, gr.notes)
				return runError(err)
			}
			if len(res.Report.Findings) > 0 || len(gate.probes.results) > 0 {
				gate.eval.format = "text"
				if err := gate.eval.writeWithProbes(a.err, a.err, res.Report, res.Engine, gate.probes.results, gr.notes); err != nil {
					return err
				}
			} else {
				writeNotes(a.err, gr.notes)
			}
			if gr.refusal != nil {
				return &exitError{code: res.Report.ExitCode(gr.failOn), err: fmt.Errorf("refusing to start %s", args[0])}
			}
			if err := execve(path, args, environ); err != nil {
				return inputError(fmt.Errorf("exec %s: %w", path, err))
			}
			return nil
		},
	}
	gate.register(cmd.Flags(), false)
	return cmd
}
