// Package helm renders Helm charts in-process (chart loader, engine and chartutil;
// no helm binary, no cluster) and turns each render into lint.Input parts. It is
// the only certgate package that imports helm.sh/helm/v3.
//
// Each render is a release: its values files are kept as lint.File entries (kind
// helm-values) with positions; its merged values and, for every dotted key, the
// ref of the source that set it last (the chart's values.yaml, a -f file, or
// "--set") go into input.releases; each rendered template (NOTES.txt and
// partials excluded) is parsed by lint/kube as its own file, so every object
// points at its template and a line of the rendered text. Schema violations,
// template errors (required, fail) and rendered text that is not valid
// Kubernetes YAML are errors carrying Helm's message. Render is safe for
// concurrent use.
package helm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/strvals"

	"github.com/certgate/certgate/internal/displaypath"
	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/kube"
)

// SetFile is the ref file of values given with --set: they have no line.
const SetFile = "--set"

// Defaults of a render, as helm template uses them.
const (
	DefaultReleaseName = "certctl"
	DefaultNamespace   = "default"
)

// Spec is one render: a chart directory and its values.
type Spec struct {
	// Chart is the chart directory, as displayed in findings (slash-separated).
	Chart string
	// Values are values files, later files winning; Set are --set k=v strings,
	// applied after every file.
	Values []string
	Set    []string
	// ReleaseName and Namespace default to certctl and default.
	ReleaseName string
	Namespace   string
	// KubeVersion is the cluster version templates see (default: Helm's).
	KubeVersion string
	// Profile names the value profile (certgate.yaml); Demo marks a demo profile.
	Profile string
	Demo    bool
	// Roles are certgate.yaml's role overrides (see kube.RoleOverride).
	Roles map[string]string
	// Root is the run's root: Chart and Values, which are read as given
	// (from the working directory, or absolute), are displayed relative to it
	// when they lie inside it (displaypath.Rel). Empty: displayed as given.
	Root string
}

// display is how the path p (as read) is named in findings and messages.
func (s Spec) display(p string) string { return displaypath.Rel(s.Root, p) }

