// Package examples_test keeps the GitHub Action and its example workflows
// true: actionlint accepts them (checking the inputs and outputs they use
// against action.yml), the action's scripts run certgate as a workflow would,
// and the README shows the example workflow as it is committed.
package examples_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/internal/testutil"
)

const (
	exampleWorkflow = "docs/examples/certgate-workflow.yml"
	selfWorkflow    = ".github/workflows/certgate.yml"
	// releaseAction is how the example names the action; the tests swap it
	// for the local one, so actionlint checks it against action.yml.
	releaseAction = "uses: certgate/certgate@v0.1.0"
)

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// actionlint finds the actionlint binary (make tools installs it).
func actionlint(t *testing.T) string {
	return testutil.Tool(t, "actionlint", "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12")
}

// runActionlint lints the workflow files of the project at dir; it returns
// actionlint's output and whether it found nothing.
func runActionlint(t *testing.T, dir string, files ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(actionlint(t), append([]string{"-no-color"}, files...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("actionlint: %v", err)
	}
	return string(out), err == nil
}

// localProject is a project holding action.yml and one workflow: the example
// with the released action swapped for the local one (uses: ./) and edit applied.
func localProject(t *testing.T, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	wf := readRepoFile(t, exampleWorkflow)
	if !strings.Contains(wf, releaseAction) {
		t.Fatalf("%s does not use %q", exampleWorkflow, releaseAction)
	}
	wf = edit(strings.ReplaceAll(wf, releaseAction, "uses: ./"))
	// actionlint resolves local actions in a project: a directory with .git.
	for _, d := range []string{".git", ".github/workflows"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{
		"action.yml":                     readRepoFile(t, "action.yml"),
		".github/workflows/certgate.yml": wf,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestActionlint(t *testing.T) {
	if out, ok := runActionlint(t, testutil.RepoRoot(t), selfWorkflow, exampleWorkflow); !ok {
		t.Fatalf("actionlint %s %s:\n%s", selfWorkflow, exampleWorkflow, out)
	}
	if !strings.Contains(readRepoFile(t, selfWorkflow), "uses: ./\n") {
		t.Fatalf("%s does not use the local action", selfWorkflow)
	}
	keep := func(s string) string { return s }
	if out, ok := runActionlint(t, localProject(t, keep), ".github/workflows/certgate.yml"); !ok {
		t.Fatalf("the example with the local action:\n%s", out)
	}
	// actionlint does check the example against action.yml: an input or an
	// output the action does not declare is an error.
	for _, c := range []struct{ name, from, to, want string }{
		{"unknown input", "fail-on: error\n", "fail-on: error\n          no-such-input: x\n", `input "no-such-input" is not defined`},
		{"unknown output", "outputs.sarif-file != ''", "outputs.sarif-path != ''", `property "sarif-path" is not defined`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := localProject(t, func(s string) string {
				if !strings.Contains(s, c.from) {
					t.Fatalf("the example lacks %q", c.from)
				}
				return strings.Replace(s, c.from, c.to, 1)
			})
			out, ok := runActionlint(t, dir, ".github/workflows/certgate.yml")
			if ok || !strings.Contains(out, c.want) {
				t.Fatalf("actionlint accepted the broken example or said something else (want %q):\n%s", c.want, out)
			}
		})
	}
}

// action is the part of action.yml the tests read.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) action {
	t.Helper()
	var a action
	dec := yaml.NewDecoder(strings.NewReader(readRepoFile(t, "action.yml")))
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml: runs.using is %q, want composite", a.Runs.Using)
	}
	return a
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// stepEnv resolves a step's env: as the runner would, for the expressions
// the action uses (inputs.X, steps.ID.outputs.X, github.action_path).
func stepEnv(t *testing.T, env map[string]string, ctx map[string]string) []string {
	t.Helper()
	var out []string
	for k, v := range env {
		v = expr.ReplaceAllStringFunc(v, func(m string) string {
			name := expr.FindStringSubmatch(m)[1]
			val, ok := ctx[name]
			if !ok {
				t.Fatalf("env %s: the test does not know %s", k, m)
			}
			return val
		})
		out = append(out, k+"="+v)
	}
	return out
}

// runStep runs a run: step of action.yml as the runner runs shell: bash (the
// script in a file, bash --noprofile --norc -eo pipefail) in dir, and returns
// its exit code, its output and what it wrote to GITHUB_OUTPUT.
func runStep(t *testing.T, a action, id, dir string, ctx map[string]string) (int, string, map[string]string) {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID != id {
			continue
		}
		if s.Shell != "bash" {
			t.Fatalf("step %s: shell %q, want bash", id, s.Shell)
		}
		tmp := t.TempDir()
		script := filepath.Join(tmp, "step.sh")
		outputs := filepath.Join(tmp, "github_output")
		if err := os.WriteFile(script, []byte(s.Run), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = dir
		cmd.Env = append([]string{
			"PATH=" + os.Getenv("PATH"),
			"HOME=" + os.Getenv("HOME"),
			"GITHUB_OUTPUT=" + outputs,
			"RUNNER_TEMP=" + tmp,
			"SOURCE_DATE_EPOCH=1800000000",
		}, stepEnv(t, s.Env, ctx)...)
		for _, k := range []string{"GOPATH", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
			if v, ok := os.LookupEnv(k); ok {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
		}
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		code := 0
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("step %s: %v", id, err)
			}
			code = ee.ExitCode()
		}
		got := map[string]string{}
		b, _ := os.ReadFile(outputs)
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "="); ok {
				got[k] = v
			}
		}
		return code, buf.String(), got
	}
	t.Fatalf("action.yml has no step with id %s", id)
	return 0, "", nil
}

