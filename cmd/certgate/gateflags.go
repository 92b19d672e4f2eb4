package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/certgate/certgate/lint"
	pipeline "github.com/certgate/certgate/lint/run"
	"github.com/certgate/certgate/server"
)

// gateFlags are the flags env and exec share beyond evalFlags: which
// certgate.yaml names the target release, and whose environment is judged.
// Carve-outs are never applied at start-up (an environment run applies
// none): a waiver cannot let a refused configuration through the gate.
type gateFlags struct {
	eval       evalFlags
	probes     probeFlags
	configPath string
	role       string
	noHost     bool
}

func (g *gateFlags) register(fs *pflag.FlagSet, formats bool) {
	g.eval.gate = true
	g.eval.register(fs, formats)
	g.probes.register(fs)
	fs.StringVar(&g.configPath, "config", "", "certgate.yaml whose certctl_version names the target release (default: ./certgate.yaml when present)")
	fs.StringVar(&g.role, "role", lint.RoleServer, "judge the environment as the certctl server's or the agent's: server or agent")
	fs.BoolVar(&g.noHost, "no-host", false, "skip the host facts (TLS pair, SCEP RA files, trust bundles, migrations directory, OTEL_RESOURCE_ATTRIBUTES), e.g. when the gate runs outside the server's container")
}

// gateRun is an environment run through the startup gate: the Runner, the
// failure threshold, the notes, and the gate's own verdict once it ran.
type gateRun struct {
	pipeline.Runner
	failOn lint.Severity
	notes  []string
	// refusal is the gate's error joining one ViolationError per blocking
	// finding; nil when it passed.
	refusal error
}

// runner validates the flags and returns the environment run judging
// envFiles, else environ, through server.CheckInput (host facts, probes).
func (g *gateFlags) runner(environ, envFiles []string) (*gateRun, error) {
	if g.role != lint.RoleServer && g.role != lint.RoleAgent {
		return nil, usageError("--role %q: want server or agent", g.role)
	}
	r, failOn, notes, err := g.eval.runner(environ, lint.WithInputs(server.Inputs...))
	if err != nil {
		return nil, err
	}
	opts, err := g.probes.options()
	if err != nil {
		return nil, err
	}
	if g.noHost {
		opts = append(opts, server.WithoutHost())
	} else {
		// The variables the env kind does not keep, for the host facts of
		// the process environment.
		opts = append(opts, server.WithHostEnviron(environ))
	}
	gr := &gateRun{Runner: r, failOn: failOn, notes: notes}
	gr.ConfigFile = g.configPath
	gr.Env.Role, gr.Env.Files, gr.Env.Environ = g.role, envFiles, environ
	if len(envFiles) > 0 {
		gr.Env.Environ = nil
	}
	gr.Evaluate = func(ctx context.Context, eng *lint.Engine, in *lint.Input) (*lint.Report, error) {
		report, err := server.CheckInput(ctx, in, append(opts, server.WithEngine(eng), server.WithFailOn(failOn), server.WithRole(g.role))...)
		if report == nil {
			return nil, err
		}
		gr.refusal = err
		return report, nil
	}
	return gr, nil
}