// under is p read from root (p itself when root is empty or p absolute).
func under(root, p string) string {
	if root == "" || filepath.IsAbs(filepath.FromSlash(p)) {
		return filepath.FromSlash(p)
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// ID names the release in subjects and labels: the chart, plus its profile.
func (s Spec) ID() string {
	if s.Profile == "" {
		return s.Chart
	}
	return s.Chart + " profile " + s.Profile
}

// Load renders every spec and merges the results into one input. A values file
// used by several specs is one file (role demo only when every spec using it is
// a demo profile); input.releases lists one entry per spec.
func Load(ctx context.Context, specs []Spec) (*lint.Input, error) {
	in := &lint.Input{Releases: make([]lint.Release, 0, len(specs))}
	byID := map[string]*lint.File{}
	releases := make([]*lint.Input, 0, len(specs))
	for _, s := range specs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		part, rel, err := Render(s)
		if err != nil {
			return nil, err
		}
		for _, f := range part.Files {
			if prev, ok := byID[f.ID]; ok {
				if prev.Role == "demo" && f.Role != "demo" {
					prev.Role = f.Role
				}
				continue
			}
			byID[f.ID] = f
			in.Files = append(in.Files, f)
		}
		in.Envs = append(in.Envs, part.Envs...)
		in.Manifests = append(in.Manifests, part.Manifests...)
		releases = append(releases, &lint.Input{Releases: []lint.Release{*rel}})
	}
	// One Merge for every render's release: two renders with one release ID
	// are refused, in one pass.
	if err := in.Merge(releases...); err != nil {
		return nil, err
	}
	return in, nil
}

// Render renders one spec. It returns the input part and its entry of
// input.releases.
func Render(s Spec) (*lint.Input, *lint.Release, error) {
	if s.ReleaseName == "" {
		s.ReleaseName = DefaultReleaseName
	}
	if s.Namespace == "" {
		s.Namespace = DefaultNamespace
	}
	dir := filepath.Clean(s.Chart)
	s.Chart = s.display(s.Chart)
	where := "chart " + s.ID()
	if err := onlyRegular(dir); err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", where, err)
	}
	chrt, err := loader.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", where, err)
	}
	if err := checkDependencies(chrt, s.Chart); err != nil {
		return nil, nil, err
	}
	in := &lint.Input{}
	refs := map[string]*lint.Ref{}
	role := "base"
	if s.Demo {
		role = "demo"
	}
	// The chart's own values.yaml: where every default comes from.
	defaults := path.Join(s.Chart, "values.yaml")
	if src, err := readfile.Regular(filepath.Join(dir, "values.yaml")); err == nil {
		f, _, err := valuesFile(src, defaults, role)
		if err != nil {
			return nil, nil, err
		}
		in.AddFile(f)
		recordRefs(refs, f.Docs[0], f.ID, nil)
	} else if cause := readfile.Cause(err); cause != err {
		return nil, nil, fmt.Errorf("read values file %s: %w", defaults, cause) // too large
	}
	user := map[string]any{}
	if s.Demo {
		role = "demo"
	} else {
		role = "overlay"
	}
	for _, read := range s.Values {
		vf := s.display(read)
		src, err := readfile.File(filepath.Clean(read))
		if err != nil {
			return nil, nil, fmt.Errorf("read values file %s: %w", vf, unwrap(err))
		}
		f, m, err := valuesFile(src, vf, role)
		if err != nil {
			return nil, nil, err
		}
		in.AddFile(f)
		recordRefs(refs, f.Docs[0], f.ID, nil)
		user = mergeMaps(user, m)
	}
	for _, kv := range s.Set {
		one, err := strvals.Parse(kv)
		if err != nil {
			return nil, nil, fmt.Errorf("--set %s: %w", kv, err)
		}
		recordRefs(refs, one, SetFile, nil)
		if err := strvals.ParseInto(kv, user); err != nil {
			return nil, nil, fmt.Errorf("--set %s: %w", kv, err)
		}
	}
	caps := chartutil.DefaultCapabilities.Copy()
	if s.KubeVersion != "" {
		kv, err := chartutil.ParseKubeVersion(s.KubeVersion)
		if err != nil {
			return nil, nil, fmt.Errorf("--kube-version %q: %w", s.KubeVersion, err)
		}
		caps.KubeVersion = *kv
	}
	// Conditions, tags and import-values of dependencies, as helm install and
	// helm template apply them.
	if err := chartutil.ProcessDependenciesWithMerge(chrt, user); err != nil {
		return nil, nil, fmt.Errorf("%s: dependencies: %w", where, err)
	}
	merged, err := chartutil.CoalesceValues(chrt, user)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: merge values: %w", where, err)
	}
	// ToRenderValues is told to skip the schema so the error is ours, with the
	// chart named; the check itself is Helm's.
	if err := chartutil.ValidateAgainstSchema(chrt, merged); err != nil {
		return nil, nil, fmt.Errorf("%s: values do not match %s/values.schema.json:\n%w", where, s.Chart, err)
	}
	vals, err := chartutil.ToRenderValuesWithSchemaValidation(chrt, user, chartutil.ReleaseOptions{
		Name: s.ReleaseName, Namespace: s.Namespace, Revision: 1, IsInstall: true,
	}, caps, true)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", where, err)
	}
	rendered, err := engine.Render(chrt, vals)
	if err != nil {
		return nil, nil, fmt.Errorf("render %s: %w", where, err)
	}
	labels := kube.Labels{"release": s.ID(), "profile": s.Profile, "chart": chrt.Name(), "prefix": s.ID() + ": "}
	if s.Demo {
		labels["demo"] = "true"
	}
	sources := templateSources(chrt, chrt.Name())
	var objs []lint.Object
	for _, name := range slices.Sorted(maps.Keys(rendered)) {
		if !isManifest(name) {
			continue
		}
		text := rendered[name]
		if strings.TrimSpace(text) == "" {
			continue
		}
		display := templatePath(s.Chart, chrt, name)
		l := maps.Clone(labels)
		l["template"] = display
		f, o, err := kube.Parse([]byte(text), display, l)
		if err != nil {
			return nil, nil, fmt.Errorf("render %s: template output is not valid Kubernetes YAML: %w", where, err)
		}
		if len(o) == 0 {
			continue
		}
		// One file per template and release: the same template renders differently
		// per profile, so the ID carries the release; the path stays the template's.
		f.ID = display + "@" + s.ID()
		for i := range o {
			o[i].Ref.File = f.ID
		}
		// Positions are the template's own lines, never lines of the rendered
		// text under the template's name (see templateLocator).
		if src, ok := sources[name]; ok {
			f.Locator = newTemplateLocator(f.Locator, []byte(text), src)
			f.Source = src
		} else {
			f.Locator = nil
		}
		in.AddFile(f)
		objs = append(objs, o...)
	}
	in.Manifests = objs
	in.Envs = kube.EnvsWithRoles(objs, s.Roles)
	rel := &lint.Release{
		ID:        s.ID(),
		Name:      s.ReleaseName,
		Namespace: s.Namespace,
		Chart:     chrt.Name(),
		ChartPath: s.Chart,
		Profile:   s.Profile,
		Demo:      s.Demo,
		Values:    map[string]any(merged),
		ValueRefs: refs,
	}
	return in, rel, nil
}

