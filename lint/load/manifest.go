package load

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/manifest"
)

// StdinName is how the stream read from "-" is named in findings.
const StdinName = "<stdin>"

var (
	apiVersionLine = regexp.MustCompile(`(?m)^apiVersion:[ \t]*\S`)
	kindLine       = regexp.MustCompile(`(?m)^kind:[ \t]*\S`)
)

// maxSniff bounds how much of a file detection reads.
const maxSniff = 64 << 10

// detectManifest claims *.yaml/*.yml files whose top level has apiVersion and
// kind and that are not compose files (compose is detected first anyway).
func detectManifest(path string, isDir bool) bool {
	if isDir || detectCompose(path, false) {
		return false
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".yaml" && ext != ".yml" {
		return false
	}
	f, err := os.Open(filepath.FromSlash(path))
	if err != nil {
		return false
	}
	defer f.Close()
	head, _ := io.ReadAll(io.LimitReader(f, maxSniff))
	return apiVersionLine.Match(head) && kindLine.Match(head)
}

// loadManifests loads each stream as its own release: Secrets resolve within
// the stream they come from.
func loadManifests(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	in := &lint.Input{}
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
			src, err = io.ReadAll(opts.Stdin)
		} else {
			name = displayPath(p, opts.Root)
			src, err = os.ReadFile(p)
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, unwrap(err))
		}
		part, err := manifest.Load(src, name, manifest.Labels{"release": name})
		if err != nil {
			return nil, err
		}
		in.Merge(part)
	}
	return in, nil
}
