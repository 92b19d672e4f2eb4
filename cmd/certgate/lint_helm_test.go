package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/certgate/certgate/internal/gotool"
)

// chartRepoRoot is resolved once, from the package directory the tests start in.
var chartRepoRoot = sync.OnceValue(func() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return abs
})

// atRepoRoot runs the test from the repository root, where certgate.yaml
// declares charts/certctl and its profiles. Not for parallel tests.
func atRepoRoot(t *testing.T) {
	t.Helper()
	root := chartRepoRoot()
	if wd, _ := os.Getwd(); wd != root {
		t.Chdir(root)
	}
}

// sectionLine is the line of the first match of re after the top-level key
// section of a values file.
func sectionLine(t *testing.T, file, section, re string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rx := regexp.MustCompile(re)
	in := false
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, section+":") {
			in = true
			continue
		}
		if in && rx.MatchString(l) {
			return i + 1
		}
	}
	t.Fatalf("%s: no %s under %s", file, re, section)
	return 0
}

// lintChart runs certgate lint at the repository root with JSON output.
func lintChart(t *testing.T, stdin string, args ...string) (result, jsonReport) {
	t.Helper()
	atRepoRoot(t)
	r := runCLI(t, nil, stdin, append([]string{"lint", "--format", "json", "--now", now}, args...)...)
	if r.code == 2 {
		return r, jsonReport{}
	}
	return r, decodeReport(t, r.out)
}

// want asserts a finding of rule and severity at file:line whose message
// contains msg; line 0 means "no line" (a --set value), -1 any line.
func want(t *testing.T, rep jsonReport, rule, severity, file string, line int, msg string) {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Rule == rule && f.Severity == severity && f.File == file && (f.Line == line || (line < 0 && f.Line > 0)) && strings.Contains(f.Message, msg) {
			return
		}
	}
	t.Errorf("no %s %s at %s:%d containing %q in\n%+v", severity, rule, file, line, msg, rep.Findings)
}

const defaults = "charts/certctl/values.yaml"

// tlsValues chooses the chart's TLS source (an existing Secret): the chart
// refuses to render without one.
const tlsValues = "charts/certctl/values-tls.yaml"

func TestLintChartShippedProfilesPass(t *testing.T) {
	for _, args := range [][]string{
		{"charts/certctl"},
		{"charts/certctl", "-f", tlsValues, "-f", "charts/certctl/values-ha.yaml"},
		{"charts/certctl", "-f", tlsValues, "--values", "charts/certctl/values-ha.yaml", "--certctl-version", "2.2.0"},
		{"charts/certctl", "-f", tlsValues, "--set", "server.replicas=1", "--kube-version", "1.29.0", "--release-name", "prod", "--namespace", "certctl"},
	} {
		r, rep := lintChart(t, "", args...)
		if r.code != 0 {
			t.Errorf("%v: code %d, err %s, findings %+v", args, r.code, r.err, rep.Findings)
		}
	}
}

// TestLintChartDeclaredProfiles: naming a declared chart without -f renders
// every profile of certgate.yaml, each finding labelled with its profile.
func TestLintChartDeclaredProfiles(t *testing.T) {
	_, rep := lintChart(t, "", "charts/certctl", "--fail-on", "info")
	profiles := map[string]bool{}
	for _, f := range rep.Findings {
		for _, p := range []string{"default", "ha"} {
			if strings.HasPrefix(f.Subject, "charts/certctl profile "+p+": ") {
				profiles[p] = true
			}
		}
	}
	if !profiles["default"] || !profiles["ha"] {
		t.Fatalf("profiles seen %v in %+v", profiles, rep.Findings)
	}
	want(t, rep, "DEPL-M3", "info", defaults, sectionLine(t, defaults, "networkPolicy", `^  enabled:`), "networkPolicy.enabled=true")
}

func TestLintNoArgumentsLintsChartsAndCompose(t *testing.T) {
	r, rep := lintChart(t, "", "--fail-on", "info")
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Subject, "charts/certctl profile ") {
			seen[strings.SplitN(f.Subject, ":", 2)[0]] = true
		}
	}
	if !seen["charts/certctl profile default"] || !seen["charts/certctl profile ha"] {
		t.Fatalf("declared profiles not linted: code %d err %s findings %+v", r.code, r.err, rep.Findings)
	}
	r, _ = lintChart(t, "")
	if r.code != 0 {
		t.Fatalf("certgate lint at the root: code %d err %s out %s", r.code, r.err, r.out)
	}
}

