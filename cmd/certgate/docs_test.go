package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/audit"
)

// TestPoliciesDocIsCurrent fails when docs/policies.md differs from what
// `certgate policies doc` generates from the catalog. Regenerate with
// go run ./cmd/certgate policies doc --output docs/policies.md
func TestPoliciesDocIsCurrent(t *testing.T) {
	res := runCLI(t, nil, "", "policies", "doc")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.err)
	}
	committed, err := os.ReadFile(filepath.Join(repoRoot, "docs", "policies.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != res.out {
		t.Fatal("docs/policies.md is stale: run go run ./cmd/certgate policies doc --output docs/policies.md")
	}
	for _, want := range []string{"## SEC-L3", "## CFG-WAIVER", "| [SEC-H1](#sec-h1) |"} {
		if !strings.Contains(res.out, want) {
			t.Fatalf("generated catalog lacks %q", want)
		}
	}
	out := filepath.Join(t.TempDir(), "p.md")
	if res := runCLI(t, nil, "", "policies", "doc", "--output", out); res.code != 0 {
		t.Fatal(res.err)
	}
	if b, _ := os.ReadFile(out); string(b) != string(committed) {
		t.Fatal("--output differs from stdout")
	}
}

// TestRepositoryRegister: the repository's own register holds only documented
// entries, so linting the repository reports no CFG-WAIVER finding, and its
// audit lists every diligence ID with a status and the carve-outs section.
func TestRepositoryRegister(t *testing.T) {
	t.Chdir(repoRoot)
	res := runCLI(t, nil, "", "lint", "--now", auditNow, "--format", "json")
	if res.code == 2 || strings.Contains(res.out, "CFG-WAIVER") {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.out, res.err)
	}
	res = runCLI(t, nil, "", "audit", "--now", auditNow, "--format", "html")
	if res.code == 2 {
		t.Fatalf("audit: %s", res.err)
	}
	for _, id := range audit.DiligenceIDs {
		if !strings.Contains(res.out, `<td><a href="#`+strings.ToLower(id)+`">`+id+`</a></td><td><span class="st st-`) {
			t.Fatalf("audit of the repository lacks a status for %s", id)
		}
	}
	for _, want := range []string{`<h2 id="carve-outs">Carve-outs</h2>`, "certctl-security", "InsecureSkipVerify"} {
		if !strings.Contains(res.out, want) {
			t.Fatalf("audit lacks %q", want)
		}
	}
}
