package carveout_test

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/envvar"
	"github.com/certgate/certgate/policies"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// engine compiles the packages these tests rely on (SEC-L3, CFG-WAIVER and
// their helpers) from the embedded catalog, so the tests judge the carve-out
// step, not the rest of the catalog.
func engine(t *testing.T) *lint.Engine {
	t.Helper()
	sub := fstest.MapFS{}
	lib, err := fs.Glob(policies.FS, "lib/*.rego")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(lib, "sec_l3/sec_l3.rego", "cfg_waiver/cfg_waiver.rego") {
		if strings.HasSuffix(name, "_test.rego") {
			continue
		}
		b, err := fs.ReadFile(policies.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		sub[name] = &fstest.MapFile{Data: b}
	}
	e, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(sub))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// dotenvInput is a server .env file; CERTCTL_MAX_BODY_SIZE=10MB is an SEC-L3
// error at its line.
func dotenvInput(t *testing.T, src string) *lint.Input {
	t.Helper()
	d, err := envvar.ParseDotenv([]byte(src), "deploy/.env")
	if err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Meta: lint.Meta{NowUnix: now.Unix(), CertctlVersion: "2.1.0"}}
	in.AddFile(d.File)
	in.Envs = []lint.Env{envvar.Env("deploy/.env", lint.RoleServer, d)}
	return in
}

const badBody = "CERTCTL_AGENT_BOOTSTRAP_TOKEN=abcdefabcdefabcdefabcdefabcdef12\nCERTCTL_MAX_BODY_SIZE=10MB\n"

