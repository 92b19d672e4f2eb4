package lint_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

func policyFS(src string) fstest.MapFS {
	return fstest.MapFS{"p.rego": {Data: []byte(src)}}
}

const goodMeta = `# METADATA
# title: Example rule
# description: Why it matters.
# custom:
#   id: CFG-EXAMPLE
#   severity: warning
#   remediation: Do the thing.
package certgate.example
`

func TestCatalogValidation(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"bad id":                     {strings.Replace(goodMeta, "CFG-EXAMPLE", "example-1", 1) + "deny contains \"x\" if false\n", "not of the form"},
		"remediation without period": {strings.Replace(goodMeta, "Do the thing.", "Do the thing", 1) + "deny contains \"x\" if false\n", "ending with a period"},
		"unknown severity":           {strings.Replace(goodMeta, "severity: warning", "severity: fatal", 1) + "deny contains \"x\" if false\n", "custom.severity"},
		"no metadata":                {"package certgate.nometa\n\ndeny contains \"x\" if false\n", "no package METADATA"},
		"outside certgate":           {strings.Replace(goodMeta, "certgate.example", "other.example", 1), "not under data.certgate"},
		"syntax error":               {goodMeta + "deny contains x if {\n", "p.rego"},
		"strict compile":             {goodMeta + "deny contains \"x\" if { unused := 1 }\n", "assigned var unused"},
		"joins not a boolean":        {strings.Replace(goodMeta, "severity: warning", "severity: warning\n#   joins: yes please", 1) + "deny contains \"x\" if false\n", "custom.joins must be true or false"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(policyFS(tc.src)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			var pe *lint.PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("want a *PolicyError, got %T", err)
			}
		})
	}
}

func TestDuplicateIDs(t *testing.T) {
	dup := strings.Replace(goodMeta, "certgate.example", "certgate.example2", 1) + "warn contains \"x\" if false\n"
	_, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(fstest.MapFS{
		"a.rego": {Data: []byte(goodMeta + "warn contains \"x\" if false\n")},
		"b.rego": {Data: []byte(dup)},
	}))
	if err == nil || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("err = %v, want a duplicate ID error", err)
	}
	_, err = lint.New(context.Background(), lint.WithPolicyFS(policyFS(strings.Replace(goodMeta, "CFG-EXAMPLE", "SEC-H1", 1)+"warn contains \"x\" if false\n")))
	if err == nil || !strings.Contains(err.Error(), "SEC-H1 is already used") {
		t.Fatalf("a user policy reusing a built-in ID: err = %v", err)
	}
}

func TestNoPolicies(t *testing.T) {
	if _, err := lint.New(context.Background(), lint.WithoutBuiltins()); !errors.Is(err, lint.ErrNoPolicies) {
		t.Fatalf("err = %v", err)
	}
	if _, err := lint.New(context.Background(), lint.WithPolicyDir(t.TempDir())); !errors.Is(err, lint.ErrNoPolicies) {
		t.Fatalf("empty dir: err = %v", err)
	}
}

func TestEvalLocatesAndSorts(t *testing.T) {
	src := goodMeta + `
warn contains {"msg": sprintf("%s is set", [k]), "ref": {"file": "f1", "doc": 0, "path": ["services", "server", "environment", k]}, "subject": "svc"} if {
	some k, _ in input.files[0].docs[0].services.server.environment
}

info contains {"msg": "from extra", "ref": null} if input.probes.db.reachable == false
`
	eng, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(policyFS(src)))
	if err != nil {
		t.Fatal(err)
	}
	text := "services:\n  server:\n    environment:\n      B: \"2\"\n      A: \"1\"\n"
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(text), &node); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := node.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Probes: map[string]lint.ProbeFacts{"db": {Name: "db"}}}
	in.AddFile(&lint.File{ID: "f1", Path: "compose/docker-compose.yml", Kind: lint.FileCompose, Docs: []any{doc}, Locator: lint.YAMLLocator{Docs: []*yaml.Node{&node}}})
	r, err := eng.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s %s %s %s", f.Location(), f.Severity, f.Rule, f.Path))
	}
	want := []string{
		" info CFG-EXAMPLE ",
		"compose/docker-compose.yml:4:10 warning CFG-EXAMPLE services.server.environment.B",
		"compose/docker-compose.yml:5:10 warning CFG-EXAMPLE services.server.environment.A",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Summary.Warnings != 2 || r.Summary.Infos != 1 || r.ExitCode(lint.SeverityError) != 0 || r.ExitCode(lint.SeverityWarning) != 1 {
		t.Fatalf("summary %+v", r.Summary)
	}
	if r.Findings[1].Fingerprint == r.Findings[2].Fingerprint || r.Findings[1].Fingerprint == "" {
		t.Fatal("fingerprints must tell findings apart")
	}
}