// wantMessage asserts a finding of rule whose message contains msg. Where
// findings are and at which severity, testdata/fixtures/chart states.
func wantMessage(t *testing.T, rep jsonReport, rule, msg string) {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Rule == rule && strings.Contains(f.Message, msg) {
			return
		}
	}
	t.Errorf("no %s containing %q in\n%+v", rule, msg, rep.Findings)
}

// TestLintChartFindings: what certgate lint adds to the chart renders of
// testdata/fixtures/chart (which state each finding's place and severity):
// the exit code, --fail-on, the message text, and the subject naming the
// chart.
func TestLintChartFindings(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		msgs []string // DEPL-H1 message texts
	}{
		{"budget on one replica", []string{"--set", "podDisruptionBudget.enabled=true"}, 1,
			[]string{"a budget on a single replica", "requires minAvailable 1 of the 1 server replica"}},
		{"budget requiring every replica", []string{"--set", "server.replicas=3", "--set", "podDisruptionBudget.enabled=true", "--set", "podDisruptionBudget.minAvailable=3"}, 1,
			[]string{"requires minAvailable 3 of the 3 server replica"}},
		{"replicas without affinity", []string{"--set", "server.replicas=3"}, 1,
			[]string{"without sessionAffinity ClientIP", "rate limits are counted per replica", "bundled single-pod PostgreSQL", "without a PodDisruptionBudget", "without pod anti-affinity"}},
		// Only an info: exit 1 with --fail-on info alone.
		{"upstream affinity annotation", []string{"-f", "charts/certctl/values-ha.yaml", "--set", "server.service.sessionAffinity=None", "--set", "server.service.annotations.certgate\\.io/session-affinity=upstream", "--fail-on", "info"}, 1,
			[]string{"load balancer in front"}},
		{"upstream affinity annotation, default --fail-on", []string{"-f", "charts/certctl/values-ha.yaml", "--set", "server.service.sessionAffinity=None", "--set", "server.service.annotations.certgate\\.io/session-affinity=upstream"}, 0,
			[]string{"load balancer in front"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, rep := lintChart(t, "", append([]string{"charts/certctl", "-f", tlsValues}, c.args...)...)
			if r.code != c.code {
				t.Fatalf("code %d (want %d) err %s", r.code, c.code, r.err)
			}
			for _, m := range c.msgs {
				wantMessage(t, rep, "DEPL-H1", m)
			}
			for _, f := range rep.Findings {
				if f.Rule == "DEPL-H1" && !strings.HasPrefix(f.Subject, "charts/certctl: ") {
					t.Errorf("subject %q does not name the chart", f.Subject)
				}
			}
		})
	}
}

// TestLintChartValuesFileOutsideTheRepository: a values file outside the
// working directory is reported by its own path (its lines and the
// template's finding are in testdata/fixtures/chart/values-file-lines.txtar).
func TestLintChartValuesFileOutsideTheRepository(t *testing.T) {
	dir := t.TempDir()
	vf := writeFile(t, dir, "my-values.yaml", "server:\n  replicas: 2\n  env:\n    - name: CERTCTL_AUTH_SECRET\n      value: change-me-auth\n")
	r, rep := lintChart(t, "", "charts/certctl", "-f", tlsValues, "-f", vf)
	if r.code != 1 {
		t.Fatalf("code %d err %s", r.code, r.err)
	}
	want(t, rep, "DEPL-M2", "error", filepath.ToSlash(vf), -1, "values key server.env.0.value")
	wantMessage(t, rep, "DEPL-M2", "env CERTCTL_AUTH_SECRET of container server")
}

func TestLintChartErrorsExit2(t *testing.T) {
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"charts/certctl", "-f", tlsValues, "--set", "postgresql.enabled=false"}, "postgresql.enabled is false: set externalDatabase.existingSecret"},
		{[]string{"charts/certctl", "--set", "server.replicas=lots"}, "values.schema.json"},
		{[]string{"charts/certctl", "-f", "no-such-values.yaml"}, "read values file no-such-values.yaml"},
		{[]string{"charts/certctl", "--kube-version", "banana"}, "--kube-version"},
	}
	for _, c := range cases {
		r, _ := lintChart(t, "", c.args...)
		if r.code != 2 || !strings.Contains(r.err, c.msg) {
			t.Errorf("%v: code %d err %q, want 2 and %q", c.args, r.code, r.err, c.msg)
		}
	}
}

