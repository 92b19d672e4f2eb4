package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint/redact"
)

func opaBinary(t *testing.T) string {
	return testutil.Tool(t, "opa", "github.com/open-policy-agent/opa@v1.22.3")
}

// bundleFixtures are the repository's inputs the bundle is checked on: the
// declared chart profiles with the compose files (no PATH), compose file sets,
// a .env given to compose, chart renders and manifest streams.
var bundleFixtures = [][]string{
	{},
	{"compose/"},
	{"compose/", "--env-file", "testdata/compose-boot/operator.env"},
	{"testdata/compose/acme-default/"},
	{"testdata/compose/acme-insecure/"},
	{"testdata/compose/base/"},
	{"testdata/compose/demo-ack/"},
	{"testdata/compose/dotenv-required/"},
	{"testdata/compose/env-file/"},
	{"testdata/compose/image-default/"},
	{"testdata/compose/maybe-empty/"},
	{"testdata/compose/no-token/"},
	{"testdata/compose/prod/"},
	{"testdata/compose/unknown-token/"},
	{"testdata/compose/dotenv-required/", "--certctl-version", "2.1.4"},
	{"charts/certctl", "-f", "charts/certctl/values-tls.yaml", "-f", "charts/certctl/values-ha.yaml", "--set", "server.replicas=1"},
	{"testdata/charts/intent", "-f", "testdata/charts/intent/values-pdb.yaml"},
	{"testdata/manifest/ha-broken.yaml"},
	{"testdata/manifest/ha-clean.yaml"},
	{"testdata/mount/tls-no-mount.yaml"},
	{"testdata/mount/ra-mode-0400.yaml"},
	{"testdata/roles/label-mismatch.yaml"},
	{"testdata/roles/no-server.yaml"},
	{"charts/certctl", "-f", "testdata/chart/self-signed.yaml"},
	{"lint/bundle/testdata/findings.yaml"},
	// With carve-outs prepared (input.carveouts) and a clock two weeks before
	// the register's entries expire, so CFG-WAIVER warns; waived findings stay
	// in certgate's report, marked, so the sets still compare.
	{"--now", "1811000000"},
}

// finding3 is what the bundle and certgate lint can both say about a finding.
type finding3 struct{ Rule, Severity, Msg string }

func (f finding3) String() string { return fmt.Sprintf("%s %s: %s", f.Rule, f.Severity, f.Msg) }

// TestBundleAgreesWithLint evaluates the bundle with the real opa CLI on the
// Input document certgate dumps for each fixture, and compares the (rule,
// severity, message) set with certgate lint --no-waivers on the same input.
// certgate masks URL credentials in messages (lint/redact); the bundle returns
// the rules' messages as written, so the OPA side is compared after the same
// step, and the number of messages it changed is logged.
func TestBundleAgreesWithLint(t *testing.T) {
	opa := opaBinary(t)
	t.Chdir(testutil.RepoRoot(t))
	dir := t.TempDir()
	tarball := filepath.Join(dir, "certgate.tar.gz")
	if r := runCLI(t, nil, "", "policies", "bundle", "--output", tarball); r.code != 0 {
		t.Fatalf("policies bundle: exit %d: %s", r.code, r.err)
	}
	total, redacted := 0, 0
	for i, args := range bundleFixtures {
		name := strings.Join(args, " ")
		if name == "" {
			name = "(no path)"
		}
		t.Run(name, func(t *testing.T) {
			common := append([]string{"lint", "--no-waivers", "--now", "1800000000"}, args...)
			if slices.Contains(args, "--now") {
				common = append([]string{"lint"}, args...)
			}
			dump := runCLI(t, nil, "", append(slices.Clone(common), "--dump-input")...)
			if dump.code != 0 {
				t.Fatalf("--dump-input: exit %d: %s", dump.code, dump.err)
			}
			input := filepath.Join(dir, fmt.Sprintf("input-%d.json", i))
			if err := os.WriteFile(input, []byte(dump.out), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(opa, "eval", "--bundle", tarball, "--input", input, "--format", "json", "data.certgate.findings")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("opa eval: %v\n%s", err, stderrOf(err))
			}
			var res struct {
				Result []struct {
					Expressions []struct {
						Value []finding3 `json:"value"`
					} `json:"expressions"`
				} `json:"result"`
			}
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("opa eval output: %v\n%s", err, out)
			}
			if len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
				t.Fatalf("opa eval returned no result (is data.certgate.findings defined?):\n%s", out)
			}
			got := map[finding3]bool{}
			for _, f := range res.Result[0].Expressions[0].Value {
				if m := redact.String(f.Msg); m != f.Msg {
					redacted++
					f.Msg = m
				}
				got[f] = true
			}

			lr := runCLI(t, nil, "", append(slices.Clone(common), "--format", "json", "--fail-on", "info")...)
			if lr.code == 2 {
				t.Fatalf("lint: exit 2: %s", lr.err)
			}
			var rep struct {
				Findings []struct{ Rule, Severity, Message string }
			}
			if err := json.Unmarshal([]byte(lr.out), &rep); err != nil {
				t.Fatalf("lint --format json: %v", err)
			}
			want := map[finding3]bool{}
			for _, f := range rep.Findings {
				want[finding3{f.Rule, f.Severity, f.Message}] = true
			}
			if (lr.code == 1) != (len(want) > 0) {
				t.Errorf("lint exit %d with %d findings", lr.code, len(want))
			}
			for f := range want {
				if !got[f] {
					t.Errorf("certgate lint reports, the bundle does not: %v", f)
				}
			}
			for f := range got {
				if !want[f] {
					t.Errorf("the bundle reports, certgate lint does not: %v", f)
				}
			}
			total += len(want)
		})
	}
	if total == 0 {
		t.Fatal("no fixture produced a finding: the comparison proves nothing")
	}
	t.Logf("%d fixtures, %d distinct findings compared, %d bundle messages changed by certgate's redaction", len(bundleFixtures), total, redacted)
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// runReadmeBlock runs the one sh block of a README section in dir with the
// certgate binary and the given tools first on PATH, and returns its output.
func runReadmeBlock(t *testing.T, heading, dir string, tools ...string) string {
	t.Helper()
	block := testutil.ReadmeBlock(t, heading, "sh")
	path := []string{filepath.Dir(testutil.CertgateBinary(t))}
	for _, tool := range tools {
		path = append(path, filepath.Dir(tool))
	}
	cmd := exec.Command("sh", "-e", "-c", block)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+strings.Join(append(path, os.Getenv("PATH")), string(os.PathListSeparator)))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the %s example failed: %v\n%s\n%s", heading, err, block, out)
	}
	return string(out)
}

