package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint/audit"
)

// auditNow is the clock of the carve-out and audit tests.
const auditNow = "2026-11-27T10:00:00Z"

// repoRoot is the repository root, resolved before any test changes directory.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

// auditRepo copies testdata/audit/repo (a compose file whose body cap is an
// SEC-L3 error at compose/docker-compose.yml:7) into a temporary directory,
// replaces its certgate.yaml when register is not empty, and changes into it.
func auditRepo(t *testing.T, register string) string {
	t.Helper()
	src := filepath.Join(repoRoot, "testdata", "audit", "repo")
	dir := t.TempDir()
	for _, name := range []string{"certgate.yaml", "compose/docker-compose.yml"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "certgate.yaml" && register != "" {
			b = []byte(register)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, name, string(b))
	}
	t.Chdir(dir)
	return dir
}

func l3Register(expires string) string {
	return `carveouts:
  - id: SEC-L3
    paths: ["compose/**"]
    match: CERTCTL_MAX_BODY_SIZE
    reason: uploads of large bundles in the lab
    owner: lab-team
    expires: ` + expires + "\n"
}

type waivedReport struct {
	Findings []struct {
		Rule, Severity, File, Message string
		Line                          int
		Waiver                        *struct{ Source, Owner, Reason, Expires string }
	}
	Summary struct{ Errors, Warnings, Waived int }
}

func lintJSON(t *testing.T, args ...string) (int, waivedReport, string) {
	t.Helper()
	res := runCLI(t, nil, "", append([]string{"lint", "--now", auditNow, "--format", "json"}, args...)...)
	var r waivedReport
	if res.code != 2 {
		if err := json.Unmarshal([]byte(res.out), &r); err != nil {
			t.Fatalf("decode %q: %v (stderr %s)", res.out, err, res.err)
		}
	}
	return res.code, r, res.err
}

func TestLintCarveoutActive(t *testing.T) {
	auditRepo(t, l3Register("2027-03-01"))
	code, r, stderr := lintJSON(t)
	if code != 0 || r.Summary.Waived != 1 || r.Summary.Errors != 0 {
		t.Fatalf("exit %d, %+v, %s", code, r, stderr)
	}
	f := r.Findings[0]
	if f.Rule != "SEC-L3" || f.Waiver == nil || f.Waiver.Source != "certgate.yaml:2" || f.Waiver.Owner != "lab-team" {
		t.Fatalf("finding = %+v", f)
	}
	// The text format shows the waived finding too.
	res := runCLI(t, nil, "", "lint", "--now", auditNow)
	if res.code != 0 || !strings.Contains(res.out, "waived by certgate.yaml:2") {
		t.Fatalf("text: %d %s", res.code, res.out)
	}
	// --no-waivers fails the run again.
	if code, _, _ := lintJSON(t, "--no-waivers"); code != 1 {
		t.Fatalf("--no-waivers: exit %d, want 1", code)
	}
}

func TestLintCarveoutExpired(t *testing.T) {
	auditRepo(t, l3Register("2026-11-20"))
	code, r, _ := lintJSON(t)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var sawRule, sawExpiry bool
	for _, f := range r.Findings {
		if f.Rule == "SEC-L3" && f.Waiver == nil && strings.Contains(f.Message, "expired after 2026-11-20") {
			sawRule = true
		}
		if f.Rule == "CFG-WAIVER" && f.Severity == "error" && strings.Contains(f.Message, "2026-11-20") && f.File == "certgate.yaml" && f.Line == 2 {
			sawExpiry = true
		}
	}
	if !sawRule || !sawExpiry {
		t.Fatalf("findings = %+v", r.Findings)
	}
}

func TestLintCarveoutExpiringSoon(t *testing.T) {
	auditRepo(t, l3Register("2026-12-05"))
	code, r, _ := lintJSON(t)
	if code != 0 || r.Summary.Warnings != 1 || r.Summary.Waived != 1 {
		t.Fatalf("exit %d, %+v", code, r)
	}
	if code, _, _ := lintJSON(t, "--fail-on", "warning"); code != 1 {
		t.Fatal("the expiry warning must fail --fail-on warning")
	}
}

func TestLintCarveoutUnused(t *testing.T) {
	auditRepo(t, strings.Replace(l3Register("2027-03-01"), "compose/**", "charts/**", 1))
	code, r, _ := lintJSON(t)
	if code != 1 || r.Summary.Warnings != 1 || r.Summary.Waived != 0 {
		t.Fatalf("exit %d, %+v", code, r)
	}
	for _, f := range r.Findings {
		if f.Rule == "CFG-WAIVER" && !strings.Contains(f.Message, "stale") {
			t.Fatalf("CFG-WAIVER = %+v", f)
		}
	}
}