func TestLintStreamErrorsExit2(t *testing.T) {
	cases := []struct{ stdin, msg string }{
		{"", "<stdin>: no Kubernetes object in the stream"},
		{"---\n---\n", "<stdin>: no Kubernetes object in the stream"},
		{"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a\n", "<stdin>:5: document 2 is a sequence"},
		{"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n", "<stdin>:4: document 1"},
		{"apiVersion: v1\nmetadata: {name: a}\n", "<stdin>:1: document 1 has no kind"},
	}
	for _, c := range cases {
		r, _ := lintChart(t, c.stdin, "-")
		if r.code != 2 || !strings.Contains(r.err, c.msg) {
			t.Errorf("%q: code %d err %q, want 2 and %q", c.stdin, r.code, r.err, c.msg)
		}
	}
}

// tokenlessStream is a server certctl starts with (listener, TLS paths, the
// API-key secret from a Secret outside the stream) but for its bootstrap token.
const tokenlessStream = `--- # a server without a bootstrap token
# Source: mine/templates/server.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: certctl-server
spec:
  replicas: 1
  template:
    metadata:
      labels: {app: certctl}
    spec:
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl:2.2.0
          env:
            - name: CERTCTL_AUTH_TYPE
              value: api-key
            - name: CERTCTL_AUTH_SECRET
              valueFrom: {secretKeyRef: {name: certctl-auth, key: secret}}
            - name: CERTCTL_SERVER_HOST
              value: 0.0.0.0
            - name: CERTCTL_SERVER_PORT
              value: "8443"
            - name: CERTCTL_SERVER_TLS_CERT_PATH
              value: /etc/certctl/tls/tls.crt
            - name: CERTCTL_SERVER_TLS_KEY_PATH
              value: /etc/certctl/tls/tls.key
          volumeMounts: [{name: tls, mountPath: /etc/certctl/tls, readOnly: true}]
      volumes: [{name: tls, secret: {secretName: certctl-tls}}]
---
`

func TestLintStreamTokenlessServer(t *testing.T) {
	r, rep := lintChart(t, tokenlessStream, "-", "--certctl-version", "2.2.0")
	if r.code != 1 {
		t.Fatalf("code %d err %s out %s", r.code, r.err, r.out)
	}
	want(t, rep, "SEC-H1", "error", "<stdin>", 14, "CERTCTL_AGENT_BOOTSTRAP_TOKEN is empty or absent")
	for _, f := range rep.Findings {
		if f.Rule == "SEC-H1" && !strings.Contains(f.Subject, "(mine/templates/server.yaml)") {
			t.Errorf("subject %q does not name the template", f.Subject)
		}
		if f.Severity == "error" && f.Rule != "SEC-H1" {
			t.Errorf("only the missing token refuses this server: %+v", f)
		}
	}
	// Before 2.2.0 the deny-empty flag defaults to false: the server starts, and
	// the missing token is a warning only.
	r, rep = lintChart(t, tokenlessStream, "-", "--certctl-version", "2.1.7")
	if r.code != 0 {
		t.Errorf("2.1.7: code %d (a warning only)\n%s", r.code, r.out)
	}
	want(t, rep, "SEC-H1", "warning", "<stdin>", 14, "CERTCTL_AGENT_BOOTSTRAP_TOKEN is empty or absent")
}

// A token that may come from an envFrom Secret outside the stream is unknown,
// not absent: the gate, which sees the real environment, decides.
func TestLintStreamEnvFromOutsideTheStream(t *testing.T) {
	stream := strings.Replace(tokenlessStream, "          env:\n", "          envFrom:\n            - secretRef:\n                name: certctl-env\n          env:\n", 1)
	if stream == tokenlessStream {
		t.Fatal("fixture did not change")
	}
	r, rep := lintChart(t, stream, "-", "--certctl-version", "2.2.0")
	if r.code != 0 {
		t.Fatalf("code %d err %s out %s", r.code, r.err, r.out)
	}
	for _, f := range rep.Findings {
		if f.Rule == "SEC-H1" {
			t.Errorf("SEC-H1 judged an environment that imports unknown variables: %+v", f)
		}
	}
}

