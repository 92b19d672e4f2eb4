package load

import (
	"context"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/compose"
)

// detectCompose claims docker-compose*.yml|yaml and compose*.yml|yaml, and any
// other YAML file whose content is a compose file (a services mapping, no
// Kubernetes object): it is loaded as a base file.
func detectCompose(path string, isDir bool) bool {
	if compose.Detect(path, isDir) {
		return true
	}
	if isDir || !isYAML(path) {
		return false
	}
	class, _ := classify(path)
	return class == classCompose
}

// loadCompose loads every compose file found (and every --compose file) with
// its overlays, interpolating from --env-file files only.
func loadCompose(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	co := compose.Options{Root: opts.Root, EnvFiles: opts.Compose.EnvFiles, Explicit: opts.Compose.Files}
	if opts.Config != nil {
		co.DemoGlobs, co.Roles = opts.Config.DemoGlobs, opts.Config.Roles
	}
	return compose.Load(ctx, paths, co)
}

// composeInputs are the --compose files.
func composeInputs(opts Options) ([]string, bool) { return opts.Compose.Files, false }
