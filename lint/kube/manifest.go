// Package kube turns streams of Kubernetes YAML (manifest files, stdin, the
// output of helm template, the templates of an in-process Helm render) into
// lint.Input parts: objects, and the environments of their containers. It is
// the library under the manifest kind (lint/load) and the chart kind's
// renders (lint/helm), no kind of its own.
//
// A stream is split with yaml.v3's decoder, never by bytes: a `--- # comment`
// line and a trailing `---` are fine, null documents are skipped and `kind: List`
// is flattened (each item keeps a ref into the list). Helm's `# Source:` comments
// map each document to its template (the object's "template" label). Every
// object is an lint.Object whose ref (file, document index, path) resolves to a
// line of the stream; a document that is not a mapping, or has no apiVersion or
// kind, is an error naming the stream and line, so nothing is skipped silently.
// A whole stream without a single object (an empty `helm template` output, which
// usually means the render failed upstream of the pipe) is ErrEmpty, not a pass.
//
// Env turns the containers of the workloads of one release or stream into
// lint.Env entries (origin "container"): literal values are known; secretKeyRef,
// configMapKeyRef and envFrom resolve from Secrets and ConfigMaps of the same
// object set and are unknown otherwise; fieldRef and resourceFieldRef are
// unknown. The functions are pure and safe for concurrent use.
package kube

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

// ErrEmpty is returned by Load for a stream without a single object: an empty
// `helm template` output (a failed pipe) must never pass as a clean lint.
var ErrEmpty = errors.New("no Kubernetes object in the stream")

// Labels copied onto every object and environment of a stream.
type Labels map[string]string

// Parse decodes the stream src whose file ID and display path is path. It
// returns the file (with a locator over every document) and one object per
// Kubernetes object, each labelled with labels plus its template, kind and name.
// A stream without objects is not an error here (a template may render
// nothing); callers that lint a whole stream check for ErrEmpty with Load.
func Parse(src []byte, path string, labels Labels) (*lint.File, []lint.Object, error) {
	file, objs, err := parse(src, path, labels, nil, true)
	if errors.Is(err, errChunked) {
		return parse(src, path, labels, nil, false)
	}
	return file, objs, err
}

// parse is Parse; visit, when set, is called with each object as soon as it
// is decoded (objs[i]), and the file keeps no decoded documents. With
// parallel, a large stream whose documents decode alone is decoded in runs
// on every core (parallelDocs); errChunked then asks for a sequential parse.
func parse(src []byte, path string, labels Labels, visit func(objs []lint.Object, i int), parallel bool) (*lint.File, []lint.Object, error) {
	sum := sha256.Sum256(src)
	file := &lint.File{ID: path, Path: path, Kind: lint.FileManifest, SHA256: hex.EncodeToString(sum[:]), Source: src}
	var roots []int // the line of each document's root, for the locator
	var objs []lint.Object
	docs, stop := sequentialDocs(src)
	if parallel && len(src) >= parallelFrom && lint.NewStreamLocator(src, nil).Separable() {
		docs, stop = parallelDocs(src)
	}
	defer stop()
	for doc := 0; ; doc++ {
		d := docs()
		if errors.Is(d.err, io.EOF) {
			break
		}
		if errors.Is(d.err, errChunked) {
			return nil, nil, errChunked
		}
		if d.err != nil {
			return nil, nil, yamlError(path, doc, d.err)
		}
		n, v := *d.node, d.value
		if d.valueErr != nil {
			return nil, nil, fmt.Errorf("%s:%d: document %d: %s", path, n.Line, doc+1, strings.TrimPrefix(d.valueErr.Error(), "yaml: "))
		}
		if visit == nil {
			file.Docs = append(file.Docs, v)
		}
		if v == nil {
			roots = append(roots, 0)
			continue // an empty or null document: `---` alone, a comment-only document
		}
		root := content(&n)
		roots = append(roots, root.Line)
		m, ok := v.(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("%s:%d: document %d is a %s, not a Kubernetes object (a mapping with apiVersion and kind)", path, root.Line, doc+1, nodeKind(root))
		}
		tmpl := sourceComment(&n)
		ref := &lint.Ref{File: path, Doc: doc, Path: []any{}}
		if err := checkObject(m, path, root.Line, doc); err != nil {
			return nil, nil, err
		}
		if isList(m) {
			items, _ := m["items"].([]any)
			if _, ok := m["items"].([]any); !ok && m["items"] != nil {
				return nil, nil, fmt.Errorf("%s:%d: document %d: kind List: items is not a list", path, root.Line, doc+1)
			}
			for i, it := range items {
				im, ok := it.(map[string]any)
				iref := &lint.Ref{File: path, Doc: doc, Path: []any{"items", i}}
				line, _ := lint.YAMLLocator{Docs: []*yaml.Node{&n}}.Locate(0, iref.Path)
				if !ok {
					return nil, nil, fmt.Errorf("%s:%d: document %d: items[%d] is not a Kubernetes object", path, line, doc+1, i)
				}
				if err := checkObject(im, path, line, doc); err != nil {
					return nil, nil, err
				}
				objs = append(objs, object(im, iref, tmpl, labels))
				if visit != nil {
					visit(objs, len(objs)-1)
				}
			}
			continue
		}
		objs = append(objs, object(m, ref, tmpl, labels))
		if visit != nil {
			visit(objs, len(objs)-1)
		}
	}
	// The nodes are not kept: the locator parses a document again when a
	// finding points into it.
	file.Locator = lint.NewStreamLocator(src, roots)
	return file, objs, nil
}

