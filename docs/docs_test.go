// Package docs_test keeps the operator documentation true: the environment
// variable reference against the variables the policies, the chart and the
// compose files name, and the security carve-outs against the register in
// certgate.yaml.
package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/config"
)

var varRe = regexp.MustCompile(`CERTCTL_[A-Z0-9_]+`)

// usedVars maps every CERTCTL_* name under root's policies/, charts/ and
// compose/ (Rego test files aside: their names are examples) to the rule IDs
// of the policy packages that name it. A name ending in "_PROFILE_" is the
// prefix of a per-profile family (CERTCTL_SCEP_PROFILE_<NAME>_...).
func usedVars(t *testing.T, root string) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	idRe := regexp.MustCompile(`(?m)^#\s+id:\s+(\S+)`)
	for _, tree := range []string{"policies", "charts", "compose"} {
		err := filepath.WalkDir(filepath.Join(root, tree), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.rego") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var ids []string
			if tree == "policies" && strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego") {
				// The package's ID lives in the METADATA of one of its files.
				matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.rego"))
				for _, m := range matches {
					mb, _ := os.ReadFile(m)
					if id := idRe.FindSubmatch(mb); id != nil {
						ids = append(ids, string(id[1]))
					}
				}
			}
			for _, v := range varRe.FindAllString(string(b), -1) {
				for _, id := range ids {
					if !slices.Contains(used[v], id) {
						used[v] = append(used[v], id)
					}
				}
				if used[v] == nil {
					used[v] = []string{}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return used
}

// rowRe reads a row; per-profile variables are written with a <NAME> segment
// (CERTCTL_SCEP_PROFILE_<NAME>_ISSUER_ID).
var rowRe = regexp.MustCompile("^\\| `(CERTCTL_[A-Z0-9_]+(?:<NAME>_[A-Z0-9_]+)?)` \\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|")

// documented parses the table of ENVIRONMENTS.md: name -> rule IDs.
func documented(t *testing.T, file string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		m := rowRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		out[m[1]] = []string{}
		for _, id := range strings.Split(m[5], ",") {
			if id = strings.TrimSpace(id); id != "" && id != "none" {
				out[m[1]] = append(out[m[1]], id)
			}
		}
	}
	return out
}

// envProblems compares the documented table with what root's trees use.
func envProblems(t *testing.T, root string) []string {
	used := usedVars(t, root)
	docs := documented(t, filepath.Join(root, "docs", "ENVIRONMENTS.md"))
	families := map[string][]string{} // family prefix -> the rules its rows name
	var probs []string
	policySrc := policySources(t, root)
	for row, ids := range docs {
		prefix, suffix, ok := strings.Cut(row, "<NAME>_")
		if !ok {
			continue
		}
		delete(docs, row)
		if _, used := used[prefix]; !used {
			probs = append(probs, row+" is documented but no policy reads the family "+prefix+"<NAME>_...")
		} else if !strings.Contains(policySrc, `"`+suffix+`"`) {
			probs = append(probs, row+": no policy names the suffix "+suffix)
		}
		families[prefix] = append(families[prefix], ids...)
	}
	for v, ids := range used {
		if strings.HasSuffix(v, "_PROFILE_") {
			rows, ok := families[v]
			if !ok {
				probs = append(probs, v+"<NAME>_... is read by "+strings.Join(ids, ", ")+" but no row documents the family")
			}
			for _, id := range ids {
				if ok && !slices.Contains(rows, id) {
					probs = append(probs, v+"<NAME>_...: rule "+id+" reads the family but no row of it names the rule")
				}
			}
			continue
		}
		drow, ok := docs[v]
		if !ok {
			probs = append(probs, v+" is used but not documented in docs/ENVIRONMENTS.md")
			continue
		}
		for _, id := range ids {
			if !slices.Contains(drow, id) {
				probs = append(probs, v+": rule "+id+" reads it but is missing from its row")
			}
		}
	}
	for v := range docs {
		if _, ok := used[v]; !ok {
			probs = append(probs, v+" is documented but named in none of policies/, charts/, compose/")
		}
	}
	slices.Sort(probs)
	return probs
}

// policySources is the text of every non-test Rego file under root/policies.
func policySources(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(filepath.Join(root, "policies"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := os.ReadFile(path)
		b.Write(src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestEnvironmentsDocumented(t *testing.T) {
	if probs := envProblems(t, ".."); len(probs) > 0 {
		t.Fatalf("docs/ENVIRONMENTS.md is out of step:\n%s", strings.Join(probs, "\n"))
	}
	if n := len(documented(t, "ENVIRONMENTS.md")); n < 15 {
		t.Fatalf("parsed only %d rows; the table format changed?", n)
	}
}

// TestEnvironmentsCheckFails shows the check failing on a copy where a policy
// names an undocumented variable (with a digit) and the doc lists an unused one.
func TestEnvironmentsCheckFails(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"policies/x_new", "charts", "compose", "docs"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("policies/x_new/x_new.rego", "# METADATA\n# custom:\n#   id: SEC-X1\npackage certgate.x_new\n\nname := \"CERTCTL_HTTP2_ENABLED\"\n")
	write("compose/docker-compose.yml", "services:\n  server:\n    environment:\n      CERTCTL_MAX_BODY_SIZE: \"1\"\n")
	write("docs/ENVIRONMENTS.md", "| Variable | Type | 2.1 | 2.2 | Rules | Set by |\n|---|---|---|---|---|---|\n"+
		"| `CERTCTL_MAX_BODY_SIZE` | int | 1 | 1 | SEC-L3 | compose |\n"+
		"| `CERTCTL_GONE` | int | - | - | none | nothing |\n")
	got := envProblems(t, root)
	want := []string{
		"CERTCTL_GONE is documented but named in none of policies/, charts/, compose/",
		"CERTCTL_HTTP2_ENABLED is used but not documented in docs/ENVIRONMENTS.md",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("problems = %q, want %q", got, want)
	}
	// Documented without the rule that reads it.
	write("docs/ENVIRONMENTS.md", "| `CERTCTL_MAX_BODY_SIZE` | int | 1 | 1 | SEC-L3 | compose |\n| `CERTCTL_HTTP2_ENABLED` | bool | - | - | none | x |\n")
	if got := envProblems(t, root); len(got) != 1 || !strings.Contains(got[0], "rule SEC-X1 reads it") {
		t.Fatalf("problems = %q", got)
	}
	// A per-profile family: read by a policy, documented with <NAME> rows
	// whose suffixes the policy names; test files never count.
	write("policies/x_new/x_new.rego", "# METADATA\n# custom:\n#   id: SEC-X1\npackage certgate.x_new\n\nprefix := \"CERTCTL_X_PROFILE_\"\n\nsuffixes := [\"ISSUER_ID\"]\n")
	write("policies/x_new/x_new_test.rego", "package certgate.x_new_test\n\nname := \"CERTCTL_X_PROFILE_DEMO_ISSUER_ID\"\n")
	write("docs/ENVIRONMENTS.md", "| `CERTCTL_MAX_BODY_SIZE` | int | 1 | 1 | SEC-L3 | compose |\n")
	if got := envProblems(t, root); len(got) != 1 || !strings.Contains(got[0], "CERTCTL_X_PROFILE_<NAME>_... is read by SEC-X1 but no row documents the family") {
		t.Fatalf("undocumented family: problems = %q", got)
	}
	write("docs/ENVIRONMENTS.md", "| `CERTCTL_MAX_BODY_SIZE` | int | 1 | 1 | SEC-L3 | compose |\n| `CERTCTL_X_PROFILE_<NAME>_ISSUER_ID` | s | - | - | SEC-X1 | x |\n| `CERTCTL_X_PROFILE_<NAME>_GONE` | s | - | - | SEC-X1 | x |\n")
	if got := envProblems(t, root); len(got) != 1 || !strings.Contains(got[0], "no policy names the suffix GONE") {
		t.Fatalf("stale family row: problems = %q", got)
	}
}

// securitySections returns, for each "### ID" heading under "## Security
// carve-outs" in security.md, the text of its section.
func securitySections(t *testing.T, text string) map[string]string {
	t.Helper()
	_, rest, ok := strings.Cut(text, "\n## Security carve-outs\n")
	if !ok {
		t.Fatal("security.md has no \"## Security carve-outs\" section")
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	out := map[string]string{}
	parts := strings.Split(rest, "\n### ")
	for _, p := range parts[1:] {
		id, body, _ := strings.Cut(p, "\n")
		id = strings.TrimSpace(id)
		if _, dup := out[id]; dup {
			t.Fatalf("security.md documents %s twice", id)
		}
		out[id] = body
	}
	return out
}

func securityProblems(t *testing.T, register []config.Carveout, doc string) []string {
	secs := securitySections(t, doc)
	var probs []string
	seen := map[string]bool{}
	for _, c := range register {
		seen[c.ID] = true
		body, ok := secs[c.ID]
		if !ok {
			probs = append(probs, c.ID+": register entry without a section in docs/operator/security.md")
			continue
		}
		for _, want := range []string{"- Where:", "- Why:", "- Operator action:", c.Owner, c.Expires} {
			if !strings.Contains(body, want) {
				probs = append(probs, c.ID+": section lacks "+strconvQuote(want))
			}
		}
	}
	for id := range secs {
		if !seen[id] {
			probs = append(probs, id+": documented in security.md but not in the certgate.yaml register")
		}
	}
	slices.Sort(probs)
	return probs
}

func strconvQuote(s string) string { return `"` + s + `"` }

func TestSecurityCarveoutsMatchRegister(t *testing.T) {
	cfg, err := config.Load("..")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Carveouts) == 0 {
		t.Fatal("certgate.yaml has no carveouts register")
	}
	doc, err := os.ReadFile(filepath.Join("operator", "security.md"))
	if err != nil {
		t.Fatal(err)
	}
	if probs := securityProblems(t, cfg.Carveouts, string(doc)); len(probs) > 0 {
		t.Fatalf("docs/operator/security.md and certgate.yaml are out of step:\n%s", strings.Join(probs, "\n"))
	}
	// The register holds every documented carve-out of the diligence audit.
	for _, id := range []string{"SEC-M3", "SEC-M5", "SEC-L1", "SEC-L2", "SEC-L3", "DEPL-M2", "DEPL-M3"} {
		if !slices.ContainsFunc(cfg.Carveouts, func(c config.Carveout) bool { return c.ID == id }) {
			t.Errorf("register lacks %s", id)
		}
	}
	// The check can fail: an entry without a section, and a changed owner.
	reg := append(slices.Clone(cfg.Carveouts), config.Carveout{ID: "SEC-X9", Owner: "o", Expires: "2027-01-01"})
	reg[0].Owner = "someone-else"
	if probs := securityProblems(t, reg, string(doc)); len(probs) != 2 {
		t.Fatalf("problems = %q, want two", probs)
	}
}

// catalogIDs are the rule IDs of the policy packages under root/policies.
func catalogIDs(t *testing.T, root string) []string {
	t.Helper()
	var ids []string
	idRe := regexp.MustCompile(`(?m)^#\s+id:\s+(\S+)`)
	files, _ := filepath.Glob(filepath.Join(root, "policies", "*", "*.rego"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if m := idRe.FindSubmatch(b); m != nil && !strings.HasSuffix(f, "_test.rego") {
			ids = append(ids, string(m[1]))
		}
	}
	return ids
}

var ruleRefRe = regexp.MustCompile(`\b(?:SEC|DEPL|CFG)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b`)

// TestRunbookAndChangelog: the HA runbook names files that exist and rules
// that exist; the changelog announces the v2.2.0 breaking changes.
func TestRunbookAndChangelog(t *testing.T) {
	known := append(catalogIDs(t, ".."), "SEC-M3", "SEC-M5", "SEC-L1", "SEC-L2")
	for _, doc := range []string{"operator/runbooks/ha.md", "../CHANGELOG.md", "operator/security.md"} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ruleRefRe.FindAllString(string(b), -1) {
			if !slices.Contains(known, id) {
				t.Errorf("%s names %s, which is neither a rule nor a documented carve-out", doc, id)
			}
		}
	}
	ha, _ := os.ReadFile("operator/runbooks/ha.md")
	for _, want := range []string{"charts/certctl/values-ha.yaml", "certgate lint charts/certctl -f my-values.yaml", "| certgate lint -", "singleton", "one-node", "Backups", "TLS material rotation"} {
		if !strings.Contains(string(ha), want) {
			t.Errorf("ha.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join("..", "charts", "certctl", "values-ha.yaml")); err != nil {
		t.Error(err)
	}
	// Every setting the runbook's table names is set in values-ha.yaml.
	values, _ := os.ReadFile(filepath.Join("..", "charts", "certctl", "values-ha.yaml"))
	for _, key := range []string{"replicas: 3", "sessionAffinity: ClientIP", "backend: postgres", "minAvailable: 2", "existingSecret:", "topologySpreadConstraints:"} {
		if !strings.Contains(string(values), key) {
			t.Errorf("values-ha.yaml no longer sets %q, which ha.md documents", key)
		}
	}
	cl, _ := os.ReadFile("../CHANGELOG.md")
	_, unreleased, ok := strings.Cut(string(cl), "## Unreleased\n")
	_, breaking, ok2 := strings.Cut(unreleased, "### Breaking changes (scheduled for v2.2.0)\n")
	if !ok || !ok2 {
		t.Fatal("CHANGELOG.md lacks the Unreleased breaking-changes section")
	}
	breaking, _, _ = strings.Cut(breaking, "\n### ")
	for _, id := range []string{"SEC-H1", "SEC-M4", "SEC-H3"} {
		if !strings.Contains(breaking, "**"+id+":") || !strings.Contains(breaking, "Upgrade:") {
			t.Errorf("breaking changes lack %s with upgrade guidance", id)
		}
	}
}