func register(t *testing.T, text string) carveout.Register {
	t.Helper()
	cfg, err := config.Parse([]byte(text), "certgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return carveout.FromConfig(cfg, "certgate.yaml")
}

// run prepares, evaluates and applies; it returns the report or the Prepare error.
func run(t *testing.T, in *lint.Input, reg carveout.Register, at time.Time) (*lint.Report, *carveout.Set, error) {
	t.Helper()
	e := engine(t)
	in.Meta.NowUnix = at.Unix()
	set, prep, err := carveout.Prepare(in, reg, e.Policies(), at)
	if err != nil {
		return nil, nil, err
	}
	if err := prep.AddTo(in); err != nil {
		t.Fatal(err)
	}
	r, err := e.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return set.Apply(r), set, nil
}

func byRule(r *lint.Report, rule string) []lint.Finding {
	var out []lint.Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

const activeReg = `carveouts:
  - id: SEC-L3
    paths: ["deploy/**"]
    match: "^CERTCTL_MAX_BODY_SIZE$"
    reason: load test environment needs large uploads
    owner: platform-team
    expires: %s
`

func reg(t *testing.T, expires string) carveout.Register {
	return register(t, strings.Replace(activeReg, "%s", expires, 1))
}

func TestActiveCarveoutWaives(t *testing.T) {
	r, set, err := run(t, dotenvInput(t, badBody), reg(t, "2027-06-30"), now)
	if err != nil {
		t.Fatal(err)
	}
	l3 := byRule(r, "SEC-L3")
	if len(l3) != 1 || l3[0].Carveout == nil {
		t.Fatalf("SEC-L3 findings = %+v, want one waived", l3)
	}
	w := l3[0].Carveout
	if w.Owner != "platform-team" || w.Expires != "2027-06-30" || w.Source != "certgate.yaml:2" {
		t.Fatalf("waiver = %+v", w)
	}
	if r.ExitCode(lint.SeverityError) != 0 || r.Summary.Waived != 1 {
		t.Fatalf("exit %d, summary %+v; want a pass with one waived", r.ExitCode(lint.SeverityError), r.Summary)
	}
	if len(byRule(r, carveout.RuleID)) != 0 {
		t.Fatalf("unexpected CFG-WAIVER findings: %+v", byRule(r, carveout.RuleID))
	}
	if set.Carveouts()[0].Matched != 1 {
		t.Fatalf("matched = %d", set.Carveouts()[0].Matched)
	}
}

func TestNoMatchOutsidePaths(t *testing.T) {
	r, _, err := run(t, dotenvInput(t, badBody), register(t, strings.Replace(strings.Replace(activeReg, "%s", "2027-06-30", 1), "deploy/**", "other/*.env", 1)), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode(lint.SeverityError) != 1 {
		t.Fatal("a carve-out for other paths waived the finding")
	}
	stale := byRule(r, carveout.RuleID)
	if len(stale) != 1 || stale[0].Severity != lint.SeverityWarning || !strings.Contains(stale[0].Message, "stale") || stale[0].File != "certgate.yaml" || stale[0].Line != 2 {
		t.Fatalf("want one stale warning at certgate.yaml:2, got %+v", stale)
	}
}

func TestExpiredCarveoutFails(t *testing.T) {
	r, _, err := run(t, dotenvInput(t, badBody), reg(t, "2026-11-26"), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode(lint.SeverityError) != 1 {
		t.Fatal("expired carve-out still passes")
	}
	l3 := byRule(r, "SEC-L3")
	if len(l3) != 1 || l3[0].Carveout != nil || !strings.Contains(l3[0].Message, "expired after 2026-11-26") {
		t.Fatalf("SEC-L3 = %+v, want unwaived with the end date", l3)
	}
	cw := byRule(r, carveout.RuleID)
	if len(cw) != 1 || cw[0].Severity != lint.SeverityError || !strings.Contains(cw[0].Message, "2026-11-26") || cw[0].Line != 2 {
		t.Fatalf("CFG-WAIVER = %+v", cw)
	}
}

func TestLastDayStillApplies(t *testing.T) {
	r, _, err := run(t, dotenvInput(t, badBody), reg(t, "2026-11-27"), now)
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode(lint.SeverityError) != 0 {
		t.Fatalf("carve-out ending today should still apply: %+v", r.Findings)
	}
	if cw := byRule(r, carveout.RuleID); len(cw) != 1 || cw[0].Severity != lint.SeverityWarning || !strings.Contains(cw[0].Message, "in 1 day(s)") {
		t.Fatalf("want an expiring-soon warning, got %+v", cw)
	}
}

func TestExpiringSoonWarns(t *testing.T) {
	r, _, err := run(t, dotenvInput(t, badBody), reg(t, "2026-12-05"), now)
	if err != nil {
		t.Fatal(err)
	}
	cw := byRule(r, carveout.RuleID)
	if len(cw) != 1 || cw[0].Severity != lint.SeverityWarning || !strings.Contains(cw[0].Message, "2026-12-05") {
		t.Fatalf("want one warning naming the date, got %+v", cw)
	}
	if r.ExitCode(lint.SeverityError) != 0 {
		t.Fatal("an expiring carve-out must still waive")
	}
	r, _, _ = run(t, dotenvInput(t, badBody), reg(t, "2026-12-20"), now)
	if cw := byRule(r, carveout.RuleID); len(cw) != 0 {
		t.Fatalf("23 days ahead should not warn: %+v", cw)
	}
}

func TestInvalidRegister(t *testing.T) {
	cases := map[string]struct{ text, want string }{
		"missing owner":  {"carveouts:\n  - id: SEC-L3\n    paths: [x]\n    reason: r\n    expires: 2027-01-01\n", "owner is missing"},
		"missing reason": {"carveouts:\n  - id: SEC-L3\n    paths: [x]\n    owner: o\n    expires: 2027-01-01\n", "reason is missing"},
		"missing date":   {"carveouts:\n  - id: SEC-L3\n    paths: [x]\n    owner: o\n    reason: r\n", "expires is missing"},
		"bad date":       {"carveouts:\n  - id: SEC-L3\n    paths: [x]\n    owner: o\n    reason: r\n    expires: 01/02/2027\n", "not a date"},
		"too far":        {"carveouts:\n  - id: SEC-L3\n    paths: [x]\n    owner: o\n    reason: r\n    expires: 2027-11-28\n", "more than one year after 2026-11-27"},
		"unknown rule":   {"carveouts:\n  - id: SEC-Z9\n    paths: [x]\n    owner: o\n    reason: r\n    expires: 2027-01-01\n", "not in the policy catalog"},
		"no paths":       {"carveouts:\n  - id: SEC-L3\n    owner: o\n    reason: r\n    expires: 2027-01-01\n", "paths is empty"},
		"bad regex":      {"carveouts:\n  - id: SEC-L3\n    paths: [x]\n    match: \"(\"\n    owner: o\n    reason: r\n    expires: 2027-01-01\n", "match:"},
		"bad kind":       {"carveouts:\n  - id: SEC-L3\n    kind: maybe\n    paths: [x]\n    owner: o\n    reason: r\n    expires: 2027-01-01\n", "kind \"maybe\""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := run(t, dotenvInput(t, badBody), register(t, c.text), now)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "certgate.yaml:2") {
				t.Fatalf("err = %v, want %q at certgate.yaml:2", err, c.want)
			}
		})
	}
	// Exactly one year ahead is allowed.
	if _, _, err := run(t, dotenvInput(t, badBody), reg(t, "2027-11-27"), now); err != nil {
		t.Fatal(err)
	}
}

func TestDocumentedEntryIsNotAWaiver(t *testing.T) {
	text := "carveouts:\n  - id: SEC-M3\n    kind: documented\n    where: [agent dev flag]\n    reason: r\n    action: a\n    owner: o\n    expires: 2027-06-01\n" +
		"  - id: SEC-L3\n    kind: documented\n    reason: r\n    owner: o\n    expires: 2027-06-01\n"
	r, set, err := run(t, dotenvInput(t, badBody), register(t, text), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(byRule(r, carveout.RuleID)) != 0 {
		t.Fatalf("documented entries must not be stale: %+v", byRule(r, carveout.RuleID))
	}
	if l3 := byRule(r, "SEC-L3"); len(l3) != 1 || l3[0].Carveout != nil {
		t.Fatalf("a documented entry waived a finding: %+v", l3)
	}
	if len(set.Carveouts()) != 2 || !set.Carveouts()[0].Documented() {
		t.Fatalf("carveouts = %+v", set.Carveouts())
	}
}

func TestInlineDotenv(t *testing.T) {
	above := "CERTCTL_AGENT_BOOTSTRAP_TOKEN=abcdefabcdefabcdefabcdefabcdef12\n# certgate:ignore SEC-L3 until=2027-01-31 reason=\"load test, needs 10MB\" owner=qa\nCERTCTL_MAX_BODY_SIZE=10MB\n"
	r, _, err := run(t, dotenvInput(t, above), carveout.Register{}, now)
	if err != nil {
		t.Fatal(err)
	}
	l3 := byRule(r, "SEC-L3")
	if len(l3) != 1 || l3[0].Carveout == nil || l3[0].Carveout.Source != "deploy/.env:2" || l3[0].Carveout.Reason != "load test, needs 10MB" || l3[0].Carveout.Owner != "qa" {
		t.Fatalf("SEC-L3 = %+v", l3)
	}
	if r.ExitCode(lint.SeverityError) != 0 {
		t.Fatal("inline ignore did not waive")
	}

	// Two lines above is too far: the finding stands and the comment is stale.
	far := "# certgate:ignore SEC-L3 until=2027-01-31 reason=\"x\"\nCERTCTL_AGENT_BOOTSTRAP_TOKEN=abcdefabcdefabcdefabcdefabcdef12\nCERTCTL_MAX_BODY_SIZE=10MB\n"
	r, _, err = run(t, dotenvInput(t, far), carveout.Register{}, now)
	if err != nil {
		t.Fatal(err)
	}
	cw := byRule(r, carveout.RuleID)
	if r.ExitCode(lint.SeverityError) != 1 || len(cw) != 1 || cw[0].File != "deploy/.env" || cw[0].Line != 1 {
		t.Fatalf("want the finding to stand and a stale warning at deploy/.env:1, got %+v", r.Findings)
	}

	// A missing reason is an error naming the line.
	_, _, err = run(t, dotenvInput(t, "CERTCTL_MAX_BODY_SIZE=10MB # certgate:ignore SEC-L3 until=2027-01-31\n"), carveout.Register{}, now)
	if err == nil || !strings.Contains(err.Error(), "deploy/.env:1") || !strings.Contains(err.Error(), "reason is missing") {
		t.Fatalf("err = %v", err)
	}
}

func TestInlineYAML(t *testing.T) {
	src := []byte(`services:
  server:
    environment:
      # certgate:ignore SEC-L3 until=2027-01-31 reason="load test"
      CERTCTL_MAX_BODY_SIZE: 10MB
      CERTCTL_AGENT_BOOTSTRAP_TOKEN: abcdefabcdefabcdefabcdefabcdef12
`)
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Meta: lint.Meta{CertctlVersion: "2.1.0"}}
	in.AddFile(&lint.File{ID: "compose.yml", Path: "compose/compose.yml", Kind: lint.FileCompose, Docs: []any{map[string]any{}}, Locator: lint.YAMLLocator{Docs: []*yaml.Node{&doc}}, Source: src})
	path := func(k string) *lint.Ref {
		return &lint.Ref{File: "compose.yml", Path: []any{"services", "server", "environment", k}}
	}
	in.Envs = []lint.Env{{ID: "server", Origin: lint.OriginComposeService, Role: lint.RoleServer, Vars: map[string]lint.Var{
		"CERTCTL_MAX_BODY_SIZE":         {Value: "10MB", Known: true, Ref: path("CERTCTL_MAX_BODY_SIZE")},
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN": {Value: "abcdefabcdefabcdefabcdefabcdef12", Known: true, Ref: path("CERTCTL_AGENT_BOOTSTRAP_TOKEN")},
	}}}
	r, _, err := run(t, in, carveout.Register{}, now)
	if err != nil {
		t.Fatal(err)
	}
	l3 := byRule(r, "SEC-L3")
	if len(l3) != 1 || l3[0].Line != 5 || l3[0].Carveout == nil || l3[0].Carveout.Source != "compose/compose.yml:4" {
		t.Fatalf("SEC-L3 = %+v", l3)
	}
	if r.ExitCode(lint.SeverityError) != 0 {
		t.Fatalf("findings: %+v", r.Findings)
	}
}

func TestInlineExpired(t *testing.T) {
	src := "CERTCTL_AGENT_BOOTSTRAP_TOKEN=abcdefabcdefabcdefabcdefabcdef12\nCERTCTL_MAX_BODY_SIZE=10MB # certgate:ignore SEC-L3 until=2026-10-01 reason=\"x\"\n"
	r, _, err := run(t, dotenvInput(t, src), carveout.Register{}, now)
	if err != nil {
		t.Fatal(err)
	}
	cw := byRule(r, carveout.RuleID)
	if r.ExitCode(lint.SeverityError) != 1 || len(cw) != 1 || cw[0].File != "deploy/.env" || cw[0].Line != 2 || !strings.Contains(cw[0].Message, "2026-10-01") {
		t.Fatalf("findings: %+v", r.Findings)
	}
}

// Prepare leaves the input as it was; AddTo adds certgate.yaml, the
// carve-outs and the inline locators, replacing the located file by a copy.
func TestPrepareReturnsWhatItAdds(t *testing.T) {
	src := "# certgate:ignore SEC-L3 until=2027-01-31 reason=\"x\" owner=qa\nCERTCTL_MAX_BODY_SIZE=10MB\n"
	in := dotenvInput(t, src)
	loaded := in.Files[0]
	loc := fmt.Sprintf("%T", loaded.Locator)
	before, err := in.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	set, prep, err := carveout.Prepare(in, reg(t, "2027-06-30"), engine(t).Policies(), now)
	if err != nil {
		t.Fatal(err)
	}
	after, err := in.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) || len(in.Files) != 1 || in.Files[0] != loaded || fmt.Sprintf("%T", loaded.Locator) != loc || in.Carveouts != nil {
		t.Fatalf("Prepare changed the input:\n%s\n%s", before, after)
	}
	if len(set.Carveouts()) != 2 || prep.File == nil || prep.File.ID != "certgate.yaml" || len(prep.Carveouts) != 2 || prep.Locators["deploy/.env"] == nil {
		t.Fatalf("prepared %+v", prep)
	}
	if err := prep.AddTo(in); err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 2 || in.Files[1] != prep.File || in.Files[0] == loaded || fmt.Sprintf("%T", loaded.Locator) != loc {
		t.Fatalf("files after AddTo %+v (loaded file %p)", in.Files, loaded)
	}
	if line, _ := in.Files[0].Locator.Locate(0, []any{"certgate:ignore", 1}); line != 1 {
		t.Errorf("the inline carve-out's ref locates at line %d, want 1", line)
	}
	if c := in.Carveouts; len(c) != 2 || c[0].ID != "SEC-L3" || c[0].Ref.File != "certgate.yaml" || c[1].Ref.File != "deploy/.env" {
		t.Errorf("input.carveouts %+v", c)
	}
	if err := prep.AddTo(in); err == nil || !strings.Contains(err.Error(), "input.carveouts") {
		t.Errorf("a second AddTo: err = %v, want a conflict", err)
	}
}

// A stale carve-out's warning has a fingerprint like every other finding:
// lint's, over the message too.
func TestStaleFingerprint(t *testing.T) {
	r, _, err := run(t, dotenvInput(t, badBody), register(t, strings.Replace(strings.Replace(activeReg, "%s", "2027-06-30", 1), "deploy/**", "other/*.env", 1)), now)
	if err != nil {
		t.Fatal(err)
	}
	cw := byRule(r, carveout.RuleID)
	if len(cw) != 1 || !strings.Contains(cw[0].Message, "stale") {
		t.Fatalf("CFG-WAIVER findings %+v, want one stale warning", cw)
	}
	if cw[0].Fingerprint == "" || cw[0].Fingerprint != cw[0].ComputeFingerprint() {
		t.Errorf("fingerprint %q, want %q", cw[0].Fingerprint, cw[0].ComputeFingerprint())
	}
}

// TestExpiryIsCFGWaiversJudgement: Apply takes a carve-out's expiry from
// CFG-WAIVER's findings in the report, never from its own clock: the same
// carve-out waives under a report where the policy found it current and
// does not where the policy found it expired, and its State says so.
func TestExpiryIsCFGWaiversJudgement(t *testing.T) {
	in := dotenvInput(t, badBody)
	set, prep, err := carveout.Prepare(in, reg(t, "2026-12-20"), engine(t).Policies(), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := prep.AddTo(in); err != nil {
		t.Fatal(err)
	}
	r, err := engine(t).Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := set.Apply(r)
	if l3 := byRule(got, "SEC-L3"); len(l3) != 1 || l3[0].Carveout == nil || set.Carveouts()[0].State != carveout.StateActive {
		t.Fatalf("a current carve-out: SEC-L3 %+v, state %q", l3, set.Carveouts()[0].State)
	}
	source := set.Carveouts()[0].Source
	for _, c := range []struct {
		severity lint.Severity
		state    string
		waived   bool
	}{
		{lint.SeverityError, carveout.StateExpired, false},
		{lint.SeverityWarning, carveout.StateExpiring, true},
	} {
		judged := &lint.Report{Findings: append(slices.Clone(r.Findings), lint.Finding{Rule: carveout.RuleID, Severity: c.severity, Subject: source, Message: "judged"})}
		got := set.Apply(judged)
		l3 := byRule(got, "SEC-L3")
		if len(l3) != 1 || (l3[0].Carveout != nil) != c.waived || set.Carveouts()[0].State != c.state {
			t.Errorf("CFG-WAIVER %s: SEC-L3 %+v, state %q (want %s, waived %v)", c.severity, l3, set.Carveouts()[0].State, c.state, c.waived)
		}
	}
}
