package main

import (
	"os"

	"github.com/spf13/pflag"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/server"
)

// gateFlags are the flags env and exec share beyond evalFlags: which
// certgate.yaml names the target release, and whose environment is judged.
// Carve-outs are never applied at start-up: a waiver cannot let a refused
// configuration through the gate.
type gateFlags struct {
	configPath string
	role       string
	noHost     bool
}

func (g *gateFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&g.configPath, "config", "", "certgate.yaml whose certctl_version names the target release (default: ./certgate.yaml when present)")
	fs.StringVar(&g.role, "role", lint.RoleServer, "judge the environment as the certctl server's or the agent's: server or agent")
	fs.BoolVar(&g.noHost, "no-host", false, "skip the host facts (TLS pair, SCEP RA files, trust bundles, migrations directory, OTEL_RESOURCE_ATTRIBUTES), e.g. when the gate runs outside the server's container")
}

// hostOptions are the gate's host options: none with --no-host; otherwise
// environ, the process environment, for the variables the env loader does not
// keep (used only when the judged environment is that process environment).
func (g *gateFlags) hostOptions(environ []string) []server.Option {
	if g.noHost {
		return []server.Option{server.WithoutHost()}
	}
	return []server.Option{server.WithHostEnviron(environ)}
}

// resolve checks --role and takes the target release from certgate.yaml when
// no --certctl-version was given.
func (g *gateFlags) resolve(r *resolved) error {
	if g.role != lint.RoleServer && g.role != lint.RoleAgent {
		return usageError("--role %q: want server or agent", g.role)
	}
	var cfg *config.Config
	var err error
	if g.configPath != "" {
		cfg, err = config.LoadFile(g.configPath)
	} else {
		var wd string
		if wd, err = os.Getwd(); err == nil {
			cfg, err = config.Load(wd)
		}
	}
	if err != nil {
		return inputError(err)
	}
	return r.useConfig(cfg)
}
