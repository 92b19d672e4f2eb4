package policies_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/policies"
)

// TestRego runs every _test.rego of the embedded catalog with OPA's test runner
// and reports each Rego test as a Go subtest.
func TestRego(t *testing.T) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return err
		}
		modules[path] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ch, err := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(true)).
		SetModules(modules).
		RaiseBuiltinErrors(true).
		RunTests(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			if r.Error != nil {
				t.Fatalf("%s: error: %v", r.Location, r.Error)
			}
			if r.Fail {
				t.Fatalf("%s: failed\n%s", r.Location, r.Output)
			}
		})
	}
	if n < 40 {
		t.Fatalf("ran %d Rego tests; the catalog has more than that", n)
	}
}

// TestReleasesMatchMetadata keeps custom.releases (what the docs and reports
// show) and each package's `releases` constant (what Rego judges) in step.
func TestReleasesMatchMetadata(t *testing.T) {
	ctx := context.Background()
	e, err := lint.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	err = fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		modules[path], err = ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c := ast.NewCompiler()
	if c.Compile(modules); c.Failed() {
		t.Fatal(c.Errors)
	}
	for _, p := range e.Policies() {
		rs, err := rego.New(rego.Compiler(c), rego.Query(p.Package+".releases")).Eval(ctx)
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		got := ""
		if len(rs) > 0 {
			got, _ = rs[0].Expressions[0].Value.(string)
		}
		if got != p.Releases {
			t.Errorf("%s: custom.releases is %q but %s.releases is %q", p.ID, p.Releases, p.Package, got)
		}
	}
}
