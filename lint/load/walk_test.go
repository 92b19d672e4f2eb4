package load

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestWalkClassifiesByContent: YAML that holds a Kubernetes object or a compose
// file is claimed whatever its layout; everything else it looked at is listed
// as skipped with the reason.
func TestWalkClassifiesByContent(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("# a long licence header line, repeated well past any sniffing limit\n", 2000)
	files := map[string]string{
		"flow.yaml":          "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}}\n",
		"indented.yaml":      "  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: indented\n",
		"header.yaml":        long + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: header\n",
		"second-doc.yml":     "# just a comment\n---\nfoo: bar\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n",
		"stack.yml":          "{services: {web: {image: nginx}}}\n",
		"values.yaml":        "server:\n  replicas: 1\n",
		"ci.yml":             "kind: pipeline\ntype: docker\n",
		"broken.yaml":        "  apiVersion: v1\n kind: [\n",
		"broken-random.yaml": "a: [\n",
		"notes.txt":          "apiVersion: v1\nkind: ConfigMap\n",
		"testdata/x.yaml":    "apiVersion: v1\nkind: ConfigMap\n",
	}
	for name, body := range files {
		write(t, dir, name, body)
	}
	byKind := map[string][]string{}
	var skipped []lint.Skipped
	if err := walk(dir, byKind, &skipped); err != nil {
		t.Fatal(err)
	}
	base := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, filepath.Base(p))
		}
		slices.Sort(out)
		return out
	}
	if got, want := base(byKind["manifest"]), []string{"broken.yaml", "flow.yaml", "header.yaml", "indented.yaml", "second-doc.yml"}; !slices.Equal(got, want) {
		t.Errorf("manifests %v, want %v", got, want)
	}
	if got, want := base(byKind["compose"]), []string{"stack.yml"}; !slices.Equal(got, want) {
		t.Errorf("compose %v, want %v", got, want)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[filepath.Base(strings.TrimSuffix(s.Path, "/"))] = s.Reason
	}
	for name, want := range map[string]string{
		"values.yaml":        "a values file",
		"ci.yml":             "no Kubernetes object",
		"broken-random.yaml": "not valid YAML",
		"testdata":           "directory not walked",
	} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("%s: skipped reason %q, want %q", name, reasons[name], want)
		}
	}
	if len(reasons) != 4 {
		t.Errorf("skipped %v", skipped)
	}
}

// TestLoadReportsSkipped: the walk's skipped list reaches the input (and the
// report's checked.skipped); a broken file that looks like Kubernetes is an
// error, not a skip.
func TestLoadReportsSkipped(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "flow.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}}\n")
	write(t, dir, "values.yaml", "a: 1\n")
	in, err := Load(context.Background(), []string{dir}, Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Manifests) != 1 || in.Manifests[0].Labels["name"] != "flow" {
		t.Fatalf("manifests %+v", in.Manifests)
	}
	if list := in.Skipped; len(list) != 1 || list[0].Path != "values.yaml" {
		t.Fatalf("skipped %v", in.Skipped)
	}
	write(t, dir, "broken.yaml", "{apiVersion: v1, kind: [\n")
	if _, err := Load(context.Background(), []string{dir}, Options{Root: dir}); err == nil || !strings.Contains(err.Error(), "broken.yaml") {
		t.Fatalf("broken manifest: err = %v", err)
	}
	// A file named on the command line that is neither says why.
	_, err = Load(context.Background(), []string{filepath.Join(dir, "values.yaml")}, Options{Root: dir})
	if err == nil || !strings.Contains(err.Error(), "no Kubernetes object") {
		t.Fatalf("named values file: err = %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "broken.yaml")); err != nil {
		t.Fatal(err)
	}
}

// TestSkippedYAMLNamesTheLine: a YAML file that does not parse is skipped
// with the line yaml.v3 means (a parser error's printed line is 0-based).
func TestSkippedYAMLNamesTheLine(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "flow.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}}\n")
	for name, c := range map[string]struct{ src, want string }{
		"parser.yaml":  {"a: 1\nb: [x, y\nc: 2\n", "not valid YAML: line 2: did not find expected ',' or ']'"},
		"scanner.yaml": {"a: 1\n\nb: c: d\n", "not valid YAML: line 3: mapping values are not allowed in this context"},
	} {
		write(t, dir, name, c.src)
		in, err := Load(context.Background(), []string{dir}, Options{Root: dir})
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Skipped) != 1 || in.Skipped[0].Path != name || in.Skipped[0].Reason != c.want {
			t.Errorf("%s: skipped %+v, want reason %q", name, in.Skipped, c.want)
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}
