package compose

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

// unmark shows the unknown parts of a loaded value as the ${NAME} they stand
// for.
func unmark(s string) string { return envvar.Unmark(s) }

// envFile is an env_file target, loaded once.
type envFile struct {
	d       *envvar.Dotenv
	nonDemo bool // declared by a base or non-demo overlay file
}

// loadSet loads one file set with compose-go and records its project and the
// environment of each service.
func (l *loadState) loadSet(ctx context.Context, s fileSet, vals map[string]envvar.Value) error {
	// What compose-go's lookups answer: known values, or markers for values
	// known only at run time. Included files look their variables up in the
	// details' environment, so it carries the same values.
	environ := types.Mapping{}
	for k, v := range vals {
		environ[k] = v.S
		if !v.Known {
			environ[k] = envvar.Marker(k, v.MaybeEmpty)
		}
	}
	details := types.ConfigDetails{WorkingDir: filepath.Dir(s.files[0].abs), Environment: environ}
	named := false
	for _, f := range s.files {
		details.ConfigFiles = append(details.ConfigFiles, types.ConfigFile{Filename: f.abs, Content: f.src})
		for _, d := range f.file.Docs {
			if m, ok := d.(map[string]any); ok && m["name"] != nil {
				named = true
			}
		}
	}
	load := func(standIn string) (*types.Project, error) {
		return loader.LoadWithContext(ctx, details, func(o *loader.Options) {
			// Keep compose-go's type-cast mapping (it turns YAML booleans and
			// numbers into strings); the lookup and the substitution are ours.
			o.Interpolate.LookupValue = environ.Resolve
			o.Interpolate.Substitute = func(text string, m template.Mapping) (string, error) {
				out, err := envvar.Substitute(text, envvar.MappingLookup(m))
				if standIn != "" {
					out = envvar.ReplaceMarkers(out, standIn)
				}
				return out, err
			}
			o.Interpolate.TypeCastMapping = tolerantCasts(o.Interpolate.TypeCastMapping, standIn != "")
			// env_file targets are read by lint/envvar, which keeps their lines.
			o.SkipResolveEnvironment = true
			if !named {
				o.SetProjectName("certgate", true)
			}
		})
	}
	project, err := load("")
	standIn := false
	if err != nil && envvar.HasMarker(err.Error()) {
		// A marker where compose parses a value itself (a port, an address):
		// load again with a plain stand-in and tell unknown values apart by
		// reading the files' own text instead.
		standIn = true
		project, err = load("1")
	}
	if err != nil {
		return l.composeError(s, err)
	}
	demo := "false"
	for _, f := range s.files {
		if f.file.Role == RoleDemo {
			demo = "true"
		}
	}
	services := map[string]any{}
	all := map[string]types.ServiceConfig{}
	for name, svc := range project.Services {
		all[name] = svc
	}
	for name, svc := range project.DisabledServices {
		all[name] = svc // behind a profile: still deployable, still judged
	}
	for _, name := range slices.Sorted(maps.Keys(all)) {
		svc := all[name]
		layers := l.serviceLayers(s.files, name)
		e, err := l.serviceEnv(s, layers, name, svc, vals, standIn)
		if err != nil {
			return err
		}
		e.Labels["demo"] = demo
		l.in.Envs = append(l.in.Envs, e)
		v, err := l.serviceValue(s, layers, name, svc, e)
		if err != nil {
			return err
		}
		services[name] = v
	}
	files := make([]any, len(s.files))
	for i, f := range s.files {
		files[i] = f.file.ID
	}
	l.in.Compose = append(l.in.Compose, lint.Object{
		Ref:    &lint.Ref{File: s.files[0].file.ID, Path: []any{}},
		Value:  map[string]any{"name": unmark(project.Name), "set": s.name, "files": files, "services": services},
		Labels: map[string]string{"set": s.name, "demo": demo},
	})
	return nil
}

// tolerantCasts wraps compose-go's casts of typed fields (retries, replicas,
// read_only, ...): a value holding a marker is unknown at lint time, so it is
// cast from a stand-in ("1", then "true") instead of failing the load. No rule
// reads these fields; the environment stays a string and keeps its marker.
// In stand-in mode (no markers) every failing cast gets the same second try.
func tolerantCasts(m map[tree.Path]interpolation.Cast, standInMode bool) map[tree.Path]interpolation.Cast {
	out := make(map[tree.Path]interpolation.Cast, len(m))
	for p, cast := range m {
		out[p] = func(v string) (any, error) {
			r, err := cast(v)
			if err == nil || !(envvar.HasMarker(v) || standInMode) {
				return r, err
			}
			for _, standIn := range []string{"1", "true"} {
				if r, err2 := cast(envvar.ReplaceMarkers(v, standIn)); err2 == nil {
					return r, nil
				}
				if standInMode {
					if r, err2 := cast(standIn); err2 == nil {
						return r, nil
					}
				}
			}
			return nil, err
		}
	}
	return out
}