// TestReadmeOPABundle runs the README's OPA bundle example on a copy of the
// chart: the bundle reports what certgate lint reports.
func TestReadmeOPABundle(t *testing.T) {
	opa := opaBinary(t)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "charts", "certctl"), os.DirFS(filepath.Join(testutil.RepoRoot(t), "charts", "certctl"))); err != nil {
		t.Fatal(err)
	}
	out := runReadmeBlock(t, "## OPA bundle", dir, opa)
	t.Chdir(dir)
	lr := runCLI(t, nil, "", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--format", "json")
	var rep struct {
		Findings []struct{ Rule, Message string }
	}
	if err := json.Unmarshal([]byte(lr.out), &rep); err != nil || len(rep.Findings) == 0 {
		t.Fatalf("lint of the example's chart: %v %q %s", err, lr.out, lr.err)
	}
	for _, f := range rep.Findings {
		if !strings.Contains(out, f.Rule) || !strings.Contains(out, f.Message[:40]) {
			t.Errorf("the example's opa output lacks %s %q:\n%s", f.Rule, f.Message, out)
		}
	}
}

// A --policy directory joins the bundle and its rules reach
// data.certgate.findings; bad usage is exit 2 with one line.
func TestBundleUserPoliciesAndErrors(t *testing.T) {
	opa := opaBinary(t)
	t.Chdir(testutil.RepoRoot(t))
	dir := t.TempDir()
	tarball := filepath.Join(dir, "b.tar.gz")
	if r := runCLI(t, nil, "", "policies", "bundle", "--policy", "testdata/userpolicies/example", "--output", tarball); r.code != 0 {
		t.Fatalf("policies bundle --policy: exit %d: %s", r.code, r.err)
	}
	input := writeFile(t, dir, "input.json", `{"meta": {"now_unix": 1800000000, "certctl_version": "2.2.0"}, "envs": [{"id": "e", "role": "server", "vars": {}, "labels": {}}]}`)
	out, err := exec.Command(opa, "eval", "--bundle", tarball, "--input", input, "--format", "json", "data.certgate.findings").Output()
	if err != nil {
		t.Fatalf("opa eval: %v\n%s", err, stderrOf(err))
	}
	if !strings.Contains(string(out), `"rule": "CFG-AUTH-TYPE"`) {
		t.Errorf("the user rule is not among the findings:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"policies", "bundle", "--output", filepath.Join(dir, "missing", "b.tar.gz")}, "write bundle"},
		{[]string{"policies", "bundle", "--policy", filepath.Join(dir, "nothing"), "--output", tarball}, "policy directory"},
		{[]string{"policies", "gatekeeper"}, "--output DIR is required"},
	} {
		r := runCLI(t, nil, "", c.args...)
		if r.code != 2 || !strings.Contains(r.err, c.want) || strings.Count(strings.TrimSpace(r.err), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q", c.args, r.code, r.err, c.want)
		}
	}
}