func TestLintCarveoutInvalid(t *testing.T) {
	auditRepo(t, strings.Replace(l3Register("2027-03-01"), "    owner: lab-team\n", "", 1))
	res := runCLI(t, nil, "", "lint", "--now", auditNow)
	if res.code != 2 || !strings.Contains(res.err, "certgate.yaml:2 (SEC-L3): owner is missing") {
		t.Fatalf("exit %d, stderr %s", res.code, res.err)
	}
	auditRepo(t, l3Register("2028-01-01"))
	res = runCLI(t, nil, "", "lint", "--now", auditNow)
	if res.code != 2 || !strings.Contains(res.err, "more than one year") {
		t.Fatalf("exit %d, stderr %s", res.code, res.err)
	}
	// The audit refuses the same register.
	if res := runCLI(t, nil, "", "audit", "--now", auditNow); res.code != 2 {
		t.Fatalf("audit: exit %d", res.code)
	}
}

func TestLintInlineIgnoreYAML(t *testing.T) {
	dir := auditRepo(t, "")
	compose := filepath.Join(dir, "compose", "docker-compose.yml")
	b, _ := os.ReadFile(compose)
	src := strings.Replace(string(b), "      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"      # certgate:ignore SEC-L3 until=2027-01-31 reason=\"lab uploads\"\n      CERTCTL_MAX_BODY_SIZE: 10MB\n", 1)
	writeFile(t, dir, "compose/docker-compose.yml", src)
	code, r, stderr := lintJSON(t)
	if code != 0 || r.Summary.Waived != 1 || r.Findings[0].Waiver.Source != "compose/docker-compose.yml:7" {
		t.Fatalf("exit %d, %+v, %s", code, r, stderr)
	}
}

func TestLintSARIFValidates(t *testing.T) {
	auditRepo(t, l3Register("2027-03-01"))
	res := runCLI(t, nil, "", "lint", "--now", auditNow, "--no-waivers", "--format", "sarif")
	if res.code != 1 {
		t.Fatalf("exit %d: %s", res.code, res.err)
	}
	sch := testutil.SARIFSchema(t)
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(res.out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("%v\n%s", err, res.out)
	}
	if !strings.Contains(res.out, `"uri": "compose/docker-compose.yml"`) || !strings.Contains(res.out, `"startLine": 7`) {
		t.Fatalf("location: %s", res.out)
	}
}

func TestAuditHTML(t *testing.T) {
	dir := auditRepo(t, "")
	res := runCLI(t, nil, "", "audit", "--format", "html", "--now", auditNow)
	if res.code != 1 {
		t.Fatalf("exit %d (the fixture's SEC-L3 error fails, as lint would): %s", res.code, res.err)
	}
	html := res.out
	for _, id := range audit.DiligenceIDs {
		// Each ID has a summary row with a status.
		row := `<td><a href="#` + strings.ToLower(id) + `">` + id + `</a></td><td><span class="st st-`
		if !strings.Contains(html, row) {
			t.Fatalf("no summary row with a status for %s", id)
		}
	}
	for _, want := range []string{`<h2 id="carve-outs">Carve-outs</h2>`, "fixture-security", "compose/docker-compose.yml:7:30", "st-fail\">fail"} {
		if !strings.Contains(html, want) {
			t.Fatalf("HTML lacks %q", want)
		}
	}
	// Same --now, same bytes; --output writes the same report.
	again := runCLI(t, nil, "", "audit", "--format", "html", "--now", auditNow)
	if again.out != html {
		t.Fatal("two runs with the same --now differ")
	}
	out := filepath.Join(dir, "audit.html")
	if res := runCLI(t, nil, "", "audit", "--format", "html", "--now", auditNow, "--output", out); res.code != 1 {
		t.Fatalf("exit %d", res.code)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != html {
		t.Fatalf("--output: %v", err)
	}
	// SOURCE_DATE_EPOCH stands in for --now.
	a := runCLI(t, []string{"SOURCE_DATE_EPOCH=1795773600"}, "", "audit", "--format", "json")
	b := runCLI(t, []string{"SOURCE_DATE_EPOCH=1795773600"}, "", "audit", "--format", "json")
	if a.out != b.out || !strings.Contains(a.out, `"time": "2026-11-27T10:00:00Z"`) {
		t.Fatalf("SOURCE_DATE_EPOCH: %s", a.out)
	}
	if res := runCLI(t, nil, "", "audit", "--format", "pdf"); res.code != 2 || !strings.Contains(res.err, "html, json, markdown") {
		t.Fatalf("bad format: %d %s", res.code, res.err)
	}
}

func TestAuditJSONAndNoWaivers(t *testing.T) {
	auditRepo(t, l3Register("2027-03-01"))
	res := runCLI(t, nil, "", "audit", "--format", "json", "--now", auditNow)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.err)
	}
	var r audit.Report
	if err := json.NewDecoder(bytes.NewReader([]byte(res.out))).Decode(&r); err != nil {
		t.Fatal(err)
	}
	status := map[string]audit.Status{}
	for _, it := range r.Items {
		status[it.ID] = it.Status
	}
	if status["SEC-L3"] != audit.StatusCarveOut || len(r.Carveouts) != 1 || r.Carveouts[0].Matched != 1 || len(r.Inputs) != 2 {
		t.Fatalf("report = %+v", r)
	}
	res = runCLI(t, nil, "", "audit", "--format", "markdown", "--now", auditNow, "--no-waivers")
	if res.code != 1 || !strings.Contains(res.out, "| SEC-L3 | fail |") || !strings.Contains(res.out, "not applied") {
		t.Fatalf("--no-waivers: %d\n%s", res.code, res.out)
	}
}

