package audit_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/audit"
	"github.com/certgate/certgate/lint/carveout"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/envvar"
	"github.com/certgate/certgate/lint/format"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// A fixed two-rule catalog, so the golden file pins the report, not today's
// rules: SEC-L3 (a body cap that does not parse) and SEC-M4 (an error for
// insecure ACME; a warning for an acknowledgement that is not a boolean).
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

warn contains f if {
	some env in input.envs
	v := env.vars.CERTCTL_ACME_INSECURE_ACK
	not v.value in {"true", "false"}
	f := {"msg": "CERTCTL_ACME_INSECURE_ACK is not a boolean", "ref": v.ref, "subject": env.id}
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

// fixtureEnv: SEC-L3 fails (line 2), SEC-M4 warns (line 3).
const fixtureEnv = "CERTCTL_ACME_INSECURE=false\nCERTCTL_MAX_BODY_SIZE=10MB\nCERTCTL_ACME_INSECURE_ACK=yes\n"

func build(t *testing.T, reg string, applied bool) (*audit.Report, *lint.Report) {
	t.Helper()
	return buildWith(t, reg, applied, fixtureEnv, lint.SeverityError)
}

func buildWith(t *testing.T, reg string, applied bool, dotenv string, failOn lint.Severity) (*audit.Report, *lint.Report) {
	t.Helper()
	run, r := runWith(t, reg, applied, dotenv, failOn)
	return audit.Build(r, run), r
}

// runWith evaluates dotenv with the fixture catalog and the register reg:
// the run's description and its lint report.
func runWith(t *testing.T, reg string, applied bool, dotenv string, failOn lint.Severity) (format.Run, *lint.Report) {
	t.Helper()
	ctx := context.Background()
	eng, err := lint.New(ctx, lint.WithoutBuiltins(), lint.WithPolicyFS(fixturePolicies))
	if err != nil {
		t.Fatal(err)
	}
	d, err := envvar.ParseDotenv([]byte(dotenv), "deploy/server.env")
	if err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Meta: lint.Meta{NowUnix: now.Unix(), CertctlVersion: "2.1.0", Profile: "prod"}}
	in.AddFile(d.File)
	in.Envs = []lint.Env{envvar.Env("deploy/server.env", lint.RoleServer, d)}
	cfg, err := config.Parse([]byte(reg), "certgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	run := format.Run{Input: in, Policies: eng.Policies(), Digest: eng.Digest(), Version: "1.0.0", Now: now, FailOn: failOn, Applied: applied}
	var set *carveout.Set
	if applied {
		var prep *carveout.Prepared
		if set, prep, err = carveout.Prepare(in, carveout.FromConfig(cfg, "certgate.yaml"), eng.Policies(), now); err != nil {
			t.Fatal(err)
		}
		if err := prep.AddTo(in); err != nil {
			t.Fatal(err)
		}
		run.Carveouts = set.Carveouts()
	} else {
		run.Carveouts = carveout.Describe(carveout.FromConfig(cfg, "certgate.yaml"))
	}
	r, err := eng.Eval(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if set != nil {
		r = set.Apply(r)
	}
	return run, r
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
	// A warning describing the risk is never a pass.
	if it := itemOf(t, r, "SEC-M4"); it.Status != audit.StatusWarn || len(it.Evidence) != 1 {
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
	if r.Summary != (audit.Summary{Fail: 1, Warn: 1, CarveOut: 1, NotCovered: 8}) {
		t.Fatalf("summary = %+v", r.Summary)
	}
	if got, want := r.Summary.String(), "1 fail, 1 warn, 0 pass, 1 carve-out, 8 not covered"; got != want {
		t.Fatalf("summary line %q, want %q", got, want)
	}
	if len(r.Inputs) != 2 || r.Inputs[0].Path != "certgate.yaml" || r.Inputs[1].SHA256 == "" || r.Profiles[0] != "prod" {
		t.Fatalf("inputs %+v profiles %v", r.Inputs, r.Profiles)
	}
}

// TestStatusWording: pass only when judged and nothing found; warn for
// warnings only; fail for an error, or a warning when the gate fails on
// warnings.
func TestStatusWording(t *testing.T) {
	clean := "CERTCTL_ACME_INSECURE=false\nCERTCTL_MAX_BODY_SIZE=1048576\nCERTCTL_ACME_INSECURE_ACK=false\n"
	r, _ := buildWith(t, register, true, clean, lint.SeverityError)
	for _, id := range []string{"SEC-L3", "SEC-M4"} {
		if it := itemOf(t, r, id); it.Status != audit.StatusPass || len(it.Evidence) != 0 {
			t.Fatalf("%s on a clean env = %+v, want pass", id, it)
		}
	}
	if r.Summary.Pass != 2 || r.Summary.Warn != 0 || r.Summary.Fail != 0 {
		t.Fatalf("summary = %+v", r.Summary)
	}
	r, _ = buildWith(t, register, true, fixtureEnv, lint.SeverityWarning)
	if it := itemOf(t, r, "SEC-M4"); it.Status != audit.StatusFail {
		t.Fatalf("SEC-M4 with --fail-on warning = %s, want fail", it.Status)
	}
	if r.Summary.Fail != 2 || r.Summary.Warn != 0 {
		t.Fatalf("summary = %+v", r.Summary)
	}
	for _, f := range audit.Formats() {
		var b bytes.Buffer
		if err := audit.Render(&b, f, r); err != nil {
			t.Fatal(err)
		}
		if f != "json" && !strings.Contains(b.String(), r.Summary.String()) {
			t.Errorf("%s lacks the summary line %q", f, r.Summary.String())
		}
	}
}

// TestInputsAreWhatTheUserGave: the templates rendered from a chart are not
// inputs (their text may hold generated secrets); the chart's own files are,
// each path once, a values file under its loader kind.
func TestInputsAreWhatTheUserGave(t *testing.T) {
	in := &lint.Input{Releases: []lint.Release{
		{ChartPath: "charts/app", ID: "charts/app"},
		{ChartPath: "charts/app", ID: "charts/app profile ha"},
	}}
	in.AddFile(&lint.File{ID: "charts/app/values.yaml", Path: "charts/app/values.yaml", Kind: lint.FileHelmValues, SHA256: "v"})
	in.AddFile(&lint.File{ID: "charts/app/templates/secret.yaml@charts/app", Path: "charts/app/templates/secret.yaml", Kind: lint.FileManifest, SHA256: "random-1"})
	in.AddFile(&lint.File{ID: "charts/app/templates/secret.yaml@charts/app profile ha", Path: "charts/app/templates/secret.yaml", Kind: lint.FileManifest, SHA256: "random-2"})
	in.AddFile(&lint.File{ID: "k8s/app.yaml", Path: "k8s/app.yaml", Kind: lint.FileManifest, SHA256: "m"})
	run := format.Run{Input: in, Now: now, FailOn: lint.SeverityError, ChartFiles: []audit.Input{
		{Path: "charts/app/Chart.yaml", SHA256: "c"},
		{Path: "charts/app/templates/secret.yaml", SHA256: "t"},
		{Path: "charts/app/values.yaml", SHA256: "v"},
	}}
	got := audit.Build(&lint.Report{}, run).Inputs
	want := []audit.Input{
		{Path: "charts/app/Chart.yaml", Kind: audit.FileChart, SHA256: "c"},
		{Path: "charts/app/templates/secret.yaml", Kind: audit.FileChart, SHA256: "t"},
		{Path: "charts/app/values.yaml", Kind: lint.FileHelmValues, SHA256: "v"},
		{Path: "k8s/app.yaml", Kind: lint.FileManifest, SHA256: "m"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("inputs\n%+v\nwant\n%+v", got, want)
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

// TestRegistryServesTheAuditView: the Audit view of lint/format's registry
// holds this package's three writers; each writes the view Build derives from
// the lint report, byte for byte what Render writes for that model, and the
// findings view's writer of the same name writes something else.
func TestRegistryServesTheAuditView(t *testing.T) {
	if got, want := format.AuditNames(), []string{"html", "json", "markdown"}; !slices.Equal(got, want) || !slices.Equal(audit.Formats(), want) {
		t.Fatalf("AuditNames() = %v, Formats() = %v, want %v", got, audit.Formats(), want)
	}
	run, lr := runWith(t, register+waiverEntry, true, fixtureEnv, lint.SeverityError)
	for _, name := range format.AuditNames() {
		w, err := format.NewAudit(name, run)
		if err != nil {
			t.Fatal(err)
		}
		var viaRegistry, viaModel bytes.Buffer
		if err := w.Write(&viaRegistry, lr); err != nil {
			t.Fatal(err)
		}
		if err := audit.Render(&viaModel, name, audit.Build(lr, run)); err != nil {
			t.Fatal(err)
		}
		if viaRegistry.Len() == 0 || !bytes.Equal(viaRegistry.Bytes(), viaModel.Bytes()) {
			t.Fatalf("%s: the registry's writer and Render differ (%d and %d bytes)", name, viaRegistry.Len(), viaModel.Len())
		}
		if !strings.Contains(viaRegistry.String(), "0 fail, 1 warn, 0 pass, 2 carve-out, 8 not covered") && name != "json" {
			t.Errorf("%s lacks the audit summary line:\n%s", name, viaRegistry.String())
		}
		if fw, err := format.New(name, run); err == nil {
			var b bytes.Buffer
			if err := fw.Write(&b, lr); err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(b.Bytes(), viaRegistry.Bytes()) {
				t.Fatalf("%s: the findings view wrote the audit", name)
			}
		}
	}
}

var digestRe = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

func TestJSONGolden(t *testing.T) {
	run, lr := runWith(t, register+waiverEntry, true, fixtureEnv, lint.SeverityError)
	w, err := format.NewAudit("json", run)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, lr); err != nil {
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
