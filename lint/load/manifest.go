package load

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/certgate/certgate/internal/displaypath"
	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/compose"
	"github.com/certgate/certgate/lint/kube"
)

// StdinName is how the stream read from "-" is named in findings.
const StdinName = "<stdin>"

// detectManifest claims *.yaml/*.yml files that hold a Kubernetes object (a
// document with apiVersion and kind, in any YAML layout) and that are not
// compose files by name (compose is detected first anyway).
func detectManifest(path string, isDir bool) bool {
	if isDir || compose.Detect(path, false) || !isYAML(path) {
		return false
	}
	class, _ := classify(path)
	return class == classManifest
}

// loadManifests loads each stream as its own release: Secrets resolve within
// the stream they come from.
func loadManifests(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	in := &lint.Input{}
	var parts []*lint.Input
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var src []byte
		var err error
		name := p
		if p == "-" {
			name = StdinName
			if opts.Stdin == nil {
				return nil, fmt.Errorf("%s: no standard input", name)
			}
			src, err = readfile.Reader(opts.Stdin, name)
		} else {
			name = displaypath.Rel(opts.Root, p)
			src, err = readfile.File(p)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, readfile.StripPath(err))
		}
		labels := kube.Labels{"release": name}
		demo := p != "-" && opts.Config.IsDemo(filepath.ToSlash(name))
		if demo {
			// A stream certgate.yaml's demo_globs name is a demo deployment:
			// DEPL-DEMO and DEPL-M2 let its acknowledgement and placeholders be.
			labels["demo"] = "true"
		}
		part, err := kube.Load(src, name, labels, roles(opts))
		if err != nil {
			return nil, err
		}
		if demo {
			for _, f := range part.Files {
				f.Role = "demo"
			}
		}
		parts = append(parts, part)
	}
	if err := in.Merge(parts...); err != nil {
		return nil, err
	}
	return in, nil
}

// roles are certgate.yaml's role overrides, nil without a certgate.yaml.
func roles(opts Options) map[string]string {
	if opts.Config == nil {
		return nil
	}
	return opts.Config.Roles
}