// composePath finds the leading key path compose-go puts in its messages
// ("services.server.environment.X must be a string").
var composePath = regexp.MustCompile(`\b((?:services|networks|volumes|secrets|configs)(?:\.[A-Za-z0-9_.\-\[\]]+)?)`)

// composeError names the file (the last of the set that defines the path the
// error mentions) and its line when it can.
func (l *loadState) composeError(s fileSet, err error) error {
	msg := err.Error()
	for _, f := range s.files {
		msg = strings.ReplaceAll(msg, f.abs, f.file.Path)
	}
	msg = unmark(msg)
	where := s.files[len(s.files)-1].file.Path
	if m := composePath.FindStringSubmatch(msg); m != nil {
		path := []any{}
		for _, p := range strings.Split(strings.TrimSuffix(m[1], "."), ".") {
			if p != "" && p != "[]" {
				path = append(path, p)
			}
		}
		if f, doc, ok := lastDefining(s.files, path, len(path)); ok {
			line, col := f.file.Locator.Locate(doc, path)
			where = fmt.Sprintf("%s:%d:%d", f.file.Path, line, col)
		}
	} else if len(s.files) == 1 {
		where = s.files[0].file.Path
	}
	return fmt.Errorf("compose file %s (file set %s): %s", where, s.name, msg)
}

// lastDefining returns the last file (and document) of the set in which the
// first n elements of path exist.
func lastDefining(files []*rawFile, path []any, n int) (*rawFile, int, bool) {
	for i := len(files) - 1; i >= 0; i-- {
		docs := files[i].file.Docs
		for d := len(docs) - 1; d >= 0; d-- {
			if _, ok := lookupPath(docs[d], path[:n]); ok {
				return files[i], d, true
			}
		}
	}
	return nil, 0, false
}

