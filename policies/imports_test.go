package policies_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/certgate/certgate/policies"
)

// TestRulesImportOnlyLib: a rule package shares helpers through
// data.certgate.lib and its subpackages (data.certgate.lib.k8s), never by
// importing another rule's package, so each rule compiles, evaluates and is
// left out (lint.WithInputs) on its own.
func TestRulesImportOnlyLib(t *testing.T) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
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
	if len(modules) < 40 {
		t.Fatalf("parsed %d modules; the catalog has more than that", len(modules))
	}
	checked := 0
	for path, m := range modules {
		for _, imp := range m.Imports {
			checked++
			if bad := ruleImport(m.Package.Path, imp); bad != "" {
				t.Errorf("%s: package %s imports %s: import helpers from data.certgate.lib (or a subpackage such as data.certgate.lib.k8s), never another rule's package", path, m.Package.Path, bad)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no module of the catalog imports anything; the walk found the wrong files")
	}
}

// ruleImport returns the imported ref when it names a rule package under
// data.certgate other than pkg itself (or data.certgate as a whole), else "".
func ruleImport(pkg ast.Ref, imp *ast.Import) string {
	r, ok := imp.Path.Value.(ast.Ref)
	if !ok {
		return ""
	}
	certgate := ast.MustParseRef("data.certgate")
	if !r.HasPrefix(certgate) {
		return "" // input, future.keywords, rego.v1 and the like
	}
	if len(r) == len(certgate) {
		return r.String() // all of data.certgate, every rule included
	}
	if r.HasPrefix(ast.MustParseRef("data.certgate.lib")) || r.HasPrefix(pkg) {
		return ""
	}
	return r.String()
}

// TestRuleImportCheck: the check above flags an import of another rule's
// package and lets data.certgate.lib, its subpackages and other roots pass.
func TestRuleImportCheck(t *testing.T) {
	pkg := ast.MustParseRef("data.certgate.depl_m3")
	for _, c := range []struct {
		imp  string
		flag bool
	}{
		{"data.certgate.depl_h1", true},
		{"data.certgate.depl_h1.selects", true},
		{"data.certgate", true},
		{"data.certgate.lib", false},
		{"data.certgate.lib.k8s", false},
		{"data.certgate.library", true},
		{"data.certgate.depl_m3.x", false},
		{"input.manifests", false},
		{"rego.v1", false},
	} {
		src := "package certgate.depl_m3\nimport " + c.imp + "\n"
		m, err := ast.ParseModuleWithOpts("x.rego", src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatalf("%s: %v", c.imp, err)
		}
		if got := ruleImport(pkg, m.Imports[0]) != ""; got != c.flag {
			t.Errorf("import %s: flagged %v, want %v", c.imp, got, c.flag)
		}
	}
}
