package audit_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/audit"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/env"
	"github.com/certgate/certgate/lint/waiver"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// A fixed two-rule catalog, so the golden file pins the report, not today's
// rules: SEC-L3 (a body cap that does not parse) and SEC-M4 (never fires).
var fixturePolicies = fstest.MapFS{
	"sec_l3.rego": {Data: []byte(`# METADATA
# title: Request body cap must be a byte count
# description: certctl falls back to 1 MiB when CERTCTL_MAX_BODY_SIZE does not parse.
# custom:
#   id: SEC-L3
#   severity: error
#   remediation: Set a plain byte count.
#   docs: docs/policies.md#sec-l3
package certgate.fixture_sec_l3

deny contains f if {
	some env in input.envs
	v := env.vars.CERTCTL_MAX_BODY_SIZE
	v.value == "10MB"
	f := {"msg": "CERTCTL_MAX_BODY_SIZE does not parse", "ref": v.ref, "subject": env.id}
}
`)},
	"sec_m4.rego": {Data: []byte(`# METADATA
# title: ACME insecure mode needs its acknowledgement
# description: Insecure ACME needs an explicit acknowledgement.
# custom:
#   id: SEC-M4
#   severity: error
#   remediation: Set both or neither.
#   docs: docs/policies.md#sec-m4
package certgate.fixture_sec_m4

deny contains f if {
	some env in input.envs
	env.vars.CERTCTL_ACME_INSECURE.value == "true"
	f := {"msg": "insecure", "ref": env.vars.CERTCTL_ACME_INSECURE.ref}
}
`)},
}

const register = `carveouts:
  - id: SEC-M3
    kind: documented
    where: ["agent: --insecure-skip-verify development flag"]
    reason: The probes must read any certificate.
    action: Never set the development flag in production.
    owner: security
    expires: 2027-05-31
`

const waiverEntry = `  - id: SEC-L3
    paths: ["deploy/*.env"]
    reason: load test
    owner: qa
    expires: 2027-01-31
`

