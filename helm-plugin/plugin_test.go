package helmplugin_test

// The Helm plugin, installed with the real helm CLI into temporary Helm
// directories and run on the repository's chart.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// helmBinary finds the helm CLI (make tools installs it).
func helmBinary(t *testing.T) string {
	return testutil.Tool(t, "helm", "helm.sh/helm/v3/cmd/helm@v3.22.0")
}

// helmEnv is a helm whose plugins, configuration, cache and data live in
// temporary directories, with the plugin installed from this directory.
type helmEnv struct {
	bin, root string
	env       []string
}

func newHelmEnv(t *testing.T) *helmEnv {
	t.Helper()
	h := &helmEnv{bin: helmBinary(t), root: testutil.RepoRoot(t)}
	tmp := t.TempDir()
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HELM_") && !strings.HasPrefix(kv, "CERTGATE_") && !strings.HasPrefix(kv, "KUBECONFIG=") {
			h.env = append(h.env, kv)
		}
	}
	for _, d := range []string{"HELM_PLUGINS", "HELM_CONFIG_HOME", "HELM_CACHE_HOME", "HELM_DATA_HOME"} {
		dir := filepath.Join(tmp, strings.ToLower(d))
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		h.env = append(h.env, d+"="+dir)
	}
	// No cluster: the namespace is helm's default unless -n says otherwise.
	h.env = append(h.env, "KUBECONFIG="+filepath.Join(tmp, "no-kubeconfig"), "CERTGATE_BIN="+testutil.CertgateBinary(t))
	if r := h.run(t, "plugin", "install", filepath.Join(h.root, "helm-plugin")); r.code != 0 {
		t.Fatalf("helm plugin install: exit %d\n%s%s", r.code, r.out, r.err)
	}
	return h
}

type result struct {
	code     int
	out, err string
}

// run runs helm with args in the repository root.
func (h *helmEnv) run(t *testing.T, args ...string) result {
	t.Helper()
	return h.runEnv(t, h.env, args...)
}

func (h *helmEnv) runEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(h.bin, args...)
	cmd.Dir, cmd.Env = h.root, env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{out: out.String(), err: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("helm %v: %v", args, err)
	}
	return r
}

type report struct {
	Findings []struct {
		Rule, Severity, File, Path, Message string
		Line                                int
	}
}

func decode(t *testing.T, r result) report {
	t.Helper()
	var rep report
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("not a JSON report (exit %d): %v\n%s%s", r.code, err, r.out, r.err)
	}
	return rep
}

func TestPluginIsListed(t *testing.T) {
	h := newHelmEnv(t)
	r := h.run(t, "plugin", "list")
	if r.code != 0 || !strings.Contains(r.out, "certgate") || !strings.Contains(r.out, "0.1.0") {
		t.Errorf("helm plugin list: exit %d\n%s%s", r.code, r.out, r.err)
	}
	r = h.run(t, "certgate")
	if r.code != 2 || !strings.Contains(r.err, "helm certgate lint CHART") {
		t.Errorf("helm certgate without a command: exit %d, want 2 with the usage\n%s", r.code, r.err)
	}
	r = h.run(t, "certgate", "--help")
	if r.code != 0 || !strings.Contains(r.out, "helm certgate lint CHART") {
		t.Errorf("helm certgate --help: exit %d, want 0 with the usage\n%s%s", r.code, r.out, r.err)
	}
	r = h.run(t, "certgate", "frobnicate")
	if r.code != 2 || !strings.Contains(r.err, `unknown command "frobnicate"`) {
		t.Errorf("helm certgate frobnicate: exit %d, want 2\n%s", r.code, r.err)
	}
}

func TestPluginLintsTheChart(t *testing.T) {
	h := newHelmEnv(t)
	// The declared profiles of certgate.yaml, then the chart with one values file.
	for _, args := range [][]string{
		{"certgate", "lint", "charts/certctl"},
		{"certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--set", "server.log.level=warn", "--format", "json"},
	} {
		r := h.run(t, args...)
		if r.code != 0 {
			t.Errorf("helm %s: exit %d, want 0\n%s%s", strings.Join(args, " "), r.code, r.out, r.err)
		}
	}
	// certgate's own flags pass through: the chart's NetworkPolicy reminder is an
	// info, so --fail-on info fails.
	r := h.run(t, "certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--fail-on", "info", "--format", "json")
	if r.code != 1 {
		t.Fatalf("--fail-on info: exit %d, want 1\n%s%s", r.code, r.out, r.err)
	}
	if rep := decode(t, r); len(rep.Findings) == 0 || rep.Findings[0].Rule != "DEPL-M3" {
		t.Errorf("--fail-on info: findings %+v, want DEPL-M3", rep.Findings)
	}
}

