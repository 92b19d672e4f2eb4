package kube_test

import (
	"testing"

	"github.com/certgate/certgate/lint/kube"
)

// FuzzLoad: any stream either loads or is an error; it never panics, and every
// object it returns has a ref that locates inside the stream.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n",
		"--- # comment\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {a: b}}\n---\n",
		"# Source: c/templates/d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: c, env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: a}}}]}]\n",
		"- not a mapping\n",
		"a: &x [*x]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		in, err := kube.Load(src, "fuzz.yaml", kube.Labels{}, nil)
		if err != nil {
			return
		}
		file := in.File("fuzz.yaml")
		if file == nil {
			t.Fatal("the stream is not among the input files")
		}
		for _, o := range in.Manifests {
			if line, _ := file.Locator.Locate(o.Ref.Doc, o.Ref.Path); line < 1 {
				t.Fatalf("object %v does not locate in the stream", o.Ref)
			}
		}
		kube.Envs(in.Manifests)
	})
}