func TestEvalRejectsMalformedResults(t *testing.T) {
	for name, rule := range map[string]string{
		"number":    "deny contains 42 if true\n",
		"empty msg": "deny contains {\"msg\": \"\", \"ref\": null} if true\n",
	} {
		t.Run(name, func(t *testing.T) {
			eng, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(policyFS(goodMeta+rule)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = eng.Eval(context.Background(), &lint.Input{})
			var ee *lint.EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("err = %v, want *EvalError", err)
			}
		})
	}
}

func TestYAMLLocator(t *testing.T) {
	text := "a:\n  list:\n    - x\n    - k: v\n  anchor: &base\n    deep: 1\n  merged:\n    <<: *base\n"
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		t.Fatal(err)
	}
	l := lint.YAMLLocator{Docs: []*yaml.Node{&n}}
	for _, tc := range []struct {
		path      []any
		line, col int
	}{
		{[]any{"a", "list", 0}, 3, 7},
		{[]any{"a", "list", 1, "k"}, 4, 10},
		{[]any{"a", "merged", "deep"}, 6, 11},
		{[]any{"a", "missing", "x"}, 1, 1}, // a missing key: the key of the deepest node reached, a
		{[]any{"a", "list", 9}, 2, 3},      // a missing item: the key of its sequence, list
	} {
		line, col := l.Locate(0, tc.path)
		if line != tc.line || col != tc.col {
			t.Errorf("%v: got %d:%d want %d:%d", tc.path, line, col, tc.line, tc.col)
		}
	}
	if line, col := l.KeyPosition(0, []any{"a", "anchor"}); line != 5 || col != 3 {
		t.Errorf("key position: %d:%d", line, col)
	}
	if line, _ := l.Locate(3, nil); line != 0 {
		t.Errorf("a missing document must locate nowhere, got line %d", line)
	}
}

