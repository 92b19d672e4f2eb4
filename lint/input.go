package lint

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
)

// File formats (File.Kind, input.files[].kind).
const (
	FileDotenv     = "dotenv"
	FileCompose    = "compose"
	FileManifest   = "manifest"
	FileHelmValues = "helm-values"
)

// Environment origins and roles.
const (
	OriginProcess        = "process"
	OriginDotenv         = "dotenv"
	OriginComposeService = "compose-service"
	OriginContainer      = "container"

	RoleServer = "server"
	RoleAgent  = "agent"
	RoleOther  = "other"
)

// Input is the document every policy sees as `input`. Loaders fill it; the Engine
// converts it to an OPA value once per evaluation.
type Input struct {
	Meta Meta `json:"meta"`
	// Files are every loaded file, in load order.
	Files []*File `json:"files"`
	// Envs are the environments a certctl process would start with.
	Envs []Env `json:"envs"`
	// Manifests are Kubernetes objects (rendered charts, manifest streams).
	Manifests []Object `json:"manifests,omitempty"`
	// Compose holds one effective project per compose file set.
	Compose []Object `json:"compose,omitempty"`
	// Releases are input.releases, one per chart render (lint/helm); nil
	// leaves the section out.
	Releases []Release `json:"-"`
	// Skipped are input.skipped, what a directory walk looked at and did not
	// judge (lint/load); nil leaves the section out.
	Skipped []Skipped `json:"-"`
	// Carveouts are input.carveouts, the carve-outs in force
	// (lint/carveout): nil when no carve-out step ran (the section is
	// absent), empty when it found none.
	Carveouts []CarveoutFact `json:"-"`
	// Probes are input.probes, the live probes' results by name (the startup
	// gate); nil leaves the section out.
	Probes map[string]ProbeFacts `json:"-"`
	// Host is input.host, the startup gate's host facts; nil leaves the
	// section out.
	Host *HostFacts `json:"-"`
}

// Meta is input.meta: the facts a policy may not compute itself.
type Meta struct {
	NowUnix int64 `json:"now_unix"`
	// CertctlVersion is the target release of every environment that carries
	// no release of its own (Env.Release).
	CertctlVersion string `json:"certctl_version"`
	// CertctlVersionSource says where CertctlVersion came from: "--certctl-version",
	// "certgate.yaml" or "default (newest known release)".
	CertctlVersionSource string `json:"certctl_version_source,omitempty"`
	Profile              string `json:"profile,omitempty"`
}

// File is one loaded source file.
type File struct {
	ID   string `json:"id"`
	Path string `json:"path"`
	Kind string `json:"kind"`
	// Role is base, overlay or demo for compose files; empty otherwise.
	Role string `json:"role,omitempty"`
	// Docs are the parsed documents as JSON-shaped values.
	Docs []any `json:"docs"`
	// SHA256 is the hex digest of the file's bytes.
	SHA256 string `json:"sha256,omitempty"`
	// Locator turns a ref path into a position; nil when positions are unknown.
	Locator Locator `json:"-"`
	// Source is the file's text, kept for inline carve-out comments (certgate:ignore).
	Source []byte `json:"-"`
	// LoadDocs, when set, decodes Docs again from Source: a large manifest
	// stream keeps no decoded documents (Docs is nil), its objects are judged
	// from input.manifests.
	LoadDocs func() ([]any, error) `json:"-"`
}

// Documents returns Docs, decoding them again when the file keeps none.
func (f *File) Documents() ([]any, error) {
	if f.Docs == nil && f.LoadDocs != nil {
		return f.LoadDocs()
	}
	return f.Docs, nil
}

// Env is one environment that a certctl process would see.
type Env struct {
	ID     string `json:"id"`
	Origin string `json:"origin"`
	Role   string `json:"role"`
	Ref    *Ref   `json:"ref"`
	// Vars are the variables by name; nil once PackVars packed them (the
	// containers of a large manifest stream): read them with Variables.
	Vars map[string]Var `json:"vars"`
	// Labels carry loader facts policies may use (service, image, set, profile).
	Labels map[string]string `json:"labels,omitempty"`
	// Release is the certctl release this environment runs when it differs from
	// Meta.CertctlVersion: set only by ResolveReleases, from the workload's image
	// tag, never from a variable of the environment being judged.
	Release string `json:"release,omitempty"`
	// ReleaseSource says where Release came from ("image tag ghcr.io/...:v2.1.4").
	ReleaseSource string `json:"release_source,omitempty"`
	// Mounts are the volume mounts of a Kubernetes container (origin
	// container), for the rules that check that the files certctl reads are
	// backed by one; nil for other origins (compose rules read input.compose).
	Mounts []Mount `json:"mounts,omitempty"`
	// packedVars holds Vars packed (PackVars).
	packedVars string
}