// TestActionScriptsAreInjectionFree: inputs reach the scripts through env:,
// never as ${{ }} inside a script, where they would be shell code.
func TestActionScriptsAreInjectionFree(t *testing.T) {
	a := loadAction(t)
	for _, s := range a.Runs.Steps {
		if s.Run != "" && strings.Contains(s.Run, "${{") {
			t.Errorf("step %q: an expression inside run:", s.ID)
		}
	}
	for _, name := range []string{"version", "paths", "args", "fail-on", "sarif-file"} {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("action.yml has no input %q", name)
		}
	}
}

// TestActionRunsLocally runs the action's install and lint steps with the
// runner's shell on this checkout (no network): the install step builds the
// action's own source, and the lint step writes a valid SARIF report, annotates
// the findings and exits as certgate does.
func TestActionRunsLocally(t *testing.T) {
	root := testutil.RepoRoot(t)
	a := loadAction(t)
	inputs := func(over map[string]string) map[string]string {
		ctx := map[string]string{"github.action_path": root}
		for name, in := range a.Inputs {
			ctx["inputs."+name] = in.Default
		}
		for k, v := range over {
			ctx["inputs."+k] = v
		}
		return ctx
	}
	code, out, got := runStep(t, a, "install", root, inputs(nil))
	bin := got["certgate"]
	if code != 0 || bin == "" {
		t.Fatalf("install: exit %d, outputs %v\n%s", code, got, out)
	}
	if !strings.HasPrefix(out, "certgate ") {
		t.Errorf("install does not print certgate's version:\n%s", out)
	}
	sarif := testutil.SARIFSchema(t)
	lint := func(t *testing.T, dir string, over map[string]string) (int, string, map[string]string) {
		t.Helper()
		ctx := inputs(over)
		ctx["steps.install.outputs.certgate"] = bin
		return runStep(t, a, "lint", dir, ctx)
	}
	checkSARIF := func(t *testing.T, path string, results int) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("SARIF report: %v", err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("SARIF report is not JSON: %v", err)
		}
		if err := sarif.Validate(doc); err != nil {
			t.Fatalf("SARIF report is not SARIF 2.1.0: %v", err)
		}
		runs, _ := doc["runs"].([]any)
		if len(runs) != 1 {
			t.Fatalf("SARIF report has %d runs", len(runs))
		}
		res, _ := runs[0].(map[string]any)["results"].([]any)
		if len(res) != results {
			t.Fatalf("SARIF report has %d results, want %d", len(res), results)
		}
	}
	// certgate's own exit code and finding count on the same input.
	direct := func(t *testing.T, dir string, args ...string) (int, int) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"lint", "--format", "json"}, args...)...)
		cmd.Dir = dir
		cmd.Env = []string{"SOURCE_DATE_EPOCH=1800000000"}
		b, err := cmd.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Findings []struct {
				Waiver any `json:"waiver"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("certgate lint --format json: %v\n%s", err, b)
		}
		return code, len(rep.Findings)
	}

	t.Run("repository", func(t *testing.T) {
		sarifPath := filepath.Join(t.TempDir(), "reports", "certgate.sarif")
		code, out, got := lint(t, root, map[string]string{"sarif-file": sarifPath})
		wantCode, findings := direct(t, root)
		if code != wantCode || got["exit-code"] != strconv.Itoa(wantCode) || got["sarif-file"] != sarifPath {
			t.Fatalf("exit %d (certgate: %d), outputs %v\n%s", code, wantCode, got, out)
		}
		checkSARIF(t, sarifPath, findings)
	})

	t.Run("findings", func(t *testing.T) {
		ws := t.TempDir()
		writeCompose(t, ws)
		code, out, got := lint(t, ws, map[string]string{"args": "--certctl-version 2.2.0  --no-waivers"})
		if code != 1 || got["exit-code"] != "1" || got["sarif-file"] != "certgate.sarif" {
			t.Fatalf("exit %d, outputs %v\n%s", code, got, out)
		}
		wantCode, findings := direct(t, ws, "--certctl-version", "2.2.0")
		if wantCode != 1 || findings == 0 {
			t.Fatalf("certgate lint: exit %d with %d findings", wantCode, findings)
		}
		checkSARIF(t, filepath.Join(ws, "certgate.sarif"), findings)
		if n := strings.Count(out, "::error file=docker-compose.yml,line="); n != findings {
			t.Errorf("%d annotations for %d findings:\n%s", n, findings, out)
		}
		if !strings.Contains(out, "::error title=certgate::findings at or above error") {
			t.Errorf("no summary annotation:\n%s", out)
		}
		// fail-on reaches certgate: a level it does not know is exit 2.
		code, out, got = lint(t, ws, map[string]string{"fail-on": "fatal"})
		if code != 2 || got["exit-code"] != "2" || !strings.Contains(out, "::error title=certgate::certgate: ") {
			t.Fatalf("fail-on fatal: exit %d, outputs %v\n%s", code, got, out)
		}
	})

	t.Run("paths", func(t *testing.T) {
		ws := t.TempDir()
		writeCompose(t, filepath.Join(ws, "a"))
		writeCompose(t, filepath.Join(ws, "b"))
		writeCompose(t, filepath.Join(ws, "c"))
		code, out, _ := lint(t, ws, map[string]string{"paths": "a\nb", "sarif-file": "out/r.sarif"})
		_, findings := direct(t, ws, "a", "b")
		if code != 1 || strings.Contains(out, "file=c/") || !strings.Contains(out, "file=a/docker-compose.yml") || !strings.Contains(out, "file=b/docker-compose.yml") {
			t.Fatalf("exit %d\n%s", code, out)
		}
		checkSARIF(t, filepath.Join(ws, "out", "r.sarif"), findings)
	})

	t.Run("error", func(t *testing.T) {
		ws := t.TempDir()
		// A report of an earlier run is not left behind as if it were this one's.
		if err := os.WriteFile(filepath.Join(ws, "certgate.sarif"), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, got := lint(t, ws, map[string]string{"paths": "no-such-dir *"})
		if code != 2 || got["exit-code"] != "2" {
			t.Fatalf("exit %d, outputs %v\n%s", code, got, out)
		}
		if _, ok := got["sarif-file"]; ok {
			t.Errorf("sarif-file is set after an error: %v", got)
		}
		if _, err := os.Stat(filepath.Join(ws, "certgate.sarif")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a stale SARIF report is left: %v", err)
		}
		if !strings.Contains(out, "::error title=certgate::certgate: ") || !strings.Contains(out, "no-such-dir") {
			t.Errorf("no error annotation naming the path:\n%s", out)
		}
	})
}

// writeCompose writes a compose file whose server certctl refuses to start.
func writeCompose(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const compose = "services:\n  certctl:\n    image: ghcr.io/certctl/certctl-server:2.2.0\n    environment:\n      CERTCTL_AUTH_TYPE: none\n"
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadmeGitHubAction: the README's GitHub Action section shows the
// example workflow as committed.
func TestReadmeGitHubAction(t *testing.T) {
	if testutil.ReadmeBlock(t, "## GitHub Action", "yaml") != readRepoFile(t, exampleWorkflow) {
		t.Fatalf("the README's workflow differs from %s", exampleWorkflow)
	}
}
