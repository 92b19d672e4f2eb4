package compose

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/certgate/certgate/lint"
)

// A compose service is made of layers: the definitions in each file of the set
// (base, then overlay), each preceded by what its file includes (include:) and
// by the service it extends (extends:, in the same file or another one). The
// last layer that writes a key is where its effective value is written, so
// refs point there.

// layer is one definition of a service: a file, its document, and the name the
// service has there.
type layer struct {
	f   *rawFile
	doc int
	svc string
}

// pulled is a file that f brings in: include: entries and extends: file:.
type pulled struct {
	abs  string
	from *lint.Ref // the key that names it
}

// pulledFiles lists the local files f includes or extends from, in order.
func pulledFiles(f *rawFile) []pulled {
	dir := filepath.Dir(f.abs)
	var out []pulled
	add := func(p string, ref *lint.Ref) {
		if p == "" || strings.Contains(p, "://") || strings.HasPrefix(p, "oci:") || strings.HasPrefix(p, "git@") {
			return // remote resources: nothing certgate can read
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		out = append(out, pulled{abs: filepath.Clean(p), from: ref})
	}
	for d, doc := range f.file.Docs {
		m, _ := doc.(map[string]any)
		incs, _ := m["include"].([]any)
		for i, inc := range incs {
			ref := &lint.Ref{File: f.file.ID, Doc: d, Path: []any{"include", i}}
			switch e := inc.(type) {
			case string:
				add(e, ref)
			case map[string]any:
				ref.Path = append(ref.Path, "path")
				switch p := e["path"].(type) {
				case string:
					add(p, ref)
				case []any:
					for j, x := range p {
						s, _ := x.(string)
						add(s, &lint.Ref{File: f.file.ID, Doc: d, Path: append(slices.Clone(ref.Path), j)})
					}
				}
			}
		}
		services, _ := m["services"].(map[string]any)
		for _, name := range sortedKeys(services) {
			if file, _, ok := extendsOf(services[name]); ok && file != "" {
				add(file, &lint.Ref{File: f.file.ID, Doc: d, Path: []any{"services", name, "extends", "file"}})
			}
		}
	}
	return out
}

// includes lists the files one document of f includes, in order.
func (l *loadState) includes(f *rawFile, doc int) []*rawFile {
	var out []*rawFile
	for _, p := range pulledFiles(f) {
		if p.from.Doc == doc && p.from.Path[0] == "include" {
			if g, ok := l.read[p.abs]; ok {
				out = append(out, g)
			}
		}
	}
	return out
}

// extendsOf reads a service's extends: (a service name, or {service, file}).
func extendsOf(svc any) (file, service string, ok bool) {
	m, _ := svc.(map[string]any)
	switch e := m["extends"].(type) {
	case string:
		return "", e, e != ""
	case map[string]any:
		service, _ = e["service"].(string)
		file, _ = e["file"].(string)
		return file, service, service != ""
	}
	return "", "", false
}

// pullIn reads the files f includes or extends from, with f's role, and
// theirs in turn. A file reached from a non-demo file is not demo.
func (l *loadState) pullIn(f *rawFile) error {
	for _, p := range pulledFiles(f) {
		if _, err := l.file(p.abs, f.file.Role); err != nil {
			line, col := f.file.Locator.Locate(p.from.Doc, p.from.Path)
			return fmt.Errorf("compose file %s:%d:%d: %s: %w", f.file.Path, line, col, p.from.Path[0], err)
		}
	}
	return nil
}

// serviceLayers are the layers of service name in a file set, lowest
// precedence first.
func (l *loadState) serviceLayers(files []*rawFile, name string) []layer {
	seen := map[string]bool{}
	var out []layer
	for _, f := range files {
		out = append(out, l.fileLayers(f, name, seen)...)
	}
	return out
}

// fileLayers: what f's includes define for the service, then f's own
// definition (with what it extends).
func (l *loadState) fileLayers(f *rawFile, name string, seen map[string]bool) []layer {
	key := "file\x00" + f.abs + "\x00" + name
	if seen[key] {
		return nil
	}
	seen[key] = true
	var out []layer
	for d := range f.file.Docs {
		for _, g := range l.includes(f, d) {
			out = append(out, l.fileLayers(g, name, seen)...)
		}
	}
	return append(out, l.defLayers(f, name, seen)...)
}

// defLayers: the service that f's definition extends, then the definition.
func (l *loadState) defLayers(f *rawFile, name string, seen map[string]bool) []layer {
	key := "def\x00" + f.abs + "\x00" + name
	if seen[key] {
		return nil
	}
	seen[key] = true
	var out []layer
	for d, doc := range f.file.Docs {
		svc, ok := lookupPath(doc, []any{"services", name})
		if !ok {
			continue
		}
		if file, base, ok := extendsOf(svc); ok {
			target := f
			if file != "" {
				abs := file
				if !filepath.IsAbs(abs) {
					abs = filepath.Join(filepath.Dir(f.abs), file)
				}
				target = l.read[filepath.Clean(abs)]
			}
			if target != nil {
				out = append(out, l.defLayers(target, base, seen)...)
			}
		}
		out = append(out, layer{f: f, doc: d, svc: name})
	}
	return out
}

// at looks up rest inside the layer's service definition.
func (y layer) at(rest ...any) (any, bool) {
	return lookupPath(y.f.file.Docs[y.doc], append([]any{"services", y.svc}, rest...))
}

func (y layer) ref(rest ...any) *lint.Ref {
	return &lint.Ref{File: y.f.file.ID, Doc: y.doc, Path: append([]any{"services", y.svc}, rest...)}
}

// envKeyRef is the ref of the last layer whose environment: sets name, in map
// (KEY: v) or list (- KEY=v) form.
func envKeyRef(layers []layer, name string) *lint.Ref {
	for i := len(layers) - 1; i >= 0; i-- {
		v, ok := layers[i].at("environment")
		if !ok {
			continue
		}
		switch e := v.(type) {
		case map[string]any:
			if _, ok := e[name]; ok {
				return layers[i].ref("environment", name)
			}
		case []any:
			for j := len(e) - 1; j >= 0; j-- {
				if s, ok := e[j].(string); ok {
					if k, _, _ := strings.Cut(s, "="); k == name {
						return layers[i].ref("environment", j)
					}
				}
			}
		}
	}
	return nil
}

// layerRef is the ref of rest in the last layer that defines it, or of its
// longest defined prefix; the service itself, or the set's first file, last.
func layerRef(layers []layer, files []*rawFile, rest ...any) *lint.Ref {
	for n := len(rest); n >= 0; n-- {
		for i := len(layers) - 1; i >= 0; i-- {
			if _, ok := layers[i].at(rest[:n]...); ok {
				return layers[i].ref(slices.Clone(rest[:n])...)
			}
		}
	}
	return &lint.Ref{File: files[0].file.ID, Path: []any{}}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