// Mount is one volumeMount of a container with the facts of its volume.
type Mount struct {
	// Path is the mountPath; SubPath the subPath inside the volume.
	Path    string `json:"path"`
	SubPath string `json:"sub_path"`
	// SubPathExpr: the path inside the volume is only known at run time.
	SubPathExpr bool   `json:"sub_path_expr"`
	ReadOnly    bool   `json:"read_only"`
	Volume      string `json:"volume"`
	// Source is the volume's source field (secret, configMap, projected,
	// downwardAPI, emptyDir, hostPath, persistentVolumeClaim, ...); "" when the
	// pod declares no volume of that name.
	Source string `json:"source"`
	// Files are set for the volumes whose files Kubernetes writes itself
	// (secret, configMap, projected, downwardAPI): their modes.
	Files *MountFiles `json:"files,omitempty"`
	// FSGroup is the pod's securityContext.fsGroup, which Kubernetes gives as
	// group (with group read) to the files of such volumes; nil when unset.
	FSGroup *int64 `json:"fs_group,omitempty"`
}

// MountFiles are the files of a Kubernetes-written volume and their modes.
type MountFiles struct {
	// DefaultMode is the volume's defaultMode, or Kubernetes' 0644 when absent;
	// -1 when it is not a number (the API server would reject the volume).
	DefaultMode int64 `json:"default_mode"`
	// AllKeys: some source projects every key of its object (no items), each
	// at DefaultMode, so a path outside Items may still be a file.
	AllKeys bool `json:"all_keys"`
	// Items are the files named by items (path inside the volume, mode).
	Items []MountItem `json:"items"`
}

// MountItem is one items[] entry: Mode is its mode, or the volume's
// DefaultMode when it sets none.
type MountItem struct {
	Path string `json:"path"`
	Mode int64  `json:"mode"`
}

// Var is one environment variable. Known is false when the value is set but only
// known at run time (interpolation, a secret outside the release); Value is then "".
type Var struct {
	Value string `json:"value"`
	Known bool   `json:"known"`
	Ref   *Ref   `json:"ref"`
	// MaybeEmpty marks an unknown value that may be empty at run time
	// (compose's ${X:-} or ${X-}: "from the shell, possibly empty"). Rules that
	// refuse an empty value warn about it.
	MaybeEmpty bool `json:"maybe_empty,omitempty"`
	// Note qualifies a known value for messages, for example
	// "default of ${ACME_INSECURE}; export ACME_INSECURE to override".
	Note string `json:"note,omitempty"`
}

// Ref points into a loaded file: the file ID, the document index and the path of
// keys (strings) and indexes (ints) inside that document.
type Ref struct {
	File string `json:"file"`
	Doc  int    `json:"doc"`
	Path []any  `json:"path"`
}

// Object is a JSON-shaped value with the ref of where it was defined, used for
// manifests and compose projects.
type Object struct {
	Ref   *Ref           `json:"ref"`
	Value map[string]any `json:"value"`
	// Labels carry loader facts (profile, release, template, set).
	Labels map[string]string `json:"labels,omitempty"`
	// Role is a workload's role (RoleServer, RoleAgent or RoleOther) as its
	// loader decided it (DecideWorkloadRoles) while assembling the objects;
	// "" for an object that is not a workload. The Input document shows it as
	// labels.role, which the rules that join objects select workloads by.
	Role string `json:"role,omitempty"`
	// Full, when set, decodes the object's whole value again from its stream,
	// and the object keeps only CrossView of it (see KeepCrossView): a large
	// stream keeps its text and what the rules that join objects read, and
	// each partition of an evaluation decodes its own objects.
	Full func() (map[string]any, error) `json:"-"`
	// View, when set, is CrossView of the whole value, packed, and Value is
	// nil (an object with Full keeps its view so).
	View PackedView `json:"-"`
}

