package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

type streams struct {
	in       io.Reader
	out, err io.Writer
}

// app is what every command shares: the streams and the process environment.
type app struct {
	streams
	environ func() []string
}

// exitError carries an exit code to main; commands never call os.Exit.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError is exit 2 with a message.
func usageError(format string, args ...any) error {
	return &exitError{code: lint.ExitError, err: fmt.Errorf(format, args...)}
}

// inputError wraps err as exit 2.
func inputError(err error) error { return &exitError{code: lint.ExitError, err: err} }

// runError is a run's error as the command's result: exit 2, with the
// message of what stopped it.
func runError(err error) error {
	if err == nil {
		return nil
	}
	return inputError(err)
}

func run(args []string, s streams, environ func() []string) int {
	a := &app{streams: s, environ: environ}
	root := a.rootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return lint.ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(s.err, "certgate: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong arguments.
	fmt.Fprintf(s.err, "certgate: %v\nRun 'certgate --help' for usage.\n", err)
	return lint.ExitError
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "certgate",
		Short: "Policy as code for certctl deployments",
		Long: `certgate checks the deployment surface of certctl (compose files, Helm charts,
rendered manifests and the server's environment) against one set of Rego
policies: the server's fail-closed environment rules, the ban on placeholder
credentials outside the demo overlay, and the chart's HA invariants.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage, input or evaluation error.`,
		Example: `  certgate lint compose/
  helm template certctl charts/certctl | certgate lint -
  certgate env --env-file .env --certctl-version 2.2.0
  certgate exec -- certctl-server --config /etc/certctl.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(a.in)
	root.SetOut(a.out)
	root.SetErr(a.err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(a.auditCmd(), a.envCmd(), a.execCmd(), a.lintCmd(), a.policiesCmd(), a.versionCmd())
	return root
}
