package helm_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/helm"
)

const chartDir = "../../charts/certctl"

// tlsValues chooses the chart's TLS source (an existing Secret): the chart
// refuses to render without one.
var tlsValues = filepath.Join(chartDir, "values-tls.yaml")

// lineOf is the 1-based line of the first match of re in file.
func lineOf(t *testing.T, file, re string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rx := regexp.MustCompile(re)
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		if rx.MatchString(s.Text()) {
			return n
		}
	}
	t.Fatalf("%s: no line matches %s", file, re)
	return 0
}

func render(t *testing.T, s helm.Spec) (*lint.Input, *lint.Release) {
	t.Helper()
	if s.Chart == "" {
		s.Chart = chartDir
	}
	s.Values = append([]string{tlsValues}, s.Values...)
	in, rel, err := helm.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	return in, rel
}

func objects(in *lint.Input, kind string) []lint.Object {
	var out []lint.Object
	for _, o := range in.Manifests {
		if o.Labels["kind"] == kind {
			out = append(out, o)
		}
	}
	return out
}

// TestDefaultsStayConservative guards the chart's defaults: one server replica,
// no PodDisruptionBudget, no NetworkPolicy, no HPA.
func TestDefaultsStayConservative(t *testing.T) {
	in, _ := render(t, helm.Spec{})
	deps := objects(in, "Deployment")
	if len(deps) != 1 || deps[0].Role != lint.RoleServer {
		t.Fatalf("want one server Deployment, got %d", len(deps))
	}
	spec := deps[0].Value["spec"].(map[string]any)
	if r, ok := spec["replicas"]; !ok || r != 1 {
		t.Errorf("default replicas = %v, want 1", r)
	}
	for _, kind := range []string{"PodDisruptionBudget", "NetworkPolicy", "HorizontalPodAutoscaler"} {
		if n := len(objects(in, kind)); n != 0 {
			t.Errorf("default render has %d %s", n, kind)
		}
	}
	for _, f := range in.Files {
		if strings.HasSuffix(f.Path, "NOTES.txt") || strings.Contains(f.Path, "/_") {
			t.Errorf("non-manifest template loaded: %s", f.Path)
		}
	}
}