// FullValue is the object's whole value.
func (o *Object) FullValue() (map[string]any, error) {
	if o.Full != nil {
		return o.Full()
	}
	return o.Value, nil
}

// KeepCrossView reduces the object to what the rules that join objects read
// of it, for an object whose Full decodes its whole value again: its
// CrossView packed into View (Value nil), or kept as Value when it holds a
// value of another type than yaml.v3 decodes to.
func (o *Object) KeepCrossView() {
	if v, ok := PackCrossView(o.Value, o.Role); ok {
		o.Value, o.View = nil, v
		return
	}
	o.Value, o.View = CrossView(o.Value, o.Role), ""
}

// CrossValue is CrossView of the object's value, as the cross partition of
// an evaluation sees it.
func (o *Object) CrossValue() (map[string]any, error) {
	switch {
	case o.View != "":
		return o.View.Value()
	case o.Full != nil:
		return o.Value, nil // the view already
	}
	return CrossView(o.Value, o.Role), nil
}

// crossTerm is CrossValue converted to an OPA value, sharing the terms of
// repeated strings through c.
func (o *Object) crossTerm(c termCache) (ast.Value, error) {
	if o.View != "" {
		return o.View.astValue(c)
	}
	v, err := o.CrossValue()
	if err != nil {
		return nil, err
	}
	return ast.InterfaceToValue(v)
}

// AddFile appends f and returns it, for loader convenience.
func (in *Input) AddFile(f *File) *File {
	in.Files = append(in.Files, f)
	return f
}