// Load parses a whole stream (a file or stdin) and builds its input: the file,
// every object and the container environments, with every object of the stream
// treated as one release. roles are certgate.yaml's role overrides (see
// RoleOverride; nil for none). An empty stream is ErrEmpty.
func Load(src []byte, path string, labels Labels, roles map[string]string) (*lint.Input, error) {
	if len(src) >= KeepTextFrom && lint.NewStreamLocator(src, nil).Separable() {
		return loadText(src, path, labels, roles, true)
	}
	file, objs, err := Parse(src, path, labels)
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%s: %w (an empty helm template output usually means the render failed)", path, ErrEmpty)
	}
	in := &lint.Input{Files: []*lint.File{file}, Manifests: objs}
	in.Envs = EnvsWithRoles(objs, roles)
	return in, nil
}

// KeepTextFrom is the size in bytes from which a stream keeps its text
// instead of its decoded objects (see loadText).
var KeepTextFrom = 1 << 20

// loadText loads a large stream keeping its text and, of each object, only
// what the rules that join objects read (lint.CrossView): the whole value is
// decoded again from the text by the partition of the evaluation that judges
// the object (Object.Full), and the documents when something asks for them
// (File.LoadDocs). So memory holds one document's values at a time, not the
// stream's. Each workload's environments are built as soon as it is decoded,
// from the Secrets and ConfigMaps decoded so far; a workload that looked up a
// Secret or ConfigMap of a kind and name the stream defines again later is
// decoded again at the end and its environments built anew, so every
// environment is the one the whole stream gives (EnvsWithRoles), with its
// variables packed (lint.Env.PackVars).
func loadText(src []byte, path string, labels Labels, roles map[string]string, parallel bool) (*lint.Input, error) {
	st := newStore(nil)
	var envs [][]lint.Env // by object
	looked := map[string][]int{}
	redo := map[int]bool{}
	visit := func(objs []lint.Object, i int) {
		o := &objs[i]
		kind := o.Labels["kind"]
		if kind == "Secret" || kind == "ConfigMap" {
			st.add(o)
			for _, w := range looked[kind+"\x00"+o.Labels["name"]] {
				redo[w] = true
			}
		}
		if podSpecPath(kind) != nil {
			ws := st
			ws.looked = func(kind, name string) {
				k := kind + "\x00" + name
				if l := looked[k]; len(l) == 0 || l[len(l)-1] != i {
					looked[k] = append(l, i)
				}
			}
			envs = append(envs, make([][]lint.Env, i+1-len(envs))...)
			e, role := objectEnvs(o, ws, roles)
			envs[i] = packedEnvs(e)
			o.Role = role
		}
		o.KeepCrossView()
	}
	file, objs, err := parse(src, path, labels, visit, parallel)
	if errors.Is(err, errChunked) {
		return loadText(src, path, labels, roles, false)
	}
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%s: %w (an empty helm template output usually means the render failed)", path, ErrEmpty)
	}
	loc, _ := file.Locator.(lint.YAMLLocator)
	for _, w := range slices.Sorted(maps.Keys(redo)) {
		o := &objs[w]
		full, err := decodeObject(loc, path, o.Ref)
		if err != nil {
			return nil, err
		}
		whole := lint.Object{Ref: o.Ref, Value: full, Labels: o.Labels}
		e, role := objectEnvs(&whole, st, roles)
		envs[w] = packedEnvs(e)
		o.Role = role
		o.Value = full
		o.KeepCrossView()
	}
	in := &lint.Input{Files: []*lint.File{file}, Manifests: objs}
	for _, e := range envs {
		in.Envs = append(in.Envs, e...)
	}
	for i := range objs {
		ref := objs[i].Ref
		objs[i].Full = func() (map[string]any, error) { return decodeObject(loc, path, ref) }
	}
	file.LoadDocs = func() ([]any, error) {
		f, _, err := Parse(src, path, nil)
		if err != nil {
			return nil, err
		}
		return f.Docs, nil
	}
	return in, nil
}

