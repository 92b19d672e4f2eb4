// Package load turns the paths given to certgate lint and certgate audit into one
// lint.Input: it walks directories, dispatches each file (or chart directory) to
// the loader of its kind through the Kinds table, and merges what they return.
// Every unreadable or unparsable input is an error; nothing is skipped silently.
package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/certgate/certgate/internal/displaypath"
	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/compose"
	"github.com/certgate/certgate/lint/config"
)

// Options are the inputs of a load besides the paths: where the run is and
// what certgate.yaml says, then each kind's own settings.
type Options struct {
	// Root is the repository root: certgate.yaml lives there and reported paths
	// are relative to it when possible. Default: the working directory.
	Root string
	// Config is certgate.yaml (already loaded); nil when there is none.
	Config *config.Config
	// Stdin is read for the path "-".
	Stdin   io.Reader
	Compose ComposeSettings
	Chart   ChartSettings
	Env     EnvSettings
}

// ComposeSettings are the compose kind's inputs besides walked files.
type ComposeSettings struct {
	// EnvFiles supply values for compose interpolation (later files win).
	EnvFiles []string
	// Files are treated as compose base files whatever their names.
	Files []string
}

// ChartSettings describe an in-process chart render: values files (-f),
// --set values, release name, namespace and Kubernetes version. With no
// Values or Set, a chart declared in certgate.yaml is rendered once per
// profile.
type ChartSettings struct {
	Values      []string
	Set         []string
	ReleaseName string
	Namespace   string
	KubeVersion string
}

// Kind is one input kind: how to recognise its files and how to load them.
type Kind struct {
	Name string
	// Doc is one line for help text.
	Doc string
	// Detect reports whether path (relative to the walk, slash-separated) is an
	// input of this kind. isDir is true for directories; a directory claimed by a
	// kind is not walked further. Nil for a kind no walk finds (env).
	Detect func(path string, isDir bool) bool
	// Explicit lists the inputs of this kind that the options name rather
	// than a walk finds (--compose files, .env files); ok is true when the
	// kind has inputs even without paths (a process environment). Nil for a
	// kind only walks find.
	Explicit func(opts Options) (paths []string, ok bool)
	// Load loads every path detected for this kind in one call, so a kind can
	// group related files (a compose base file and its overlays).
	Load func(ctx context.Context, paths []string, opts Options) (*lint.Input, error)
}

// Kinds is the one registration table: detection, dispatch, the help text of
// certgate lint and the "known kinds" of error messages all read it.
var Kinds = []Kind{
	{Name: "compose", Doc: "docker compose files: a base file and the overlays beside it", Detect: detectCompose, Explicit: composeInputs, Load: loadCompose},
	{Name: "chart", Doc: "Helm chart directories (holding Chart.yaml), rendered in-process", Detect: detectChart, Load: loadCharts},
	{Name: "manifest", Doc: "Kubernetes YAML streams (files with apiVersion and kind, or - for stdin)", Detect: detectManifest, Load: loadManifests},
	{Name: "env", Doc: "a process environment or .env files, as certctl starts with them (certgate env, certgate exec)", Explicit: func(o Options) ([]string, bool) { return envInputs(o.Env) }, Load: loadEnv},
}

// skipDirs are never walked.
var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, "testdata": true}

// ErrNothingToLint is returned when the given paths hold no input of any kind.
var ErrNothingToLint = errors.New("nothing to lint")

// Load walks paths and loads every input found. The path "-" reads a manifest
// stream from opts.Stdin.
func Load(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	byKind := map[string][]string{}
	named := map[string]bool{}
	var skipped []lint.Skipped
	for _, k := range Kinds {
		if k.Explicit != nil {
			paths, ok := k.Explicit(opts)
			byKind[k.Name] = append(byKind[k.Name], paths...)
			named[k.Name] = ok
		}
	}
	for _, p := range paths {
		if p == "-" {
			byKind["manifest"] = append(byKind["manifest"], p)
			continue
		}
		if err := walk(p, byKind, &skipped); err != nil {
			return nil, err
		}
	}
	in := &lint.Input{}
	found := false
	for _, k := range Kinds {
		files := byKind[k.Name]
		if len(files) == 0 && !named[k.Name] {
			continue
		}
		found = true
		part, err := k.Load(ctx, uniq(files), opts)
		if err != nil {
			return nil, err
		}
		if err := in.Merge(part); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, fmt.Errorf("%w in %s: no compose file, chart or manifest found (known kinds: %s)", ErrNothingToLint, strings.Join(paths, " "), kindNames())
	}
	if len(skipped) > 0 {
		list := make([]lint.Skipped, 0, len(skipped))
		for _, sk := range skipped {
			list = append(list, lint.Skipped{Path: displaypath.Rel(opts.Root, sk.Path), Reason: sk.Reason})
		}
		if err := in.Merge(&lint.Input{Skipped: list}); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// walk sorts the files under root by kind. A file named on the command line
// must be of a known kind; inside a directory, every YAML file no kind claims
// and every directory not walked is recorded in skipped with the reason.
func walk(root string, byKind map[string][]string, skipped *[]lint.Skipped) error {
	st, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("read %s: %w", root, readfile.StripPath(err))
	}
	if !st.IsDir() {
		k := detect(root, false)
		if k == "" {
			why := ""
			if r := skipReason(root); r != "" {
				why = ": " + r
			}
			return fmt.Errorf("%s: not a file certgate knows how to lint%s (known kinds: %s); use --compose to name a compose file", root, why, kindNames())
		}
		byKind[k] = append(byKind[k], root)
		return nil
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read %s: %w", path, readfile.StripPath(err))
		}
		if d.IsDir() && path != root && skipDirs[d.Name()] {
			if d.Name() != ".git" {
				*skipped = append(*skipped, lint.Skipped{Path: path + "/", Reason: skippedDir(d.Name())})
			}
			return filepath.SkipDir
		}
		if r := special(path, d); r != "" {
			// A FIFO, device or socket met by walking is never opened: a FIFO
			// would block the walk until a writer comes.
			if isYAML(path) || compose.Detect(filepath.ToSlash(path), false) {
				*skipped = append(*skipped, lint.Skipped{Path: path, Reason: r})
			}
			return nil
		}
		if k := detect(path, d.IsDir()); k != "" {
			byKind[k] = append(byKind[k], path)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if r := skipReason(path); r != "" {
				*skipped = append(*skipped, lint.Skipped{Path: path, Reason: r})
			}
		}
		return nil
	})
}

// special is why the walked entry d is not read when it is (or links to) a
// FIFO, device or socket; "" otherwise.
func special(path string, d fs.DirEntry) string {
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		st, err := os.Stat(path)
		if err != nil {
			return ""
		}
		mode = st.Mode()
	}
	return readfile.SkipReason(mode)
}

func detect(path string, isDir bool) string {
	for _, k := range Kinds {
		if k.Detect != nil && k.Detect(filepath.ToSlash(path), isDir) {
			return k.Name
		}
	}
	return ""
}

func kindNames() string {
	names := make([]string, 0, len(Kinds))
	for _, k := range Walked() {
		names = append(names, k.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Walked are the kinds a walk of paths finds (env is named, never found).
func Walked() []Kind {
	var out []Kind
	for _, k := range Kinds {
		if k.Detect != nil {
			out = append(out, k)
		}
	}
	return out
}

func uniq(paths []string) []string {
	out := slices.Clone(paths)
	slices.Sort(out)
	return slices.Compact(out)
}