// File returns the file with the given ID, or nil.
func (in *Input) File(id string) *File {
	for _, f := range in.Files {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Merge adds others to in, in order: files, envs, manifests, compose
// projects, releases and skipped entries are appended (a file already held,
// the same *File or the same ID, path, kind, role and digest, is kept once).
// It refuses, naming every conflict and changing nothing, an input that
// carries a single-valued section (probes, host, carve-outs) in or an
// earlier one carries too, a meta field set to another value, a file with an
// ID already held by a different file, or a release whose ID in already
// holds. A meta field left unset takes the first value given. Merging many
// inputs in one call costs their size, not their number times in's.
func (in *Input) Merge(others ...*Input) error {
	st := newMergeState(in)
	var errs []error
	for _, o := range others {
		errs = append(errs, st.admit(o)...)
	}
	if len(errs) > 0 {
		return fmt.Errorf("merge inputs: %w", errors.Join(errs...))
	}
	held := make(map[string]bool, len(in.Files))
	for _, f := range in.Files {
		held[f.ID] = true
	}
	for _, o := range others {
		for _, f := range o.Files {
			if !held[f.ID] {
				in.Files = append(in.Files, f)
				held[f.ID] = true
			}
		}
		in.Envs = append(in.Envs, o.Envs...)
		in.Manifests = append(in.Manifests, o.Manifests...)
		in.Compose = append(in.Compose, o.Compose...)
		in.Releases = appendSection(in.Releases, o.Releases)
		in.Skipped = appendSection(in.Skipped, o.Skipped)
		if o.Carveouts != nil {
			in.Carveouts = o.Carveouts
		}
		if o.Probes != nil {
			in.Probes = o.Probes
		}
		if o.Host != nil {
			in.Host = o.Host
		}
	}
	in.Meta = st.meta
	return nil
}

// appendSection appends b to a, keeping a section present (non-nil) when
// either was.
func appendSection[T any](a, b []T) []T {
	if a == nil && b != nil {
		a = make([]T, 0, len(b))
	}
	return append(a, b...)
}

// mergeState is what a Merge holds so far: its files by ID, its release
// IDs, which single-valued sections are taken, and the meta.
type mergeState struct {
	files                   map[string]*File
	releases                map[string]bool
	probes, host, carveouts bool
	meta                    Meta
}

func newMergeState(in *Input) *mergeState {
	st := &mergeState{
		files: make(map[string]*File, len(in.Files)), releases: make(map[string]bool, len(in.Releases)),
		probes: in.Probes != nil, host: in.Host != nil, carveouts: in.Carveouts != nil, meta: in.Meta,
	}
	for _, f := range in.Files {
		if _, ok := st.files[f.ID]; !ok {
			st.files[f.ID] = f
		}
	}
	for _, r := range in.Releases {
		st.releases[r.ID] = true
	}
	return st
}

// admit lists why other cannot join what the state holds, then adds it.
func (st *mergeState) admit(other *Input) []error {
	var errs []error
	conflict := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	for _, c := range []struct {
		name       string
		held, also bool
	}{
		{"probes", st.probes, other.Probes != nil},
		{"host", st.host, other.Host != nil},
		{"carveouts", st.carveouts, other.Carveouts != nil},
	} {
		if c.held && c.also {
			conflict("both inputs carry input.%s", c.name)
		}
	}
	m, o := st.meta, other.Meta
	if m.NowUnix != 0 && o.NowUnix != 0 && m.NowUnix != o.NowUnix {
		conflict("meta.now_unix differs: %d and %d", m.NowUnix, o.NowUnix)
	}
	for _, f := range []struct{ key, a, b string }{
		{"certctl_version", m.CertctlVersion, o.CertctlVersion},
		{"certctl_version_source", m.CertctlVersionSource, o.CertctlVersionSource},
		{"profile", m.Profile, o.Profile},
	} {
		if f.a != "" && f.b != "" && f.a != f.b {
			conflict("meta.%s differs: %q and %q", f.key, f.a, f.b)
		}
	}
	for _, f := range other.Files {
		if prev := st.files[f.ID]; prev != nil && !sameFile(prev, f) {
			conflict("file %s: two different files with this ID (paths %s and %s)", f.ID, prev.Path, f.Path)
		}
	}
	for _, r := range other.Releases {
		if st.releases[r.ID] {
			conflict("release %s: both inputs carry it", r.ID)
		}
	}
	for _, f := range other.Files {
		if _, ok := st.files[f.ID]; !ok {
			st.files[f.ID] = f
		}
	}
	for _, r := range other.Releases {
		st.releases[r.ID] = true
	}
	st.probes = st.probes || other.Probes != nil
	st.host = st.host || other.Host != nil
	st.carveouts = st.carveouts || other.Carveouts != nil
	st.meta.NowUnix = cmp.Or(m.NowUnix, o.NowUnix)
	st.meta.CertctlVersion = cmp.Or(m.CertctlVersion, o.CertctlVersion)
	st.meta.CertctlVersionSource = cmp.Or(m.CertctlVersionSource, o.CertctlVersionSource)
	st.meta.Profile = cmp.Or(m.Profile, o.Profile)
	return errs
}

// sameFile reports whether a and b are one file: the same *File, or the same
// ID, path, kind and role with the same known digest.
func sameFile(a, b *File) bool {
	return a == b || (a.ID == b.ID && a.Path == b.Path && a.Kind == b.Kind && a.Role == b.Role && a.SHA256 != "" && a.SHA256 == b.SHA256)
}

// value converts the input to an OPA value directly, without a JSON round trip:
// this is on the startup path of the server.
func (in *Input) value() (ast.Value, error) {
	files, err := in.filesTerm(false)
	if err != nil {
		return nil, err
	}
	envs := make([]*ast.Term, 0, len(in.Envs))
	for _, e := range in.Envs {
		envs = append(envs, e.term())
	}
	manifests, err := objectsTerm(in.Manifests, false)
	if err != nil {
		return nil, err
	}
	compose, err := objectsTerm(in.Compose, false)
	if err != nil {
		return nil, err
	}
	sections, err := in.sectionTerms()
	if err != nil {
		return nil, err
	}
	return in.document(files, ast.ArrayTerm(envs...), manifests, compose, sections), nil
}

// document assembles the input object from its converted sections.
func (in *Input) document(files, envs, manifests, compose *ast.Term, sections [][2]*ast.Term) ast.Value {
	obj := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("meta"), ast.ObjectTerm(
			item("now_unix", ast.Number(strconv.FormatInt(in.Meta.NowUnix, 10))),
			item("certctl_version", ast.String(in.Meta.CertctlVersion)),
			item("certctl_version_source", ast.String(in.Meta.CertctlVersionSource)),
			item("profile", ast.String(in.Meta.Profile)),
		)},
		[2]*ast.Term{ast.StringTerm("files"), files},
		[2]*ast.Term{ast.StringTerm("envs"), envs},
		[2]*ast.Term{ast.StringTerm("manifests"), manifests},
		[2]*ast.Term{ast.StringTerm("compose"), compose},
	)
	for _, kv := range sections {
		obj.Insert(kv[0], kv[1])
	}
	return obj
}