func TestObjectsPointAtTheirTemplates(t *testing.T) {
	in, _ := render(t, helm.Spec{Profile: "p"})
	svc := objects(in, "Service")
	var server lint.Object
	for _, o := range svc {
		if o.Labels["name"] == "certctl-server" {
			server = o
		}
	}
	want := filepath.ToSlash(filepath.Clean(chartDir)) + "/templates/server-service.yaml"
	f := in.File(server.Ref.File)
	if f == nil || f.Path != want || f.Kind != lint.FileManifest {
		t.Fatalf("server Service file = %+v, want %s", f, want)
	}
	if server.Labels["subject"] != "../../charts/certctl profile p: Service certctl-server" {
		t.Errorf("subject = %q", server.Labels["subject"])
	}
	if l, _ := f.Locator.Locate(server.Ref.Doc, []any{"kind"}); l != 2 {
		t.Errorf("kind at rendered line %d, want 2", l)
	}
	// The server container's env: the token resolves from the generated Secret.
	for _, e := range in.Envs {
		if e.Role == lint.RoleServer {
			v := e.Vars["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]
			if !v.Known || len(v.Value) != 48 {
				t.Errorf("bootstrap token not resolved from the release's Secret: known=%v len=%d", v.Known, len(v.Value))
			}
			return
		}
	}
	t.Fatal("no server env")
}

func TestValueRefs(t *testing.T) {
	dir := t.TempDir()
	over := filepath.Join(dir, "over.yaml")
	if err := os.WriteFile(over, []byte("# overlay\nserver:\n  replicas: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in, rel := render(t, helm.Spec{Values: []string{over}, Set: []string{"podDisruptionBudget.enabled=true"}})
	refs := rel.ValueRefs
	check := func(key, file string, wantLine int) {
		t.Helper()
		r := refs[key]
		if r == nil || r.File != file {
			t.Fatalf("%s set in %v, want %s", key, r, file)
		}
		if wantLine == 0 {
			return
		}
		f := in.File(file)
		if f == nil || f.Kind != lint.FileHelmValues {
			t.Fatalf("values file %s not in the input", file)
		}
		if l, _ := f.Locator.Locate(r.Doc, r.Path); l != wantLine {
			t.Errorf("%s at line %d, want %d", key, l, wantLine)
		}
	}
	defaults := filepath.ToSlash(filepath.Clean(chartDir)) + "/values.yaml"
	check("server.replicas", filepath.ToSlash(over), 3)
	check("podDisruptionBudget.enabled", helm.SetFile, 0)
	check("podDisruptionBudget.minAvailable", defaults, lineOf(t, filepath.FromSlash(defaults), `^  minAvailable:`))
	vals := rel.Values
	if vals["server"].(map[string]any)["replicas"] != float64(3) {
		t.Errorf("merged replicas = %v", vals["server"].(map[string]any)["replicas"])
	}
	if len(objects(in, "PodDisruptionBudget")) != 1 {
		t.Error("--set podDisruptionBudget.enabled=true rendered no PDB")
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name string
		spec helm.Spec
		want string
	}{
		{"required", helm.Spec{Set: []string{"postgresql.enabled=false"}}, "postgresql.enabled is false: set externalDatabase.existingSecret"},
		{"schema", helm.Spec{Set: []string{"server.replicas=many"}}, "values.schema.json"},
		{"bad set", helm.Spec{Set: []string{"server.replicas"}}, "--set server.replicas"},
		{"missing values file", helm.Spec{Values: []string{"nope.yaml"}}, "read values file nope.yaml"},
		{"bad kube version", helm.Spec{KubeVersion: "banana"}, "--kube-version"},
		// yaml.v3 prints a parser error's line 0-based: the flow sequence opens on line 2.
		{"values file syntax", helm.Spec{Values: []string{badValues(t)}}, "bad-values.yaml: line 2: did not find expected ',' or ']'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.spec.Chart = chartDir
			c.spec.Values = append([]string{tlsValues}, c.spec.Values...)
			_, _, err := helm.Render(c.spec)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// badValues writes a values file whose line 2 opens a flow sequence that
// never closes.
func badValues(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bad-values.yaml")
	if err := os.WriteFile(p, []byte("a: 1\nb: [x, y\nc: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// tinyChart writes a chart whose one template is tmpl.
func tinyChart(t *testing.T, tmpl string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tiny")
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"Chart.yaml":               "apiVersion: v2\nname: tiny\nversion: 0.1.0\n",
		"values.yaml":              "name: x\n",
		"templates/NOTES.txt":      "not yaml: [\n",
		"templates/_helpers.tpl":   "{{- define \"x\" }}y{{ end }}",
		"templates/manifests.yaml": tmpl,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTemplateOutputErrors(t *testing.T) {
	dir := tinyChart(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n---\n- not an object\n")
	_, _, err := helm.Render(helm.Spec{Chart: dir})
	if err == nil || !strings.Contains(err.Error(), "templates/manifests.yaml:6: document 2 is a sequence") {
		t.Fatalf("err = %v", err)
	}
	dir = tinyChart(t, "{{ fail \"no way\" }}")
	if _, _, err := helm.Render(helm.Spec{Chart: dir}); err == nil || !strings.Contains(err.Error(), "no way") {
		t.Fatalf("fail: err = %v", err)
	}
}

func TestTinyChartNotesAndPartialsSkipped(t *testing.T) {
	dir := tinyChart(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n")
	in, rel, err := helm.Render(helm.Spec{Chart: dir, ReleaseName: "r1", Namespace: "ns1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Manifests) != 1 || rel.Chart != "tiny" || rel.Name != "r1" || rel.Namespace != "ns1" {
		t.Fatalf("manifests %d, release %v", len(in.Manifests), rel)
	}
}

func TestLoadDeduplicatesValuesFiles(t *testing.T) {
	ha := filepath.Join(chartDir, "values-ha.yaml")
	in, err := helm.Load(context.Background(), []helm.Spec{
		{Chart: chartDir, Profile: "default", Values: []string{tlsValues}},
		{Chart: chartDir, Profile: "ha", Values: []string{tlsValues, ha}},
		{Chart: chartDir, Profile: "demo", Values: []string{tlsValues, ha}, Demo: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, f := range in.Files {
		if f.Kind == lint.FileHelmValues {
			if _, dup := seen[f.ID]; dup {
				t.Errorf("values file %s loaded twice", f.ID)
			}
			seen[f.ID] = f.Role
		}
	}
	if seen[filepath.ToSlash(ha)] != "overlay" {
		t.Errorf("values-ha.yaml role = %q: used by a non-demo profile, so not demo", seen[filepath.ToSlash(ha)])
	}
	if rels := in.Releases; len(rels) != 3 {
		t.Errorf("releases = %d", len(rels))
	}
}

// BenchmarkRenderAndLint renders the certctl chart with the HA overlay and
// evaluates the catalog over it (the engine is compiled once, outside the loop).
func BenchmarkRenderAndLint(b *testing.B) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	specs := []helm.Spec{{Chart: chartDir, Profile: "ha", Values: []string{tlsValues, filepath.Join(chartDir, "values-ha.yaml")}}}
	for b.Loop() {
		in, err := helm.Load(ctx, specs)
		if err != nil {
			b.Fatal(err)
		}
		in.Meta.CertctlVersion = "2.1.0"
		if _, err := eng.Eval(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestChartFilesAreSources lists what the user wrote: Chart.yaml, values files
// and templates (partials and NOTES.txt included), with the digest of the
// bytes on disk; the same twice, whatever the templates generate at render.
func TestChartFilesAreSources(t *testing.T) {
	files, err := helm.ChartFiles("", chartDir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := helm.ChartFiles("", chartDir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files, again) {
		t.Fatal("two listings of the same chart differ")
	}
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = f.SHA256
	}
	for _, name := range []string{"Chart.yaml", "values.yaml", "templates/server-deployment.yaml", "templates/_helpers.tpl"} {
		p := path.Join(filepath.ToSlash(filepath.Clean(chartDir)), name)
		src, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(src)
		if got := byPath[p]; got != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: sha256 %q, want the digest of the file on disk", p, got)
		}
	}
	if _, err := helm.ChartFiles("", t.TempDir()); err == nil {
		t.Error("a directory without Chart.yaml is listed as a chart")
	}
}

// TestLoadRefusesOneReleaseTwice: two renders with one release ID would
// make findings ambiguous; Load refuses them, and keeps two distinct ones.
func TestLoadRefusesOneReleaseTwice(t *testing.T) {
	s := helm.Spec{Chart: chartDir, Values: []string{tlsValues}}
	if _, err := helm.Load(context.Background(), []helm.Spec{s, s}); err == nil || !strings.Contains(err.Error(), "both inputs carry it") {
		t.Fatalf("err = %v, want the release refused", err)
	}
	ha := s
	ha.Profile = "ha"
	in, err := helm.Load(context.Background(), []helm.Spec{s, ha})
	if err != nil || len(in.Releases) != 2 {
		t.Fatalf("two profiles: err %v, releases %v", err, in.Releases)
	}
}