// packedEnvs packs the variables of envs (lint.Env.PackVars).
func packedEnvs(envs []lint.Env) []lint.Env {
	for i := range envs {
		envs[i].PackVars()
	}
	return envs
}

// decodeObject decodes the object at ref (a document, or an item of a List)
// from its stream again.
func decodeObject(loc lint.YAMLLocator, path string, ref *lint.Ref) (map[string]any, error) {
	var v any
	if err := loc.DecodeDoc(ref.Doc, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(ref.Path) == 2 {
		list, _ := v.(map[string]any)
		items, _ := list["items"].([]any)
		if i, ok := ref.Path[1].(int); ok && i >= 0 && i < len(items) {
			v = items[i]
		}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: document %d: not the object it held when loaded", path, ref.Doc+1)
	}
	return m, nil
}

func checkObject(m map[string]any, path string, line, doc int) error {
	for _, k := range []string{"apiVersion", "kind"} {
		if s, ok := m[k].(string); !ok || s == "" {
			return fmt.Errorf("%s:%d: document %d has no %s: not a Kubernetes object", path, line, doc+1, k)
		}
	}
	return nil
}

func isList(m map[string]any) bool {
	k, _ := m["kind"].(string)
	return k == "List" || (strings.HasSuffix(k, "List") && m["items"] != nil)
}

func object(m map[string]any, ref *lint.Ref, tmpl string, labels Labels) lint.Object {
	l := make(map[string]string, len(labels)+4)
	for k, v := range labels {
		l[k] = v
	}
	kind, _ := m["kind"].(string)
	name := str(m, "metadata", "name")
	l["kind"], l["name"] = kind, name
	if tmpl != "" {
		l["template"] = tmpl
	}
	subject := kind + " " + name
	if tmpl != "" && labels["prefix"] == "" {
		subject += " (" + tmpl + ")"
	}
	l["subject"] = labels["prefix"] + subject
	return lint.Object{Ref: ref, Value: m, Labels: l}
}

// yamlError puts the line of a yaml.v3 syntax error where editors look for it:
// stream:line: document N: message. The stream is decoded with one decoder
// (a parallel decode that fails decodes the stream again in one piece), so the
// line counts from the stream's first line.
func yamlError(path string, doc int, err error) error {
	line, msg := lint.YAMLErrorAt(err)
	if line > 0 {
		return fmt.Errorf("%s:%d: document %d: %s", path, line, doc+1, msg)
	}
	return fmt.Errorf("%s: document %d: %s", path, doc+1, msg)
}

var sourceLine = regexp.MustCompile(`(?m)^#\s*Source:\s*(\S+)\s*$`)

// sourceComment finds Helm's `# Source: chart/templates/x.yaml` header, which
// yaml.v3 attaches to the document, its root or its first key.
func sourceComment(doc *yaml.Node) string {
	cands := []string{doc.HeadComment}
	if root := content(doc); root != doc {
		cands = append(cands, root.HeadComment)
		if root.Kind == yaml.MappingNode && len(root.Content) > 0 {
			cands = append(cands, root.Content[0].HeadComment)
		}
	}
	for _, c := range cands {
		if m := sourceLine.FindStringSubmatch(c); m != nil {
			return m[1]
		}
	}
	return ""
}

func content(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	return n
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "sequence"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "non-mapping"
}

// str reads a string at a key path of nested maps; "" when absent.
func str(m map[string]any, keys ...string) string {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = mm[k]
	}
	s, _ := v.(string)
	return s
}