// TestPluginNamespace: helm keeps -n for itself (HELM_NAMESPACE); the plugin
// renders in that namespace, as helm template would.
func TestPluginNamespace(t *testing.T) {
	h := newHelmEnv(t)
	for ns, args := range map[string][]string{
		"prod":    {"certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "-n", "prod", "--dump-input"},
		"default": {"certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--dump-input"},
	} {
		r := h.run(t, args...)
		var in struct{ Releases []struct{ Namespace string } }
		if err := json.Unmarshal([]byte(r.out), &in); err != nil || r.code != 0 {
			t.Fatalf("helm %s: exit %d, %v\n%s", strings.Join(args, " "), r.code, err, r.err)
		}
		if len(in.Releases) != 1 || in.Releases[0].Namespace != ns {
			t.Errorf("helm %s: releases %+v, want one in namespace %s", strings.Join(args, " "), in.Releases, ns)
		}
	}
}

func TestPluginBrokenValuesPointAtTheValuesFile(t *testing.T) {
	h := newHelmEnv(t)
	const broken = "helm-plugin/testdata/broken-values.yaml"
	r := h.run(t, "certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--values", broken, "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.out, r.err)
	}
	var found bool
	for _, f := range decode(t, r).Findings {
		if f.Rule == "DEPL-H1" && f.Severity == "error" && f.File == broken && f.Line == 4 && f.Path == "podDisruptionBudget.enabled" {
			found = true
		}
	}
	if !found {
		t.Errorf("no DEPL-H1 error at %s:4 (podDisruptionBudget.enabled):\n%s", broken, r.out)
	}
	// The same values in --set: the finding points at the flag.
	r = h.run(t, "certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--set", "podDisruptionBudget.enabled=true", "--format", "json")
	if r.code != 1 || !strings.Contains(r.out, `"file": "--set"`) {
		t.Errorf("--set podDisruptionBudget.enabled=true: exit %d, want 1 with a finding at --set\n%s%s", r.code, r.out, r.err)
	}
}

func TestPluginChartThatDoesNotRender(t *testing.T) {
	h := newHelmEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		// No TLS source: the chart fails its own render.
		{[]string{"certgate", "lint", "charts/certctl", "--set", "server.replicas=1"}, "server.tls"},
		// A value the chart's schema refuses.
		{[]string{"certgate", "lint", "charts/certctl", "-f", "charts/certctl/values-tls.yaml", "--set", "server.log.level=INFO"}, "values.schema.json"},
		{[]string{"certgate", "lint", "helm-plugin/testdata/no-such-chart"}, "no-such-chart"},
	} {
		r := h.run(t, tc.args...)
		if r.code != 2 || !strings.Contains(r.err, tc.want) {
			t.Errorf("helm %s: exit %d, want 2 naming %q\n%s%s", strings.Join(tc.args, " "), r.code, tc.want, r.out, r.err)
		}
	}
}

func TestPluginWithoutCertgate(t *testing.T) {
	h := newHelmEnv(t)
	var env []string
	for _, kv := range h.env {
		if !strings.HasPrefix(kv, "CERTGATE_BIN=") && !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	// sh, and no certgate.
	env = append(env, "PATH=/usr/bin:/bin")
	r := h.runEnv(t, env, "certgate", "lint", "charts/certctl")
	if r.code != 2 || !strings.Contains(r.err, "certgate is not on PATH") || !strings.Contains(r.err, "go install github.com/certgate/certgate/cmd/certgate") {
		t.Errorf("without certgate: exit %d, want 2 naming the install\n%s", r.code, r.err)
	}
	r = h.runEnv(t, append(env, "CERTGATE_BIN=/nonexistent/certgate"), "certgate", "lint", "charts/certctl")
	if r.code != 2 || !strings.Contains(r.err, "CERTGATE_BIN=/nonexistent/certgate is not an executable file") {
		t.Errorf("CERTGATE_BIN missing: exit %d, want 2\n%s", r.code, r.err)
	}
}

// TestREADMEExample runs the README's Helm plugin block as written, in the
// repository root, with the temporary Helm directories.
func TestREADMEExample(t *testing.T) {
	h := newHelmEnv(t)
	if r := h.run(t, "plugin", "uninstall", "certgate"); r.code != 0 {
		t.Fatalf("helm plugin uninstall: exit %d\n%s", r.code, r.err)
	}
	block := testutil.ReadmeBlock(t, "## Helm plugin", "sh")
	if !strings.Contains(block, "helm plugin install ./helm-plugin") || !strings.Contains(block, "helm certgate lint") {
		t.Fatalf("the README block does not install and run the plugin:\n%s", block)
	}
	cmd := exec.Command("sh", "-ec", block)
	cmd.Dir = h.root
	// helm from where the tests found it.
	cmd.Env = append(h.env, "PATH="+filepath.Dir(h.bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's Helm plugin example fails: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "0 errors, 0 warnings") {
		t.Errorf("the README's example is not clean:\n%s", out)
	}
}
