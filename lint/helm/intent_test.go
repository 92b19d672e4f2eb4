package helm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/helm"
)

const intentChart = "../../testdata/charts/intent"

// TestMissingDependencies: declared dependencies that are not under charts/
// are an error naming each one and the command that vendors them.
func TestMissingDependencies(t *testing.T) {
	_, _, err := helm.Render(helm.Spec{Chart: "../../testdata/charts/missing-dep"})
	if err == nil {
		t.Fatal("rendered a chart without its dependencies")
	}
	for _, want := range []string{"postgresql (15.5.0, from https://charts.example.com/stable)", "common (2.x.x", "run helm dependency build ../../testdata/charts/missing-dep"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err %q lacks %q", err, want)
		}
	}
}

// TestVendoredDependencyRendersAndConditionsApply: a vendored dependency
// passes the check, and its condition is honoured as helm template does.
func TestVendoredDependencyRendersAndConditionsApply(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"Chart.yaml":                     "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n",
		"values.yaml":                    "sub:\n  enabled: true\n",
		"templates/cm.yaml":              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n",
		"charts/sub/Chart.yaml":          "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"charts/sub/templates/cm.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n",
		"charts/sub/templates/_x.tpl":    "",
		"charts/sub/templates/NOTES.txt": "",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	in, _, err := helm.Render(helm.Spec{Chart: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Manifests) != 2 {
		t.Fatalf("objects %d, want 2 (top and sub)", len(in.Manifests))
	}
	in, _, err = helm.Render(helm.Spec{Chart: dir, Set: []string{"sub.enabled=false"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Manifests) != 1 {
		t.Fatalf("objects %d with sub.enabled=false, want 1", len(in.Manifests))
	}
}

// TestTemplateLines: a rendered object locates at the template's own lines,
// not at lines of the rendered text; a value the template does not write
// itself (toYaml of values) points at the block it is rendered into.
func TestTemplateLines(t *testing.T) {
	in, _, err := helm.Render(helm.Spec{Chart: intentChart, Set: []string{"server.extraEnv[0].name=CERTCTL_LOG_LEVEL,server.extraEnv[0].value=debug"}})
	if err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(intentChart, "templates", "server.yaml")
	var dep = -1
	for i, o := range in.Manifests {
		if o.Labels["kind"] == "Deployment" {
			dep = i
		}
	}
	if dep < 0 {
		t.Fatal("no Deployment rendered")
	}
	o := in.Manifests[dep]
	f := in.File(o.Ref.File)
	if f == nil || f.Locator == nil || f.Path != filepath.ToSlash(tmpl) {
		t.Fatalf("file %+v", f)
	}
	if string(f.Source) != readFile(t, tmpl) {
		t.Error("the file's source is not the template's (inline carve-outs would read the wrong lines)")
	}
	containers := []any{"spec", "template", "spec", "containers", 0}
	cases := []struct {
		path []any
		re   string // the template line; "" for no line
	}{
		{[]any{"spec", "replicas"}, `^  replicas: \{\{`},
		{[]any{"kind"}, `^kind: Deployment`},
		{append(containers, "image"), `^          image: \{\{`},
		{containers, `^        - name: server`},
		{append(containers, "env", 0), `^            - name: CERTCTL_SERVER_HOST`},
		// Written three times: each in its own block.
		{[]any{"metadata", "labels", "app.kubernetes.io/component"}, `^    app.kubernetes.io/component:`},
		{[]any{"spec", "selector", "matchLabels", "app.kubernetes.io/component"}, `^      app.kubernetes.io/component:`},
		{[]any{"spec", "template", "metadata", "labels", "app.kubernetes.io/component"}, `^        app.kubernetes.io/component:`},
		// Rendered by toYaml from values: the block it lands in.
		{append(containers, "env", 1), `^          env:`},
		{append(containers, "env", 1, "value"), `^          env:`},
	}
	for _, c := range cases {
		line, col := f.Locator.Locate(o.Ref.Doc, append(append([]any{}, o.Ref.Path...), c.path...))
		want := 0
		if c.re != "" {
			want = lineOf(t, tmpl, c.re)
		}
		if line != want {
			t.Errorf("%v: line %d, want %d", c.path, line, want)
		}
		if want != 0 && col == 0 {
			t.Errorf("%v: no column", c.path)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