// helmBinary finds the helm CLI: on PATH or in $(go env GOPATH)/bin.
func helmBinary(t *testing.T) string {
	t.Helper()
	if p, err := gotool.Find("helm"); err == nil {
		return p
	}
	msg := "helm CLI not found on PATH or in $(go env GOPATH)/bin; install it with go install helm.sh/helm/v3/cmd/helm@v3.22.0"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// ruleCounts summarises a report as sorted "RULE severity xN" lines.
func ruleCounts(rep jsonReport) []string {
	n := map[string]int{}
	for _, f := range rep.Findings {
		n[f.Rule+" "+f.Severity]++
	}
	var out []string
	for k, v := range n {
		out = append(out, fmt.Sprintf("%s x%d", k, v))
	}
	slices.Sort(out)
	return out
}

// TestHelmTemplatePipeMatchesInProcess: `helm template | certgate lint -`
// reports the same rules as the in-process render, profile by profile.
func TestHelmTemplatePipeMatchesInProcess(t *testing.T) {
	helmBin := helmBinary(t)
	root := chartRepoRoot()
	profiles := map[string][]string{
		// The chart's own defaults, named so the declared profiles do not apply.
		"default": {"-f", "charts/certctl/values.yaml", "-f", tlsValues},
		"ha":      {"-f", tlsValues, "-f", "charts/certctl/values-ha.yaml"},
		"broken":  {"-f", tlsValues, "--set", "server.replicas=3", "--set", "podDisruptionBudget.enabled=true", "--set", "podDisruptionBudget.minAvailable=3"},
	}
	for name, args := range profiles {
		cmd := exec.Command(helmBin, append([]string{"template", "certctl", "charts/certctl"}, args...)...)
		cmd.Dir = root
		stream, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: helm template: %v", name, err)
		}
		pipe, pipeRep := lintChart(t, string(stream), "-", "--fail-on", "info")
		inproc, inRep := lintChart(t, "", append([]string{"charts/certctl", "--fail-on", "info"}, args...)...)
		if pipe.code == 2 || inproc.code == 2 {
			t.Fatalf("%s: pipe %d %s / in-process %d %s", name, pipe.code, pipe.err, inproc.code, inproc.err)
		}
		if a, b := ruleCounts(pipeRep), ruleCounts(inRep); !slices.Equal(a, b) {
			t.Errorf("%s: helm template | certgate lint - gives %v, in-process %v", name, a, b)
		}
		if len(pipeRep.Findings) == 0 {
			t.Errorf("%s: no findings at all (DEPL-M3 expected)", name)
		}
		for _, f := range pipeRep.Findings {
			if f.File != "<stdin>" || f.Line == 0 {
				t.Errorf("%s: stream finding without a line: %+v", name, f)
			}
		}
		if name == "broken" && pipe.code != 1 {
			t.Errorf("broken: pipe exit %d, want 1", pipe.code)
		}
	}
}

// copyChart copies charts/certctl into dir/charts/certctl.
func copyChart(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join(chartRepoRoot(), "charts", "certctl")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, "charts", "certctl", rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLintDemoProfileAndNoDoubleRender: with no arguments every declared
// profile is rendered exactly once (the walk does not add a profile-less
// render), and a demo profile is exempt from DEPL-M2.
func TestLintDemoProfileAndNoDoubleRender(t *testing.T) {
	dir := t.TempDir()
	copyChart(t, dir)
	placeholder := "server:\n  env:\n    - name: CERTCTL_AUTH_SECRET\n      value: change-me-auth\n"
	writeFile(t, dir, "prod.yaml", placeholder)
	writeFile(t, dir, "demo.yaml", placeholder)
	writeFile(t, dir, "certgate.yaml", "charts:\n  - path: charts/certctl\n    profiles:\n      prod: ["+tlsValues+", prod.yaml]\n      demo: {values: ["+tlsValues+", demo.yaml], demo: true}\n")
	t.Chdir(dir)
	r := runCLI(t, nil, "", "lint", "--format", "json", "--now", now, "--fail-on", "info")
	if r.code != 1 {
		t.Fatalf("code %d err %s", r.code, r.err)
	}
	rep := decodeReport(t, r.out)
	want(t, rep, "DEPL-M2", "error", "prod.yaml", 4, "values key server.env.0.value")
	want(t, rep, "DEPL-M2", "error", "charts/certctl/templates/server-deployment.yaml", -1, "env CERTCTL_AUTH_SECRET")
	m3 := 0
	for _, f := range rep.Findings {
		if f.Rule == "DEPL-M2" && (f.File == "demo.yaml" || strings.Contains(f.Subject, "profile demo")) {
			t.Errorf("demo profile judged by DEPL-M2: %+v", f)
		}
		if f.Rule == "DEPL-M3" {
			m3++
			if !strings.Contains(f.Subject, "profile prod:") && !strings.Contains(f.Subject, "profile demo:") {
				t.Errorf("finding without its profile: %+v", f)
			}
		}
	}
	if m3 != 2 {
		t.Errorf("DEPL-M3 reported %d times, want once per profile (2)", m3)
	}
}
