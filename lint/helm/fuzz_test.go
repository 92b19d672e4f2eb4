package helm_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/helm"
)

// FuzzValues: the repository's chart rendered with the fuzzed bytes as a -f
// values file (after values-tls.yaml, which the chart needs to render) either
// renders or is an error, never both and never neither; it never panics,
// every value ref into a values file locates at a line inside that file, and
// every other ref (objects, environments, variables) names a file of the input
// and, where it locates, at a line inside that file's text.
func FuzzValues(f *testing.F) {
	var fixtures []string
	for _, g := range []string{
		filepath.Join(chartDir, "values*.yaml"),
		filepath.Join("..", "..", "testdata", "chart", "*.yaml"),
		filepath.Join("..", "..", "testdata", "charts", "*", "values*.yaml"),
	} {
		m, _ := filepath.Glob(g)
		fixtures = append(fixtures, m...)
	}
	if len(fixtures) == 0 {
		f.Fatal("no values fixtures")
	}
	for _, p := range fixtures {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"# only a comment\n",
		"server:\n  replicas: 2\npodDisruptionBudget: {enabled: true}\n",
		"server: &s {replicas: 1}\nagent: *s\n",
		"- a list\n",
		"server:\n  replicas: many\n",
		"server:\n  env:\n    CERTCTL_AUTH_TYPE: none\n",
		"a: {b: {c: {d: [1, {e: f}]}}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		values := filepath.Join(t.TempDir(), "values-fuzz.yaml")
		if err := os.WriteFile(values, src, 0o644); err != nil {
			t.Fatal(err)
		}
		in, rel, err := helm.Render(helm.Spec{Chart: chartDir, Values: []string{tlsValues, values}})
		if err != nil {
			if in != nil || rel != nil {
				t.Fatalf("an error and a render: %v", err)
			}
			return
		}
		if in == nil || rel == nil {
			t.Fatal("neither an error nor a render")
		}
		for key, ref := range rel.ValueRefs {
			if ref.File == helm.SetFile {
				continue
			}
			checkRef(t, in, "value "+key, ref, true)
		}
		for _, o := range in.Manifests {
			checkRef(t, in, "object", o.Ref, false)
		}
		for _, e := range in.Envs {
			checkRef(t, in, "environment "+e.ID, e.Ref, false)
			for name, v := range e.Vars {
				checkRef(t, in, "variable "+name+" of "+e.ID, v.Ref, false)
			}
		}
	})
}

// checkRef fails unless ref names a file of in and, where that file has a
// locator and its text, locates at a line inside that text; must says the ref
// has to locate (a values file) rather than possibly be unknown (a line of a
// template that rendered a block from a helper).
func checkRef(t *testing.T, in *lint.Input, what string, ref *lint.Ref, must bool) {
	t.Helper()
	if ref == nil {
		return
	}
	file := in.File(ref.File)
	if file == nil {
		t.Fatalf("%s: ref file %q is not among the input files", what, ref.File)
	}
	if file.Locator == nil || file.Source == nil {
		if must {
			t.Fatalf("%s: values file %s has no positions", what, ref.File)
		}
		return
	}
	lines := bytes.Count(file.Source, []byte("\n")) + 1
	line, _ := file.Locator.Locate(ref.Doc, ref.Path)
	if line > lines || line < 0 || (must && line < 1) {
		t.Fatalf("%s: ref %s doc %d %v locates at line %d, outside its %d lines", what, ref.File, ref.Doc, ref.Path, line, lines)
	}
}
