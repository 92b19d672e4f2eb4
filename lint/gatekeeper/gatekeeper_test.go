package gatekeeper

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"gopkg.in/yaml.v3"
)

// Rename moves the package and every data.certgate reference under data.lib,
// and nothing else: a string that spells a path stays as written.
func TestRename(t *testing.T) {
	m := ast.MustParseModuleWithOpts(`package certgate.sec_x1

import data.certgate.lib

note := "data.certgate.sec_x1 is this package"

deny contains f if {
	some env in lib.server_envs
	count(data.certgate.cfg_y.deny) == 0
	f := lib.finding(env, "X", note)
}
`, ast.ParserOptions{RegoVersion: ast.RegoV1})
	got, err := Rename(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"package lib.certgate.sec_x1\n",
		"import data.lib.certgate.lib\n",
		`note := "data.certgate.sec_x1 is this package"`,
		"count(data.lib.certgate.cfg_y.deny) == 0",
		"some env in lib.server_envs",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("renamed module lacks %q:\n%s", want, got)
		}
	}
	if _, err := ast.ParseModuleWithOpts("x.rego", got, ast.ParserOptions{RegoVersion: ast.RegoV1}); err != nil {
		t.Errorf("renamed module does not parse: %v", err)
	}
}

// Generate writes a template, a constraint and a suite per rule, and no
// template refers to data outside data.lib (Gatekeeper refuses that).
func TestGenerate(t *testing.T) {
	files, err := Generate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rules := Rules()
	if len(files) != 5*len(rules) {
		t.Errorf("%d files for %d rules, want 5 each", len(files), len(rules))
	}
	for _, r := range rules {
		n := Name(r.ID)
		for _, f := range []string{"templates/" + n + ".yaml", "constraints/" + n + ".yaml", "suites/" + n + "/suite.yaml", "suites/" + n + "/denied.yaml", "suites/" + n + "/admitted.yaml"} {
			if files[f] == nil {
				t.Errorf("%s: no %s", r.ID, f)
			}
		}
		tmpl := string(files["templates/"+n+".yaml"])
		var doc struct {
			Spec struct {
				Targets []struct {
					Code []struct {
						Source struct {
							Rego string
							Libs []string
						}
					}
				}
			}
		}
		if err := yaml.Unmarshal([]byte(tmpl), &doc); err != nil || len(doc.Spec.Targets) != 1 || len(doc.Spec.Targets[0].Code) != 1 {
			t.Fatalf("%s: template: %v", r.ID, err)
		}
		src := doc.Spec.Targets[0].Code[0].Source
		for i, text := range append([]string{src.Rego}, src.Libs...) {
			m, err := ast.ParseModuleWithOpts("m.rego", text, ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatalf("%s: module %d: %v", r.ID, i, err)
			}
			if i > 0 && !m.Package.Path.HasPrefix(ast.MustParseRef("data.lib")) {
				t.Errorf("%s: library package %v is not under data.lib", r.ID, m.Package.Path)
			}
			for _, rule := range m.Rules {
				ast.WalkRefs(rule, func(ref ast.Ref) bool {
					if ref.HasPrefix(ast.DefaultRootRef) && !ref.HasPrefix(ast.MustParseRef("data.lib")) {
						t.Errorf("%s: module %d refers to %v, outside data.lib", r.ID, i, ref)
					}
					return false
				})
			}
			for _, imp := range m.Imports {
				if ref, ok := imp.Path.Value.(ast.Ref); ok && ref.HasPrefix(ast.DefaultRootRef) && !ref.HasPrefix(ast.MustParseRef("data.lib")) {
					t.Errorf("%s: module %d imports %v, outside data.lib", r.ID, i, ref)
				}
			}
		}
		if !strings.Contains(tmpl, "kind: "+Kind(r.ID)+"\n") {
			t.Errorf("%s: the template does not declare kind %s", r.ID, Kind(r.ID))
		}
	}
	if Name("CFG-DB-URL") != "certgatecfgdburl" || Kind("CFG-DB-URL") != "CertgateCfgDbUrl" {
		t.Errorf("Name/Kind of CFG-DB-URL: %s %s", Name("CFG-DB-URL"), Kind("CFG-DB-URL"))
	}
}