// ChartFile is one file of a chart as the user wrote it.
type ChartFile struct {
	// Path is the chart directory joined with the file's name in the chart
	// (slash-separated, as displayed in findings).
	Path   string
	SHA256 string
}

// ChartFiles lists the files Helm loads from the chart directory dir
// (.helmignore applied, vendored subcharts included), sorted by path: the
// chart's own sources, never rendered output.
// A relative dir is read from root (see Spec.Root) and displayed as given.
func ChartFiles(root, dir string) ([]ChartFile, error) {
	dir = filepath.ToSlash(filepath.Clean(dir))
	if err := onlyRegular(under(root, dir)); err != nil {
		return nil, fmt.Errorf("load chart %s: %w", dir, err)
	}
	chrt, err := loader.Load(under(root, dir))
	if err != nil {
		return nil, fmt.Errorf("load chart %s: %w", dir, err)
	}
	// Raw holds every file Helm read, vendored subcharts (directories or
	// archives under charts/) included.
	out := make([]ChartFile, 0, len(chrt.Raw))
	for _, f := range chrt.Raw {
		sum := sha256.Sum256(f.Data)
		out = append(out, ChartFile{Path: path.Join(dir, f.Name), SHA256: hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(out, func(a, b ChartFile) int { return strings.Compare(a.Path, b.Path) })
	return slices.CompactFunc(out, func(a, b ChartFile) bool { return a.Path == b.Path }), nil
}

// isManifest keeps templates that render Kubernetes objects: not NOTES.txt, not
// partials, not non-YAML files.
func isManifest(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, "_") || strings.EqualFold(base, "NOTES.txt") {
		return false
	}
	ext := path.Ext(base)
	return ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".tpl"
}

// templatePath maps a render key ("certctl/templates/x.yaml", or a subchart's
// "certctl/charts/sub/templates/y.yaml") to a path under the chart directory.
func templatePath(dir string, chrt *chart.Chart, name string) string {
	rest := strings.TrimPrefix(name, chrt.Name()+"/")
	return path.Join(dir, rest)
}

// valuesFile parses a values file into a lint.File (a YAMLLocator over its node
// tree) and the map Helm reads from it.
func valuesFile(src []byte, display, role string) (*lint.File, map[string]any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		if line, msg := lint.YAMLErrorAt(err); line > 0 {
			return nil, nil, fmt.Errorf("values file %s: line %d: %s", display, line, msg)
		}
		return nil, nil, fmt.Errorf("values file %s: %s", display, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if root := content(&n); root != nil && root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("values file %s:%d: not a mapping of values", display, root.Line)
	}
	vals, err := chartutil.ReadValues(src)
	if err != nil {
		return nil, nil, fmt.Errorf("values file %s: %w", display, err)
	}
	m := map[string]any(vals)
	sum := sha256.Sum256(src)
	f := &lint.File{
		ID: display, Path: display, Kind: lint.FileHelmValues, Role: role,
		Docs: []any{m}, SHA256: hex.EncodeToString(sum[:]), Locator: lint.YAMLLocator{Docs: []*yaml.Node{&n}}, Source: src,
	}
	return f, m, nil
}

func content(n *yaml.Node) *yaml.Node {
	if n.Kind == 0 {
		return nil // an empty file
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	return n
}

// recordRefs records, for every dotted key of v (maps are descended, lists are
// leaves), a ref to file; later calls overwrite, as later sources win.
func recordRefs(refs map[string]*lint.Ref, v any, file string, prefix []any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, sub := range m {
		p := append(slices.Clone(prefix), k)
		refs[dottedKey(p)] = &lint.Ref{File: file, Path: p}
		recordRefs(refs, sub, file, p)
	}
}

func dottedKey(p []any) string {
	parts := make([]string, len(p))
	for i, k := range p {
		parts[i] = fmt.Sprint(k)
	}
	return strings.Join(parts, ".")
}

// mergeMaps merges b into a the way helm merges -f files: maps merge
// recursively, everything else is replaced.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	maps.Copy(out, a)
	for k, v := range b {
		if vm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, vm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// unwrap is readfile.StripPath: messages name the values file already.
func unwrap(err error) error { return readfile.StripPath(err) }

// onlyRegular refuses a chart directory holding a FIFO, device or socket:
// Helm's loader would read it, and a FIFO would block the render forever.
func onlyRegular(chart string) error {
	return filepath.WalkDir(filepath.FromSlash(chart), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil // what cannot be walked, Helm's loader reports
		}
		if r := readfile.Special(d.Type()); r != "" {
			return fmt.Errorf("%s is %s, not a regular file", filepath.ToSlash(p), r)
		}
		return nil
	})
}
