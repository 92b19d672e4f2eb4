package lint

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/certgate/certgate/policies"
)

// TestBuiltinCatalogPassesEveryStage backs newCompiler's shortcut: the
// built-in catalog, with its generated query module, compiles strictly with
// every stage the built-in engine skips, and uses no `with` (the one place
// evaluation reads the type checker's environment).
func TestBuiltinCatalogPassesEveryStage(t *testing.T) {
	srcs, err := readSources(policies.FS, "policies/", true)
	if err != nil {
		t.Fatal(err)
	}
	modules, pols, err := catalog(srcs)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := ast.ParseModuleWithOpts("certgate_engine.rego", generated(pols), ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	modules["certgate_engine.rego"] = gen
	full := ast.NewCompiler().WithStrict(true)
	if full.Compile(modules); full.Failed() {
		t.Fatalf("built-in catalog fails a strict compile with every stage: %v", full.Errors)
	}
	ran := full.StagesToRun()
	for _, s := range checkOnlyStages {
		if !slices.Contains(ran, s) {
			t.Errorf("stage %s is not one the compiler runs", s)
		}
	}
	for name, m := range modules {
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if len(e.With) > 0 {
				t.Errorf("%s:%d uses with; the built-in engine skips the type checker that evaluation needs for it", name, e.Location.Row)
			}
			return false
		})
	}
	if got := newCompiler(srcs).StagesToRun(); len(got) != len(ran)-len(checkOnlyStages) {
		t.Errorf("built-in compiler runs %d stages, want %d", len(got), len(ran)-len(checkOnlyStages))
	}
}

// TestUserPolicyGetsEveryStage: a --policy source compiles with every stage,
// so its type errors are reported.
func TestUserPolicyGetsEveryStage(t *testing.T) {
	user := fstest.MapFS{"x.rego": {Data: []byte(`package certgate.x

# METADATA
# scope: package
# title: T
# description: D
# custom:
#   id: CFG-XTYPE
#   severity: error
#   remediation: Fix it.
deny contains f if {
	x := 1
	f := {"msg": concat(",", x)}
}
`)}}
	if _, err := New(context.Background(), WithPolicyFS(user)); err == nil {
		t.Fatal("a type error in a --policy module compiled")
	}
	srcs := []source{{name: "a.rego", builtin: true}, {name: "b.rego"}}
	if got, want := len(newCompiler(srcs).StagesToRun()), len(ast.NewCompiler().StagesToRun()); got != want {
		t.Errorf("with a user source the compiler runs %d stages, want %d", got, want)
	}
}

// TestPolicyDirFIFO: a FIFO among --policy files is an error naming it, and
// is never opened (nobody writes to it: opening would block).
func TestPolicyDirFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "x.rego"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := New(context.Background(), WithPolicyDir(dir))
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "x.rego") || !strings.Contains(err.Error(), "named pipe") {
			t.Fatalf("New = %v, want an error naming x.rego as a named pipe", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("New blocked on a FIFO in the policy directory")
	}
}