func TestNormalizeVersion(t *testing.T) {
	for in, want := range map[string]string{"2.1.0": "2.1.0", "v2.2.0": "2.2.0", " 2.1.7 ": "2.1.7"} {
		if got, err := lint.NormalizeVersion(in); err != nil || got != want {
			t.Errorf("%q: got %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "latest", "2.2", "2.2.0-rc1", "02.1.0", "2..0", "10.0.1", "2.1.8", "2.3.0"} {
		_, err := lint.NormalizeVersion(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
		} else if !strings.Contains(err.Error(), "2.1.0, 2.1.1") || !strings.Contains(err.Error(), "2.2.0") {
			t.Errorf("%q: error does not list the known releases: %v", bad, err)
		}
	}
}

func TestReleaseFromImage(t *testing.T) {
	for image, want := range map[string]string{
		"ghcr.io/certctl-io/certctl-server:v2.1.4":        "2.1.4",
		"certctl/server:2.2.0@sha256:0123":                "2.2.0",
		"registry.local:5000/certctl-server:2.1.0":        "2.1.0",
		"registry.local:5000/certctl-server":              "",
		"ghcr.io/certctl-io/certctl-server:latest":        "",
		"ghcr.io/certctl-io/certctl-server:2.9.9":         "",
		"ghcr.io/certctl-io/certctl-server@sha256:abcdef": "",
		"": "",
	} {
		got, ok := lint.ReleaseFromImage(image)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q, %v; want %q", image, got, ok, want)
		}
	}
}

func TestResolveReleases(t *testing.T) {
	in := func() *lint.Input {
		return &lint.Input{Envs: []lint.Env{
			{ID: "old", Labels: map[string]string{"image": "ghcr.io/certctl-io/certctl-server:v2.1.4"}},
			{ID: "untagged", Labels: map[string]string{"image": "ghcr.io/certctl-io/certctl-server:latest"}},
			{ID: "process"},
		}}
	}
	a := in()
	if err := lint.ResolveReleases(a, "", ""); err != nil {
		t.Fatal(err)
	}
	if a.Meta.CertctlVersion != lint.DefaultCertctlVersion || a.Meta.CertctlVersionSource != lint.ReleaseFromDefault {
		t.Errorf("default: %+v", a.Meta)
	}
	if a.Envs[0].Release != "2.1.4" || !strings.Contains(a.Envs[0].ReleaseSource, "image tag") || a.Envs[1].Release != "" || a.Envs[2].Release != "" {
		t.Errorf("per-image releases: %+v", a.Envs)
	}
	b := in()
	if err := lint.ResolveReleases(b, "v2.1.7", lint.ReleaseFromFlag); err != nil {
		t.Fatal(err)
	}
	if b.Meta.CertctlVersion != "2.1.7" || b.Meta.CertctlVersionSource != lint.ReleaseFromFlag || b.Envs[0].Release != "" {
		t.Errorf("explicit release must win over image tags: %+v %+v", b.Meta, b.Envs[0])
	}
	if err := lint.ResolveReleases(in(), "2.9.0", lint.ReleaseFromConfig); err == nil || !strings.Contains(err.Error(), "certgate.yaml") {
		t.Errorf("unknown release: %v", err)
	}
}

func TestReportDedupesAndSorts(t *testing.T) {
	f := lint.Finding{Rule: "SEC-L3", Severity: lint.SeverityError, Message: "m", File: "b", Line: 2}
	g := lint.Finding{Rule: "SEC-H1", Severity: lint.SeverityWarning, Message: "m", File: "a", Line: 9}
	r := lint.NewReport([]lint.Finding{f, g, f})
	if len(r.Findings) != 2 || r.Findings[0].File != "a" || r.Summary.Errors != 1 || r.Summary.Warnings != 1 {
		t.Fatalf("%+v", r)
	}
	w := f
	w.Carveout = &lint.AppliedCarveout{Source: "certgate.yaml", Reason: "r"}
	r = lint.NewReport([]lint.Finding{w})
	if r.ExitCode(lint.SeverityInfo) != 0 || r.Summary.Waived != 1 || r.Summary.Errors != 0 {
		t.Fatalf("a waived finding must not fail the run: %+v", r.Summary)
	}
	if empty := lint.NewReport(nil); empty.Findings == nil {
		t.Fatal("an empty report must encode findings as [], not null")
	}
}

func ExampleEngine_Eval() {
	ctx := context.Background()
	eng, err := lint.New(ctx) // compile the built-in catalog once
	if err != nil {
		panic(err)
	}
	in := &lint.Input{
		Meta: lint.Meta{CertctlVersion: "2.2.0"},
		Envs: []lint.Env{{ID: "server", Role: lint.RoleServer, Vars: map[string]lint.Var{
			"CERTCTL_SERVER_TLS_CERT_PATH": {Value: "/etc/certctl/tls/tls.crt", Known: true},
			"CERTCTL_SERVER_TLS_KEY_PATH":  {Value: "/etc/certctl/tls/tls.key", Known: true},
			"CERTCTL_AUTH_SECRET":          {Value: "Zq8adminSecretValue4711xx", Known: true},
			"CERTCTL_MAX_BODY_SIZE":        {Value: "10MB", Known: true},
		}}},
	}
	report, err := eng.Eval(ctx, in)
	if err != nil {
		panic(err)
	}
	for _, f := range report.Findings {
		fmt.Println(f.Severity, f.Rule)
	}
	fmt.Println("exit", report.ExitCode(lint.SeverityError))
	// Output:
	// error SEC-H1
	// error SEC-L3
	// exit 1
}

func TestFingerprintAndLocation(t *testing.T) {
	eng, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	report := func(vars map[string]string) *lint.Report {
		e := lint.Env{ID: "svc", Role: lint.RoleServer, Vars: map[string]lint.Var{
			"CERTCTL_SERVER_TLS_CERT_PATH": {Value: "/tls/tls.crt", Known: true},
			"CERTCTL_SERVER_TLS_KEY_PATH":  {Value: "/tls/tls.key", Known: true},
			"CERTCTL_AUTH_SECRET":          {Value: "Zq8adminSecretValue4711xx", Known: true},
		}}
		for k, v := range vars {
			e.Vars[k] = lint.Var{Value: v, Known: true}
		}
		r, err := eng.Eval(context.Background(), &lint.Input{Meta: lint.Meta{NowUnix: 1800000000, CertctlVersion: "2.1.1"}, Envs: []lint.Env{e}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ack := map[string]string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "x", "CERTCTL_DEMO_MODE_ACK": "true"}
	old := func(ts string) string {
		ack["CERTCTL_DEMO_MODE_ACK_TS"] = ts
		r := report(ack)
		if len(r.Findings) != 1 {
			t.Fatalf("%+v", r.Findings)
		}
		return r.Findings[0].Fingerprint
	}
	// The age in the message changes with the clock; the fingerprint must not.
	if a, b := old("1799900000"), old("1799800000"); a != b {
		t.Errorf("fingerprint follows the clock: %s vs %s", a, b)
	}
	// Two different findings about the same variable must not share one.
	if a, b := old("1799900000"), old("yesterday"); a == b {
		t.Errorf("different findings share fingerprint %s", a)
	}
	r := report(map[string]string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "x"})
	if r.Checked == nil || len(r.Checked.Environments) != 1 || r.Checked.Environments[0] != "svc (server)" {
		t.Errorf("checked = %+v", r.Checked)
	}
	f := lint.Finding{File: "--set", Path: "podDisruptionBudget.enabled"}
	if got := f.Location(); got != "--set (podDisruptionBudget.enabled)" {
		t.Errorf("location %q", got)
	}
}

// TestBuiltinCatalog: every built-in rule declares what it judges, so reports
// can tell "pass" from "not covered by the given inputs".
func TestBuiltinCatalog(t *testing.T) {
	eng, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(eng.Policies()) < 10 {
		t.Fatalf("only %d built-in rules", len(eng.Policies()))
	}
	for _, p := range eng.Policies() {
		if len(p.Inputs) == 0 {
			t.Errorf("%s (%s) declares no custom.inputs", p.ID, p.Package)
		}
		if !p.Builtin || p.Docs != "docs/policies.md#"+strings.ToLower(p.ID) {
			t.Errorf("%s: builtin=%v docs=%q", p.ID, p.Builtin, p.Docs)
		}
	}
	_, err = lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(policyFS(
		strings.Replace(goodMeta, "#   severity: warning", "#   inputs: [env, helm]\n#   severity: warning", 1)+"warn contains \"x\" if false\n")))
	if err == nil || !strings.Contains(err.Error(), `custom.inputs: "helm" is not one of`) {
		t.Fatalf("an unknown input kind: err = %v", err)
	}
}

func TestWithInputs(t *testing.T) {
	eng, err := lint.New(context.Background(), lint.WithInputs("env", "probe"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, p := range eng.Policies() {
		ids[p.ID] = true
		if !slices.ContainsFunc(p.Inputs, func(k string) bool { return k == "env" || k == "probe" }) {
			t.Errorf("%s judges %v, yet was compiled for env and probe", p.ID, p.Inputs)
		}
	}
	for _, id := range []string{"SEC-H1", "SEC-M4", "SEC-H3", "SEC-L3", "CFG-BOOL", "CFG-DB-REACH", "DEPL-M2"} {
		if !ids[id] {
			t.Errorf("%s missing from the gate's engine", id)
		}
	}
	if ids["DEPL-H1"] || ids["DEPL-M3"] {
		t.Errorf("chart and compose rules compiled for the gate: %v", ids)
	}
	// The narrowed engine still judges (the lib helpers stayed).
	r, err := eng.Eval(context.Background(), &lint.Input{
		Meta: lint.Meta{CertctlVersion: "2.2.0"},
		Envs: []lint.Env{{ID: "s", Role: lint.RoleServer, Vars: map[string]lint.Var{"CERTCTL_ACME_INSECURE": {Value: "true", Known: true}}}},
	})
	if err != nil || r.ExitCode(lint.SeverityError) != 1 {
		t.Fatalf("err=%v report=%+v", err, r)
	}
}

func TestReleaseInRange(t *testing.T) {
	for _, tc := range []struct {
		rng  string
		want []string
	}{
		{"", lint.KnownReleases},
		{">=2.1.1 <2.2.0", []string{"2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1.7"}},
		{">=2.1.4", []string{"2.1.4", "2.1.5", "2.1.6", "2.1.7", "2.2.0"}},
		{"2.2.0", []string{"2.2.0"}},
		{"<2.1.1", []string{"2.1.0"}},
		{"<=2.1.1 >2.1.0", []string{"2.1.1"}},
	} {
		if got := lint.ReleasesIn(tc.rng); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.rng, got, tc.want)
		}
	}
}

// TestJoiningRulesDeclareIt: the built-in rules that match objects with each
// other say so in METADATA (custom.joins), which is what sends them to the one
// evaluation over every object when a large input is partitioned.
func TestJoiningRulesDeclareIt(t *testing.T) {
	eng, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var joins []string
	for _, p := range eng.Policies() {
		if p.Joins {
			joins = append(joins, p.ID)
		}
	}
	if want := []string{"CFG-ROLE", "DEPL-H1", "DEPL-M3"}; !slices.Equal(joins, want) {
		t.Errorf("rules with custom.joins: %v, want %v", joins, want)
	}
}
