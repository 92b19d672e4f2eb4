// Package compose loads docker compose files into a lint.Input, the way
// `docker compose -f base -f overlay` would see them.
//
// Given paths, it groups each base file (docker-compose.yml, compose.yml, or a
// file named with --compose) with the overlays beside it
// (docker-compose.<name>.yml) and returns:
//
//   - every compose file as a lint.File (kind "compose", role base, overlay or
//     demo) holding its raw YAML documents and node positions, for literal
//     scanning; env_file targets as kind "dotenv" files with role RoleEnvFile
//     (declared by a non-demo file) or RoleDemoEnvFile;
//   - one effective project per file set (base alone, base + each overlay),
//     merged by compose-go, in input.compose;
//   - one environment per service per file set in input.envs (origin
//     compose-service), with its role (server, agent, other) and every
//     variable's ref at the file and key that set it last.
//
// Interpolation follows compose (lint/envvar's Interpolate) but never reads the
// machine's environment: values come from Options.EnvFiles and a .env file
// beside the base file. A variable none of them sets takes the default of
// ${X:-v} (the variable's Note says so), is unknown and maybe empty in ${X:-},
// and unknown in ${X} and ${X:?msg}.
//
// Files that a compose file pulls in through include: or extends: file: are
// loaded as files of the set with the role of the file that pulls them in, and
// every effective value's ref points at the file and line that writes it. Every unreadable, unparsable or compose-rejected file is an
// error naming the file (and the line where known). Load is safe for
// concurrent use.
package compose

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

// Roles of the files this package produces.
const (
	RoleBase    = "base"
	RoleOverlay = "overlay"
	RoleDemo    = "demo"
	// RoleEnvFile marks a .env file named by env_file: in a non-demo compose
	// file: its values ship with the deployment.
	RoleEnvFile = "env-file"
	// RoleDemoEnvFile marks an env_file target declared only by demo overlays.
	RoleDemoEnvFile = "demo-env-file"
	// RoleInterpolation marks a dotenv file that supplies interpolation values
	// (--env-file, or the .env beside a base file): its values reach the base
	// file set, so DEPL-M2 judges it like a base file.
	RoleInterpolation = "interpolation"
)

// Options are the inputs of Load besides the paths.
type Options struct {
	// Root makes reported paths relative (default: the working directory).
	Root string
	// EnvFiles supply interpolation values, later files winning, on top of the
	// .env file beside each base file.
	EnvFiles []string
	// Explicit are files to treat as compose files whatever their names
	// (--compose). A file so named that is not an overlay is a base file.
	Explicit []string
	// DemoGlobs match demo overlays besides docker-compose.demo.yml/.yaml,
	// against the slash path relative to Root and against the base name.
	DemoGlobs []string
	// Roles overrides the detected role per service name.
	Roles map[string]string
}

var (
	baseName    = regexp.MustCompile(`^(docker-compose|compose)\.ya?ml$`)
	overlayName = regexp.MustCompile(`^(docker-compose|compose)\.([^/]+)\.ya?ml$`)
	anyName     = regexp.MustCompile(`^(docker-compose|compose)[^/]*\.ya?ml$`)
)

// Detect reports whether path names a compose file: docker-compose*.yml|yaml or
// compose*.yml|yaml.
func Detect(path string, isDir bool) bool {
	return !isDir && anyName.MatchString(filepath.Base(path))
}

// fileSet is one base file with one overlay (or none).
type fileSet struct {
	name  string
	files []*rawFile
}

// Load reads every compose file among paths (plus opts.Explicit) and returns
// the Input parts described in the package comment.
func Load(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	if opts.Root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		opts.Root = wd
	}
	l := &loadState{opts: opts, in: &lint.Input{}, read: map[string]*rawFile{}, envFiles: map[string]*envFile{}}
	bases, overlays, err := l.group(paths)
	if err != nil {
		return nil, err
	}
	values, err := l.interpolationValues()
	if err != nil {
		return nil, err
	}
	for _, b := range bases {
		base, err := l.file(b, RoleBase)
		if err != nil {
			return nil, err
		}
		sets := []fileSet{{name: base.file.Path, files: []*rawFile{base}}}
		for _, o := range overlays[b] {
			ov, err := l.file(o, l.overlayRole(o))
			if err != nil {
				return nil, err
			}
			sets = append(sets, fileSet{name: base.file.Path + "+" + filepath.Base(o), files: []*rawFile{base, ov}})
		}
		vals, err := l.withDotenv(values, filepath.Dir(b))
		if err != nil {
			return nil, err
		}
		for _, s := range sets {
			if err := l.loadSet(ctx, s, vals); err != nil {
				return nil, err
			}
		}
	}
	l.addEnvFiles()
	return l.in, nil
}

type loadState struct {
	opts     Options
	in       *lint.Input
	read     map[string]*rawFile // by absolute path
	given    map[string]bool     // the files given to Load, by absolute path
	order    []string
	envFiles map[string]*envFile // by absolute path
	envOrder []string
}