func build(t *testing.T, reg string, applied bool) (*audit.Report, *lint.Report) {
	t.Helper()
	ctx := context.Background()
	eng, err := lint.New(ctx, lint.WithoutBuiltins(), lint.WithPolicyFS(fixturePolicies))
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.ParseDotenv([]byte("CERTCTL_ACME_INSECURE=false\nCERTCTL_MAX_BODY_SIZE=10MB\n"), "deploy/server.env")
	if err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Meta: lint.Meta{NowUnix: now.Unix(), CertctlVersion: "2.1.0", Profile: "prod"}}
	in.AddFile(d.File)
	in.Envs = []lint.Env{env.Env("deploy/server.env", lint.RoleServer, d)}
	cfg, err := config.Parse([]byte(reg), "certgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := audit.Params{Input: in, Policies: eng.Policies(), Digest: eng.Digest(), Version: "1.0.0", Now: now, FailOn: lint.SeverityError, Applied: applied}
	var set *waiver.Set
	if applied {
		if set, err = waiver.Prepare(in, waiver.FromConfig(cfg, "certgate.yaml"), eng.Policies(), now); err != nil {
			t.Fatal(err)
		}
		p.Carveouts = set.Carveouts()
	} else {
		p.Carveouts = waiver.Describe(waiver.FromConfig(cfg, "certgate.yaml"))
	}
	r, err := eng.Eval(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if set != nil {
		r = set.Apply(r)
	}
	p.Report = r
	return audit.Build(p), r
}

func itemOf(t *testing.T, r *audit.Report, id string) audit.Item {
	t.Helper()
	for _, it := range r.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %s", id)
	return audit.Item{}
}

func TestStatuses(t *testing.T) {
	r, _ := build(t, register, true)
	if len(r.Items) != len(audit.DiligenceIDs) {
		t.Fatalf("%d items; the fixture catalog adds no ID beyond the diligence ones", len(r.Items))
	}
	for i, id := range audit.DiligenceIDs {
		if r.Items[i].ID != id || r.Items[i].Status == "" || r.Items[i].Title == "" {
			t.Fatalf("item %d = %+v, want %s with a status and a title", i, r.Items[i], id)
		}
	}
	l3 := itemOf(t, r, "SEC-L3")
	if l3.Status != audit.StatusFail || len(l3.Evidence) != 1 || l3.Evidence[0].Location != "deploy/server.env:2:1" || l3.Action != "Set a plain byte count." {
		t.Fatalf("SEC-L3 = %+v", l3)
	}
	if it := itemOf(t, r, "SEC-M4"); it.Status != audit.StatusPass {
		t.Fatalf("SEC-M4 = %+v", it)
	}
	m3 := itemOf(t, r, "SEC-M3")
	if m3.Status != audit.StatusCarveOut || m3.Rationale != "The probes must read any certificate." || m3.Action != "Never set the development flag in production." || len(m3.Documented) != 1 {
		t.Fatalf("SEC-M3 = %+v", m3)
	}
	// Rules the catalog lacks and the register does not document.
	for _, id := range []string{"DEPL-H1", "SEC-H1", "SEC-L2"} {
		if it := itemOf(t, r, id); it.Status != audit.StatusNotCovered {
			t.Fatalf("%s = %s, want not covered", id, it.Status)
		}
	}
	if r.Summary.Fail != 1 || r.Summary.Pass != 1 || r.Summary.CarveOut != 1 || r.Summary.NotCovered != 8 {
		t.Fatalf("summary = %+v", r.Summary)
	}
	if len(r.Inputs) != 2 || r.Inputs[0].Path != "certgate.yaml" || r.Inputs[1].SHA256 == "" || r.Profiles[0] != "prod" {
		t.Fatalf("inputs %+v profiles %v", r.Inputs, r.Profiles)
	}
}

func TestWaivedIsCarveOut(t *testing.T) {
	r, lr := build(t, register+waiverEntry, true)
	l3 := itemOf(t, r, "SEC-L3")
	if l3.Status != audit.StatusCarveOut || len(l3.Waivers) != 1 || l3.Waivers[0].Owner != "qa" || !l3.Evidence[0].Waived {
		t.Fatalf("SEC-L3 = %+v", l3)
	}
	if lr.ExitCode(lint.SeverityError) != 0 {
		t.Fatal("waived report fails")
	}
	// --no-waivers: the same register, nothing applied.
	r, lr = build(t, register+waiverEntry, false)
	if it := itemOf(t, r, "SEC-L3"); it.Status != audit.StatusFail || lr.ExitCode(lint.SeverityError) != 1 || r.Carveouts[1].State != "not applied" {
		t.Fatalf("SEC-L3 = %+v, carve-outs %+v", it, r.Carveouts)
	}
}

var digestRe = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

func TestJSONGolden(t *testing.T) {
	r, _ := build(t, register+waiverEntry, true)
	var b bytes.Buffer
	if err := audit.Render(&b, "json", r); err != nil {
		t.Fatal(err)
	}
	got := digestRe.ReplaceAll(b.Bytes(), []byte("sha256:CATALOG"))
	path := filepath.Join("testdata", "audit.json.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./lint/audit/ -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("JSON report differs from %s (go test ./lint/audit/ -update to accept)\n%s", path, got)
	}
}

func TestRenderersAreDeterministicAndSelfContained(t *testing.T) {
	for _, f := range audit.Formats() {
		var a, b bytes.Buffer
		r1, _ := build(t, register+waiverEntry, true)
		r2, _ := build(t, register+waiverEntry, true)
		if err := audit.Render(&a, f, r1); err != nil {
			t.Fatal(err)
		}
		if err := audit.Render(&b, f, r2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("%s: two builds differ", f)
		}
		for _, id := range audit.DiligenceIDs {
			if !strings.Contains(a.String(), id) {
				t.Fatalf("%s lacks %s", f, id)
			}
		}
	}
	var h bytes.Buffer
	r, _ := build(t, register, true)
	if err := audit.Render(&h, "html", r); err != nil {
		t.Fatal(err)
	}
	html := h.String()
	for _, bad := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Fatalf("HTML is not self-contained: contains %q", bad)
		}
	}
	for _, want := range []string{"@media print", "<h2>Summary</h2>", `<h2 id="carve-outs">Carve-outs</h2>`, "Never set the development flag in production.", "deploy/server.env:2:1"} {
		if !strings.Contains(html, want) {
			t.Fatalf("HTML lacks %q", want)
		}
	}
	if strings.Index(html, "<h2>Summary</h2>") > strings.Index(html, "Findings by ID") {
		t.Fatal("summary table must come first")
	}
	if err := audit.Render(&h, "pdf", r); err == nil {
		t.Fatal("unknown format accepted")
	}
}