// filesTerm is input.files; noManifestDocs leaves the documents of manifest
// streams out (docs: []), for the partitions of a large input, whose objects
// travel in input.manifests.
func (in *Input) filesTerm(noManifestDocs bool) (*ast.Term, error) {
	files := make([]*ast.Term, 0, len(in.Files))
	for _, f := range in.Files {
		var docs ast.Value = ast.NewArray()
		if !noManifestDocs || f.Kind != FileManifest {
			d, err := f.Documents()
			if err != nil {
				return nil, err
			}
			v, err := ast.InterfaceToValue(d)
			if err != nil {
				return nil, err
			}
			docs = v
		}
		files = append(files, ast.ObjectTerm(
			item("id", ast.String(f.ID)),
			item("path", ast.String(f.Path)),
			item("kind", ast.String(f.Kind)),
			item("role", ast.String(f.Role)),
			item("sha256", ast.String(f.SHA256)),
			[2]*ast.Term{ast.StringTerm("docs"), ast.NewTerm(docs)},
		))
	}
	return ast.ArrayTerm(files...), nil
}

// The keys of a variable's object, shared by every variable (terms are never
// modified once built; OPA interns terms the same way): the conversion runs on
// every start of the server, once per variable.
var (
	keyValue      = ast.StringTerm("value")
	keyKnown      = ast.StringTerm("known")
	keyRef        = ast.StringTerm("ref")
	keyMaybeEmpty = ast.StringTerm("maybe_empty")
	keyNote       = ast.StringTerm("note")
)

func (e Env) term() *ast.Term {
	var vars ast.Object
	if e.packedVars != "" {
		vars = ast.NewObject()
		e.eachPackedVar(func(name string, v Var, rel []any) {
			ref := v.Ref
			if rel != nil {
				ref = &Ref{File: ref.File, Doc: ref.Doc, Path: append(slices.Clip(e.Ref.Path), rel...)}
			}
			vars.Insert(ast.StringTerm(name), varTerm(v, ref))
		})
	} else {
		vars = ast.NewObjectWithCapacity(len(e.Vars))
		for name, v := range e.Vars {
			vars.Insert(ast.StringTerm(name), varTerm(v, v.Ref))
		}
	}
	items := [][2]*ast.Term{
		item("id", ast.String(e.ID)),
		item("origin", ast.String(e.Origin)),
		item("role", ast.String(e.Role)),
		item("release", ast.String(e.Release)),
		{ast.StringTerm("ref"), e.Ref.term()},
		{ast.StringTerm("vars"), ast.NewTerm(vars)},
		{ast.StringTerm("labels"), labelsTerm(e.Labels)},
	}
	if e.Mounts != nil {
		items = append(items, [2]*ast.Term{ast.StringTerm("mounts"), mountsTerm(e.Mounts)})
	}
	return ast.ObjectTerm(items...)
}

// varTerm is one variable with the ref ref.
func varTerm(v Var, ref *Ref) *ast.Term {
	n := 3
	if v.MaybeEmpty {
		n++
	}
	if v.Note != "" {
		n++
	}
	o := ast.NewObjectWithCapacity(n)
	o.Insert(keyValue, ast.StringTerm(v.Value))
	o.Insert(keyKnown, ast.InternedTerm(v.Known))
	o.Insert(keyRef, ref.term())
	if v.MaybeEmpty {
		o.Insert(keyMaybeEmpty, ast.InternedTerm(true))
	}
	if v.Note != "" {
		o.Insert(keyNote, ast.StringTerm(v.Note))
	}
	return ast.NewTerm(o)
}