func lookupPath(v any, path []any) (any, bool) {
	for _, p := range path {
		switch c := v.(type) {
		case map[string]any:
			k, ok := p.(string)
			if !ok {
				return nil, false
			}
			if v, ok = c[k]; !ok {
				return nil, false
			}
		case []any:
			i, ok := p.(int)
			if !ok || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// serviceEnv builds the environment a service's container would start with:
// env_file values, overridden by environment:.
func (l *loadState) serviceEnv(s fileSet, layers []layer, name string, svc types.ServiceConfig, vals map[string]envvar.Value, standIn bool) (lint.Env, error) {
	vars := map[string]lint.Var{}
	for _, ef := range svc.EnvFiles {
		d, err := l.envFile(s, layers, name, ef, vals)
		if err != nil {
			return lint.Env{}, err
		}
		if d == nil {
			continue
		}
		for k := range d.Values {
			vars[k] = d.Var(k)
		}
	}
	for k, p := range svc.Environment {
		if !relevant(k) {
			continue
		}
		ref := envKeyRef(layers, k)
		var v envvar.Value
		if p == nil {
			// A bare KEY is inherited from the environment compose runs in.
			v = vals[k]
		} else {
			v = envvar.Marked(*p)
			if r, ok := l.written(ref, vals); ok && (standIn || r.Known == v.Known && r.S == v.S) {
				// The written text says which defaults the value took (and, when
				// compose was given stand-ins, what is unknown).
				v = r
			}
		}
		vars[k] = lint.Var{Value: v.S, Known: v.Known, MaybeEmpty: v.MaybeEmpty, Note: v.Note(), Ref: ref}
	}
	for k := range vars {
		if !relevant(k) {
			delete(vars, k)
		}
	}
	image := unmark(svc.Image)
	role := serviceRole(name, l.opts.Roles[name], image, vars)
	return lint.Env{
		ID:     s.name + " service " + name,
		Origin: lint.OriginComposeService,
		Role:   role,
		Ref:    layerRef(layers, s.files, "environment"),
		Vars:   vars,
		Labels: map[string]string{"service": name, "image": image, "set": s.name},
	}, nil
}

// written interpolates the text that writes an environment value (at ref):
// false when it is not a string (a YAML boolean or number) or not found.
func (l *loadState) written(ref *lint.Ref, vals map[string]envvar.Value) (envvar.Value, bool) {
	if ref == nil {
		return envvar.Value{}, false
	}
	f := l.byID(ref.File)
	if f == nil {
		return envvar.Value{}, false
	}
	raw, _ := lookupPath(f.file.Docs[ref.Doc], ref.Path)
	text, ok := raw.(string)
	if !ok {
		return envvar.Value{}, false
	}
	if _, list := ref.Path[len(ref.Path)-1].(int); list {
		_, text, _ = strings.Cut(text, "=")
	}
	v, err := envvar.Interpolate(text, func(name string) (envvar.Value, bool) {
		v, ok := vals[name]
		return v, ok
	})
	return v, err == nil
}

// byID is the compose file with the given ID, or nil.
func (l *loadState) byID(id string) *rawFile {
	for _, abs := range l.order {
		if f := l.read[abs]; f.file.ID == id {
			return f
		}
	}
	return nil
}

func relevant(name string) bool {
	for _, p := range envvar.Prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// envFile loads an env_file target once. A missing optional target
// (required: false) is skipped, as compose does; a missing required one is an
// error at the env_file key of the file that names it.
func (l *loadState) envFile(s fileSet, layers []layer, svc string, ef types.EnvFile, vals map[string]envvar.Value) (*envvar.Dotenv, error) {
	declaredBy, nonDemo := declarers(layers, ef.Path)
	if e, ok := l.envFiles[ef.Path]; ok {
		e.nonDemo = e.nonDemo || nonDemo
		return e.d, nil
	}
	display := displayPath(l.opts.Root, ef.Path)
	// compose interpolates an env_file with the project's environment.
	d, err := envvar.LoadDotenvRegular(os.DirFS(filepath.Dir(ef.Path)), filepath.Base(ef.Path), display, func(name string) (envvar.Value, bool) {
		v, ok := vals[name]
		return v, ok
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !bool(ef.Required) {
			return nil, nil
		}
		ref := layerRef(layers, s.files, "env_file")
		if declaredBy != nil {
			ref = declaredBy
		}
		f := l.in.File(ref.File)
		line, col := f.Locator.Locate(ref.Doc, ref.Path)
		return nil, fmt.Errorf("compose file %s:%d:%d: service %s: env_file: %w", f.Path, line, col, svc, err)
	}
	l.envFiles[ef.Path] = &envFile{d: d, nonDemo: nonDemo}
	l.envOrder = append(l.envOrder, ef.Path)
	return d, nil
}

// declarers finds which layers name target in env_file (string, list of
// strings or list of {path: ...}): the ref of the last entry, and whether any
// non-demo file names it.
func declarers(layers []layer, target string) (*lint.Ref, bool) {
	var ref *lint.Ref
	nonDemo := false
	for _, y := range layers {
		dir := filepath.Dir(y.f.abs)
		v, ok := y.at("env_file")
		if !ok {
			continue
		}
		entries := []any{v}
		list, isList := v.([]any)
		if isList {
			entries = list
		}
		for i, e := range entries {
			p, _ := e.(string)
			if m, ok := e.(map[string]any); ok {
				p, _ = m["path"].(string)
			}
			if p == "" || filepath.Join(dir, p) != target && p != target {
				continue
			}
			ref = y.ref("env_file")
			if isList {
				ref.Path = append(ref.Path, i)
			}
			if y.f.file.Role != RoleDemo {
				nonDemo = true
			}
		}
	}
	return ref, nonDemo
}

// addEnvFiles adds the env_file targets as dotenv files, in load order.
func (l *loadState) addEnvFiles() {
	for _, p := range l.envOrder {
		e := l.envFiles[p]
		e.d.File.Role = RoleDemoEnvFile
		if e.nonDemo {
			e.d.File.Role = RoleEnvFile
		}
		l.in.AddFile(e.d.File)
	}
}

// serviceValue is the effective service in input.compose: the refs of its
// image and environment and its full merged configuration.
func (l *loadState) serviceValue(s fileSet, layers []layer, name string, svc types.ServiceConfig, e lint.Env) (map[string]any, error) {
	b, err := json.Marshal(svc)
	if err != nil {
		return nil, fmt.Errorf("file set %s: service %s: %w", s.name, name, err)
	}
	var config map[string]any
	if err := json.Unmarshal([]byte(unmarkJSON(string(b))), &config); err != nil {
		return nil, fmt.Errorf("file set %s: service %s: %w", s.name, name, err)
	}
	envv := map[string]any{}
	for k, v := range e.Vars {
		ev := map[string]any{"value": v.Value, "known": v.Known, "ref": refValue(v.Ref)}
		if v.MaybeEmpty {
			ev["maybe_empty"] = true
		}
		if v.Note != "" {
			ev["note"] = v.Note
		}
		envv[k] = ev
	}
	return map[string]any{
		"ref":         refValue(layerRef(layers, s.files)),
		"role":        e.Role,
		"image":       map[string]any{"value": e.Labels["image"], "ref": refValue(layerRef(layers, s.files, "image"))},
		"environment": envv,
		"config":      config,
	}, nil
}

// unmarkJSON replaces markers inside JSON text, where \x00 is escaped.
func unmarkJSON(s string) string { return jsonMarkerRe.ReplaceAllString(s, "$${$1}") }

var jsonMarkerRe = regexp.MustCompile(`\\u0000certgate:(?:unknown|empty):([^\\]*)\\u0000`)

func refValue(r *lint.Ref) any {
	if r == nil {
		return nil
	}
	return map[string]any{"file": r.File, "doc": r.Doc, "path": slices.Clone(r.Path)}
}
