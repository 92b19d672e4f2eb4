package lint

import (
	"context"
	"testing"
)

// TestGateEngineDropsUnusedHelpers: an engine narrowed to what the gate sees
// compiles no Kubernetes helpers, keeps the ones its rules read, and judges
// as before (server.TestParity runs every parity case through it).
func TestGateEngineDropsUnusedHelpers(t *testing.T) {
	srcs, err := configOf(nil).sources()
	if err != nil {
		t.Fatal(err)
	}
	modules, pols, err := catalog(srcs)
	if err != nil {
		t.Fatal(err)
	}
	kept := onlyJudging(modules, pols, []string{"env", "probe", "host"})
	pkgs := map[string]bool{}
	for _, m := range modules {
		pkgs[m.Package.Path.String()] = true
	}
	if pkgs["data.certgate.lib.k8s"] {
		t.Error("the gate's engine keeps data.certgate.lib.k8s, which none of its rules reads")
	}
	if !pkgs["data.certgate.lib"] {
		t.Error("the gate's engine dropped data.certgate.lib, which its rules read")
	}
	for _, p := range kept {
		if !pkgs[p.Package] {
			t.Errorf("kept rule %s lost its package", p.ID)
		}
	}
	if _, err := New(context.Background(), WithInputs("env", "probe", "host")); err != nil {
		t.Fatalf("the narrowed catalog does not compile: %v", err)
	}
	// A catalog narrowed to manifests keeps the Kubernetes helpers.
	modules, pols, err = catalog(srcs)
	if err != nil {
		t.Fatal(err)
	}
	onlyJudging(modules, pols, []string{"manifest"})
	found := false
	for _, m := range modules {
		found = found || m.Package.Path.String() == "data.certgate.lib.k8s"
	}
	if !found {
		t.Error("a manifest engine dropped data.certgate.lib.k8s")
	}
}