// TestAuditRepositoryIsReproducible audits the repository itself (its chart
// generates random secrets at every render) twice in each format: the bytes
// are the same, and the inputs are the files on disk with their digests,
// never rendered templates.
func TestAuditRepositoryIsReproducible(t *testing.T) {
	t.Chdir(repoRoot)
	for _, format := range audit.Formats() {
		args := []string{"audit", "--format", format, "--now", "2026-11-27T00:00:00Z", "."}
		a := runCLI(t, nil, "", args...)
		b := runCLI(t, nil, "", args...)
		if a.code != b.code || a.code == 2 || a.out == "" {
			t.Fatalf("%s: exit %d and %d: %s", format, a.code, b.code, a.err)
		}
		if a.out != b.out {
			t.Fatalf("%s: two audits of the repository differ", format)
		}
	}
	res := runCLI(t, nil, "", "audit", "--format", "json", "--now", "2026-11-27T00:00:00Z", ".")
	var r audit.Report
	if err := json.Unmarshal([]byte(res.out), &r); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, in := range r.Inputs {
		if _, dup := kinds[in.Path]; dup {
			t.Errorf("input %s listed twice", in.Path)
		}
		kinds[in.Path] = in.Kind
		src, err := os.ReadFile(filepath.FromSlash(in.Path))
		if err != nil {
			t.Errorf("input %s is not a file the user gave: %v", in.Path, err)
			continue
		}
		if sum := sha256.Sum256(src); in.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("input %s: sha256 %q is not the digest of the file on disk", in.Path, in.SHA256)
		}
	}
	for path, kind := range map[string]string{
		"charts/certctl/Chart.yaml":                 audit.FileChart,
		"charts/certctl/templates/auth-secret.yaml": audit.FileChart,
		"charts/certctl/templates/_helpers.tpl":     audit.FileChart,
		"charts/certctl/values.yaml":                "helm-values",
		"charts/certctl/values-ha.yaml":             "helm-values",
		"compose/docker-compose.yml":                "compose",
		"certgate.yaml":                             "certgate-config",
	} {
		if kinds[path] != kind {
			t.Errorf("input %s: kind %q, want %q", path, kinds[path], kind)
		}
	}
}

// TestAuditWarnIsNotPass: an ID whose only evidence is a warning describing
// its risk is "warn", counted as such in the summary line.
func TestAuditWarnIsNotPass(t *testing.T) {
	dir := auditRepo(t, "")
	b, err := os.ReadFile(filepath.Join(dir, "compose", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.NewReplacer(
		"certctl-server:2.1.0", "certctl-server:2.2.0",
		"CERTCTL_MAX_BODY_SIZE: 10MB", "CERTCTL_ACME_INSECURE: \"true\"\n      CERTCTL_ACME_INSECURE_ACK: ${ACME_INSECURE_ACK}",
	).Replace(string(b))
	writeFile(t, dir, "compose/docker-compose.yml", src)
	res := runCLI(t, nil, "", "audit", "--format", "json", "--now", auditNow)
	var r audit.Report
	if err := json.Unmarshal([]byte(res.out), &r); err != nil {
		t.Fatalf("exit %d: %v: %s", res.code, err, res.err)
	}
	var m4 audit.Item
	for _, it := range r.Items {
		if it.ID == "SEC-M4" {
			m4 = it
		}
	}
	if m4.Status != audit.StatusWarn || len(m4.Evidence) == 0 || m4.Evidence[0].Severity != "warning" {
		t.Fatalf("SEC-M4 = %+v, want warn with its warning", m4)
	}
	if r.Summary.Warn == 0 {
		t.Fatalf("summary %+v counts no warn", r.Summary)
	}
	md := runCLI(t, nil, "", "audit", "--format", "markdown", "--now", auditNow)
	if !strings.Contains(md.out, "| SEC-M4 | warn |") || !strings.Contains(md.out, r.Summary.String()) {
		t.Fatalf("markdown lacks SEC-M4 warn or the summary line %q:\n%s", r.Summary.String(), md.out)
	}
}