// group sorts the given files into base files and the overlays of each. An
// overlay whose base was not given is grouped with the base beside it on disk.
func (l *loadState) group(paths []string) ([]string, map[string][]string, error) {
	explicit := map[string]bool{}
	var all []string
	files, err := expand(paths)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range append(files, l.opts.Explicit...) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, abs)
	}
	for _, p := range l.opts.Explicit {
		abs, _ := filepath.Abs(p)
		explicit[abs] = true
	}
	slices.Sort(all)
	all = slices.Compact(all)
	l.given = map[string]bool{}
	for _, p := range all {
		l.given[p] = true
	}
	var bases []string
	overlays := map[string][]string{}
	isBase := map[string]bool{}
	for _, p := range all {
		name := filepath.Base(p)
		m := overlayName.FindStringSubmatch(name)
		if baseName.MatchString(name) || m == nil {
			if !baseName.MatchString(name) && !explicit[p] {
				return nil, nil, fmt.Errorf("%s: not a compose file name (docker-compose*.yml, compose*.yml); use --compose to name it", displayPath(l.opts.Root, p))
			}
			if !isBase[p] {
				bases = append(bases, p)
				isBase[p] = true
			}
			continue
		}
		base := findBase(filepath.Dir(p), m[1])
		if base == "" {
			return nil, nil, fmt.Errorf("compose overlay %s: no base file (%s.yml or %s.yaml) beside it; pass it with --compose to lint it as a file of its own", displayPath(l.opts.Root, p), m[1], m[1])
		}
		if !isBase[base] {
			bases = append(bases, base)
			isBase[base] = true
		}
		overlays[base] = append(overlays[base], p)
	}
	slices.Sort(bases)
	return bases, overlays, nil
}

// expand replaces directories by the compose files below them (skipping .git,
// vendor and node_modules), so library callers may pass a directory.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, readfile.StripPath(err))
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			if readfile.Special(d.Type()) != "" {
				return nil // a FIFO, device or socket found by walking is never read
			}
			if Detect(path, d.IsDir()) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true}

func findBase(dir, stem string) string {
	for _, ext := range []string{".yml", ".yaml"} {
		p := filepath.Join(dir, stem+ext)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// overlayRole is demo for docker-compose.demo.yml/.yaml and DemoGlobs matches.
func (l *loadState) overlayRole(abs string) string {
	name := filepath.Base(abs)
	if m := overlayName.FindStringSubmatch(name); m != nil && m[2] == "demo" {
		return RoleDemo
	}
	rel := displayPath(l.opts.Root, abs)
	for _, g := range l.opts.DemoGlobs {
		if ok, _ := filepath.Match(g, rel); ok {
			return RoleDemo
		}
		if ok, _ := filepath.Match(g, name); ok {
			return RoleDemo
		}
	}
	return RoleOverlay
}

// file reads a compose file once, however many sets it belongs to, and the
// files it includes or extends from. A file read again for a non-demo role
// (a base including what the demo overlay includes too) loses the demo role.
func (l *loadState) file(abs, role string) (*rawFile, error) {
	if f, ok := l.read[abs]; ok {
		if f.file.Role == RoleDemo && role != RoleDemo {
			f.file.Role = role
			return f, l.pullIn(f)
		}
		return f, nil
	}
	f, err := readFile(abs, displayPath(l.opts.Root, abs), role, l.given[abs])
	if err != nil {
		return nil, err
	}
	l.read[abs] = f
	l.order = append(l.order, abs)
	l.in.AddFile(f.file)
	return f, l.pullIn(f)
}

// interpolationValues reads --env-file files, later files winning.
func (l *loadState) interpolationValues() (map[string]envvar.Value, error) {
	vals := map[string]envvar.Value{}
	for _, p := range l.opts.EnvFiles {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		d, err := envvar.LoadDotenv(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), displayPath(l.opts.Root, abs))
		if err != nil {
			return nil, err
		}
		l.addInterpolationFile(d)
		for k := range d.Values {
			vals[k], _ = d.Value(k)
		}
	}
	return vals, nil
}

// addInterpolationFile keeps an interpolation source as an input file, once.
func (l *loadState) addInterpolationFile(d *envvar.Dotenv) {
	if l.in.File(d.File.ID) != nil {
		return
	}
	d.File.Role = RoleInterpolation
	l.in.AddFile(d.File)
}

// withDotenv adds the .env beside a base file under the --env-file values, as
// docker compose reads it: --env-file values win.
func (l *loadState) withDotenv(vals map[string]envvar.Value, dir string) (map[string]envvar.Value, error) {
	p := filepath.Join(dir, ".env")
	// Only a .env that does not exist is skipped: one that cannot be read (a
	// symlink loop, no permission, a directory) is an error from LoadDotenv.
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return vals, nil
	}
	d, err := envvar.LoadDotenvRegular(os.DirFS(dir), ".env", displayPath(l.opts.Root, p), nil)
	if err != nil {
		return nil, err
	}
	l.addInterpolationFile(d)
	out := map[string]envvar.Value{}
	for k := range d.Values {
		out[k], _ = d.Value(k)
	}
	for k, v := range vals {
		out[k] = v
	}
	return out, nil
}