// mountsTerm is env.mounts: only a container's environment has the key (an
// empty list when it mounts nothing).
func mountsTerm(ms []Mount) *ast.Term {
	terms := make([]*ast.Term, len(ms))
	for i, m := range ms {
		o := ast.NewObject(
			item("path", ast.String(m.Path)),
			item("sub_path", ast.String(m.SubPath)),
			item("sub_path_expr", ast.Boolean(m.SubPathExpr)),
			item("read_only", ast.Boolean(m.ReadOnly)),
			item("volume", ast.String(m.Volume)),
			item("source", ast.String(m.Source)),
		)
		if m.FSGroup != nil {
			o.Insert(ast.StringTerm("fs_group"), ast.IntNumberTerm(int(*m.FSGroup)))
		}
		if f := m.Files; f != nil {
			its := make([]*ast.Term, len(f.Items))
			for j, it := range f.Items {
				its[j] = ast.ObjectTerm(item("path", ast.String(it.Path)), [2]*ast.Term{ast.StringTerm("mode"), ast.IntNumberTerm(int(it.Mode))})
			}
			o.Insert(ast.StringTerm("files"), ast.ObjectTerm(
				[2]*ast.Term{ast.StringTerm("default_mode"), ast.IntNumberTerm(int(f.DefaultMode))},
				item("all_keys", ast.Boolean(f.AllKeys)),
				[2]*ast.Term{ast.StringTerm("items"), ast.ArrayTerm(its...)},
			))
		}
		terms[i] = ast.NewTerm(o)
	}
	return ast.ArrayTerm(terms...)
}

func (r *Ref) term() *ast.Term { return r.termWith(nil) }

func (r *Ref) termWith(c termCache) *ast.Term {
	if r == nil {
		return ast.InternedNullTerm
	}
	path := make([]*ast.Term, len(r.Path))
	for i, p := range r.Path {
		switch p := p.(type) {
		case int:
			path[i] = ast.IntNumberTerm(p)
		case string:
			path[i] = c.str(p)
		default:
			path[i] = ast.StringTerm("?")
		}
	}
	return ast.ObjectTerm(
		[2]*ast.Term{c.str("file"), c.str(r.File)},
		[2]*ast.Term{c.str("doc"), ast.IntNumberTerm(r.Doc)},
		[2]*ast.Term{c.str("path"), ast.ArrayTerm(path...)},
	)
}

// termCache shares the terms of the strings that repeat within one
// conversion (keys, kinds, file IDs, label values): OPA never modifies an
// input term. It keeps the first termCacheMax strings; a nil cache shares
// nothing.
type termCache map[string]*ast.Term

const termCacheMax = 4096

func (c termCache) str(s string) *ast.Term {
	if t, ok := c[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	if c != nil && len(c) < termCacheMax {
		c[s] = t
	}
	return t
}

// objectsTerm converts objects with their whole values, or with their cross
// views (cross).
func objectsTerm(objs []Object, cross bool) (*ast.Term, error) {
	terms := make([]*ast.Term, 0, len(objs))
	var c termCache
	if cross {
		c = termCache{}
	}
	for i := range objs {
		o := &objs[i]
		var v ast.Value
		var err error
		if cross {
			v, err = o.crossTerm(c)
		} else {
			var full map[string]any
			if full, err = o.FullValue(); err == nil {
				v, err = ast.InterfaceToValue(full)
			}
		}
		if err != nil {
			return nil, err
		}
		terms = append(terms, ast.ObjectTerm(
			[2]*ast.Term{c.str("ref"), o.Ref.termWith(c)},
			[2]*ast.Term{c.str("value"), ast.NewTerm(v)},
			[2]*ast.Term{c.str("labels"), o.labelsTerm(c)},
		))
	}
	return ast.ArrayTerm(terms...), nil
}

// labelsTerm is the object's labels as the document shows them: Labels and,
// for a workload, its Role as "role".
func (o *Object) labelsTerm(c termCache) *ast.Term {
	t := labelsTermWith(o.Labels, c)
	if o.Role != "" {
		t.Value.(ast.Object).Insert(c.str("role"), c.str(o.Role))
	}
	return t
}

func labelsTerm(labels map[string]string) *ast.Term { return labelsTermWith(labels, nil) }

func labelsTermWith(labels map[string]string, c termCache) *ast.Term {
	obj := ast.NewObjectWithCapacity(len(labels))
	for k, v := range labels {
		obj.Insert(c.str(k), c.str(v))
	}
	return ast.NewTerm(obj)
}

func item(k string, v ast.Value) [2]*ast.Term {
	return [2]*ast.Term{ast.StringTerm(k), ast.NewTerm(v)}
}
