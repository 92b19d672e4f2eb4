package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/bench/internal/workload"
	"github.com/certgate/certgate/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

func TestMedian(t *testing.T) {
	s := func(ms int, mib int64) sample {
		return sample{wall: time.Duration(ms) * time.Millisecond, rss: mib << 20}
	}
	if got := median([]sample{s(30, 1), s(10, 3), s(20, 2)}); got != s(20, 2) {
		t.Errorf("odd count: got %v", got)
	}
	// Wall time and RSS are medians each on their own.
	if got := median([]sample{s(40, 1), s(10, 4), s(20, 2), s(30, 3)}); got != (sample{wall: 25 * time.Millisecond, rss: 5 << 19}) {
		t.Errorf("even count: got %v", got)
	}
	if got := median(nil); got != (sample{}) {
		t.Errorf("no samples: got %v", got)
	}
}

func TestServerEnviron(t *testing.T) {
	env, err := serverEnviron(filepath.Join(testutil.RepoRoot(t), "testdata", "bench", "server.env"), [2]string{"/c", "/k"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CERTCTL_SERVER_TLS_CERT_PATH=/c", "CERTCTL_SERVER_TLS_KEY_PATH=/k", "CERTCTL_AUTH_TYPE=api-key"} {
		if !slices.Contains(env, want) {
			t.Errorf("missing %s in %q", want, env)
		}
	}
	for _, e := range env {
		if strings.HasPrefix(e, "#") || !strings.Contains(e, "=") {
			t.Errorf("not a variable: %q", e)
		}
	}
}

// findingsOutput runs cmd (named name in failures) in dir and returns its
// stdout: exit 0 (no finding) or 1 (findings) only, as both tools exit.
func findingsOutput(t *testing.T, name string, cmd *exec.Cmd, dir string) []byte {
	t.Helper()
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(cmd.Args[1:], " "), err, stderr.String())
		}
	}
	return stdout.Bytes()
}

// finding is what both tools must agree on: rule, severity and message
// (subjects differ: conftest does not see # Source: comments).
type finding struct{ rule, severity, message string }

func certgateFindings(t *testing.T, bin, dir string, args ...string) []finding {
	t.Helper()
	stdout := findingsOutput(t, "certgate", exec.Command(bin, append(args, "--format", "json")...), dir)
	var rep struct {
		Findings []struct{ Rule, Severity, Message string } `json:"findings"`
	}
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Fatalf("certgate %s: %v", strings.Join(args, " "), err)
	}
	var out []finding
	for _, f := range rep.Findings {
		out = append(out, finding{f.Rule, f.Severity, f.Message})
	}
	return sorted(out)
}

func conftestFindings(t *testing.T, conftest, peer, dir string, args ...string) []finding {
	t.Helper()
	stdout := findingsOutput(t, "conftest", exec.Command(conftest, append([]string{"test", "-p", peer, "--output", "json"}, args...)...), dir)
	type result struct {
		Metadata struct{ Package, Severity, Message string } `json:"metadata"`
	}
	var rep []struct {
		Failures, Warnings []result
	}
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Fatalf("conftest %s: %v\n%s", strings.Join(args, " "), err, stdout)
	}
	var out []finding
	for _, r := range rep {
		for _, x := range append(r.Failures, r.Warnings...) {
			rule := strings.ToUpper(strings.ReplaceAll(x.Metadata.Package, "_", "-"))
			out = append(out, finding{rule, x.Metadata.Severity, x.Metadata.Message})
		}
	}
	return sorted(out)
}

func sorted(fs []finding) []finding {
	slices.SortFunc(fs, func(a, b finding) int {
		return strings.Compare(a.rule+"\x00"+a.severity+"\x00"+a.message, b.rule+"\x00"+b.severity+"\x00"+b.message)
	})
	return fs
}

// TestPeerAgreesWithCertgate: conftest with bench/conftest's adapter over the
// catalog finds what certgate finds (rule, severity, message) on the manifest
// fixtures, the generated streams with faults, and .env files, so the
// benchmark compares the same judgement.
func TestPeerAgreesWithCertgate(t *testing.T) {
	conftest, err := findTool("conftest", "go install github.com/open-policy-agent/conftest@v0.71.1")
	if err != nil {
		t.Fatal(err)
	}
	bin := testutil.CertgateBinary(t)
	root := testutil.RepoRoot(t)
	d := &driver{root: root}
	peer := filepath.Join(t.TempDir(), "peer")
	if err := d.peerPolicies(peer); err != nil {
		t.Fatal(err)
	}

	// Each input alone in a directory without certgate.yaml.
	inputs := map[string][]byte{}
	for _, pattern := range []string{"testdata/manifest/*.yaml", "testdata/roles/*.yaml", "testdata/mount/*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			inputs[filepath.Base(filepath.Dir(p))+"-"+filepath.Base(p)] = b
		}
	}
	for _, g := range []struct {
		kind string
		n    int
	}{{"mixed", 800}, {"join", 100}} {
		var buf bytes.Buffer
		if err := workload.GenerateWithFaults(&buf, g.kind, g.n, workload.Seed); err != nil {
			t.Fatal(err)
		}
		inputs[fmt.Sprintf("%s-faults-%d.yaml", g.kind, g.n)] = buf.Bytes()
	}
	withFindings := 0
	for name, b := range inputs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			want := certgateFindings(t, bin, dir, "lint", name)
			got := conftestFindings(t, conftest, peer, dir, "--combine", name)
			if len(want) > 0 {
				withFindings++
			}
			compareFindings(t, want, got)
		})
	}
	if withFindings < 10 {
		t.Errorf("only %d inputs have findings: the comparison proves little", withFindings)
	}

	envs := map[string]string{
		"server.env": "",
		"faulty.env": "CERTCTL_ACME_INSECURE=true\nCERTCTL_MAX_BODY_SIZE=10MB\nCERTCTL_AUTH_SECRET=change-me-now\nCERTCTL_RATE_LIMIT_BACKEND=postgres\n",
	}
	base, err := os.ReadFile(filepath.Join(root, "testdata", "bench", "server.env"))
	if err != nil {
		t.Fatal(err)
	}
	for name, extra := range envs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), append(base, extra...), 0o644); err != nil {
				t.Fatal(err)
			}
			// conftest cannot look at the files a .env names: no host facts.
			want := certgateFindings(t, bin, dir, "env", "--no-host", "--env-file", name)
			got := conftestFindings(t, conftest, peer, dir, "--parser", "dotenv", name)
			if name == "faulty.env" && len(want) == 0 {
				t.Fatal("certgate finds nothing in faulty.env")
			}
			compareFindings(t, want, got)
		})
	}
}

func compareFindings(t *testing.T, want, got []finding) {
	t.Helper()
	if slices.Equal(want, got) {
		return
	}
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("conftest misses %s %s: %s", f.rule, f.severity, f.message)
		}
	}
	for _, f := range got {
		if !slices.Contains(want, f) {
			t.Errorf("conftest adds %s %s: %s", f.rule, f.severity, f.message)
		}
	}
	if !t.Failed() {
		t.Errorf("the same findings, other counts: certgate %d, conftest %d", len(want), len(got))
	}
}
