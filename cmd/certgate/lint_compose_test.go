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
)

// repoPath is a path from the repository root.
func repoPath(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("..", "..", p))
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// bootingCompose is the rest of a compose server's environment block that
// certctl starts with: bootingEnviron without the variables a test sets itself,
// as "      NAME: "value"" lines, then the volume holding the TLS pair. Tests
// append it after the lines they are about, so the positions they assert do
// not move.
func bootingCompose(without ...string) string {
	var b strings.Builder
	for _, kv := range bootingEnviron(without...) {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "      %s: %q\n", k, v)
	}
	// The TLS pair's directory, mounted (CFG-MOUNT).
	fmt.Fprintf(&b, "    volumes: [\"%s:%s:ro\"]\n", testutil.HostTLSDir, testutil.HostTLSDir)
	return b.String()
}

// lineOf is the 1-based line of the first line of file that contains text.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line containing %q", file, text)
	return 0
}

type jsonReport struct {
	Findings []struct {
		Rule, Severity, File, Subject, Message string
		Line, Column                           int
	}
}

func decodeReport(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	return r
}

func TestLintComposeShippedIsClean(t *testing.T) {
	for _, v := range []string{"2.1.0", "2.2.0"} {
		r := runCLI(t, nil, "", "lint", repoPath(t, "compose"), "--format", "json", "--certctl-version", v, "--fail-on", "info")
		if r.code != 0 {
			t.Fatalf("certctl %s: code=%d out=%s err=%s", v, r.code, r.out, r.err)
		}
		if rep := decodeReport(t, r.out); len(rep.Findings) != 0 {
			t.Fatalf("certctl %s: %+v", v, rep.Findings)
		}
		// A clean report still shows that both file sets were judged.
		var checked struct {
			Checked struct{ Environments []string } `json:"checked"`
		}
		if err := json.Unmarshal([]byte(r.out), &checked); err != nil {
			t.Fatal(err)
		}
		servers := 0
		for _, e := range checked.Checked.Environments {
			if strings.HasSuffix(e, "docker-compose.yml service server (server)") || strings.HasSuffix(e, "docker-compose.yml+docker-compose.demo.yml service server (server)") {
				servers++
			}
		}
		if servers != 2 {
			t.Fatalf("certctl %s: want the server of both file sets checked, got %q", v, checked.Checked.Environments)
		}
	}
}

// TestLintComposeEvaluatesEveryFileSet: a server setting in the base shows up
// once per file set (base alone, base + demo), each named in the subject.
func TestLintComposeEvaluatesEveryFileSet(t *testing.T) {
	dir := t.TempDir()
	const cap = `CERTCTL_MAX_BODY_SIZE: "1048576"`
	for _, name := range []string{"docker-compose.yml", "docker-compose.demo.yml"} {
		b, err := os.ReadFile(repoPath(t, filepath.Join("compose", name)))
		if err != nil {
			t.Fatal(err)
		}
		if name == "docker-compose.yml" {
			if !strings.Contains(string(b), cap) {
				t.Fatalf("compose/docker-compose.yml no longer sets %s", cap)
			}
			b = []byte(strings.Replace(string(b), cap, `CERTCTL_MAX_BODY_SIZE: "10MB"`, 1))
		}
		writeFile(t, dir, name, string(b))
	}
	line := lineOf(t, filepath.Join(dir, "docker-compose.yml"), `CERTCTL_MAX_BODY_SIZE: "10MB"`)
	r := runCLI(t, nil, "", "lint", dir, "--format", "json")
	if r.code != 1 {
		t.Fatalf("code=%d out=%s err=%s", r.code, r.out, r.err)
	}
	var subjects []string
	for _, f := range decodeReport(t, r.out).Findings {
		if f.Rule != "SEC-L3" || f.File != filepath.Join(dir, "docker-compose.yml") || f.Line != line || f.Column != 30 {
			t.Errorf("unexpected finding %+v", f)
		}
		subjects = append(subjects, strings.TrimPrefix(f.Subject, filepath.ToSlash(dir)+"/"))
	}
	slices.Sort(subjects)
	want := []string{"docker-compose.yml service server", "docker-compose.yml+docker-compose.demo.yml service server"}
	if !slices.Equal(subjects, want) {
		t.Fatalf("subjects %q, want %q", subjects, want)
	}
}

// TestLintComposeFindings: what certgate lint adds to the findings of the
// directories of testdata/compose, whose cases testdata/fixtures/compose
// states finding by finding: the exit code, a finding's text line
// (path:line:column: severity RULE: message) and the summary, the release
// --certctl-version names over the image tag, and output that never echoes a
// placeholder credential.
func TestLintComposeFindings(t *testing.T) {
	fx := func(p string) string { return repoPath(t, filepath.Join("testdata", "compose", p)) }
	cases := []struct {
		name string
		args []string
		code int
		want string // a line of the text output
	}{
		{"error", []string{fx("base")}, 1, fx("base/docker-compose.yml") + ":6:26: error DEPL-M2: services.server.environment.POSTGRES_PASSWORD holds a change-me- placeholder credential outside the demo overlay"},
		{"error summary", []string{fx("base")}, 1, "\n1 error, 0 warnings, 0 infos"},
		{"clean", []string{fx("demo")}, 0, "0 errors, 0 warnings, 0 infos"},
		// The image tag (2.1.0) is the release without the flag: SEC-M4
		// refuses the start from 2.1.1 only, and is an info before.
		{"image tag release", []string{fx("acme-insecure")}, 0, "0 errors, 0 warnings, 1 info"},
		{"--certctl-version", []string{fx("acme-insecure"), "--certctl-version", "2.1.7"}, 1, fx("acme-insecure/docker-compose.yml") + ":6:30: error SEC-M4:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"lint"}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.out, c.want) {
				t.Fatalf("code=%d (want %d)\nout=%s\nerr=%s\nwant line %q", r.code, c.code, r.out, r.err, c.want)
			}
		})
	}
	// The placeholders of the failing cases, in every place they are written
	// (a base file, an overlay's list form, an env_file), never reach the
	// output in either format.
	for _, dir := range []string{"base", "prod", "env-file"} {
		for _, format := range []string{"text", "json"} {
			r := runCLI(t, nil, "", "lint", fx(dir), "--format", format)
			if r.code != 1 {
				t.Errorf("%s, %s: code=%d err=%s", dir, format, r.code, r.err)
			}
			if strings.Contains(r.out, "change-me-p") || strings.Contains(r.out, "change-me-a") {
				t.Errorf("%s, %s: output echoes a placeholder value: %s", dir, format, r.out)
			}
		}
	}
}

func TestLintComposeEnvFileFlag(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.0\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${TOKEN:?}\n      CERTCTL_MAX_BODY_SIZE: ${BODY}\n"+bootingCompose("CERTCTL_AGENT_BOOTSTRAP_TOKEN"))
	vals := writeFile(t, dir, "vals.env", "BODY=10MB\n")
	// The machine's environment is never read: BODY here changes nothing.
	if r := runCLI(t, []string{"BODY=10MB"}, "", "lint", dir); r.code != 0 {
		t.Fatalf("without --env-file: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
	r := runCLI(t, nil, "", "lint", dir, "--env-file", vals)
	if r.code != 1 || !strings.Contains(r.out, filepath.Join(dir, "docker-compose.yml")+":6:30: error SEC-L3:") {
		t.Fatalf("with --env-file: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
	r = runCLI(t, nil, "", "lint", dir, "--env-file", filepath.Join(dir, "missing.env"))
	if r.code != 2 || !strings.Contains(r.err, "missing.env") {
		t.Fatalf("missing --env-file: code=%d err=%s", r.code, r.err)
	}
}

// A placeholder that reaches the base file through interpolation ships just as
// a literal would: the --env-file and the .env beside the base are judged too.
func TestLintComposeInterpolationFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.0\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${TOKEN:?}\n"+bootingCompose("CERTCTL_AGENT_BOOTSTRAP_TOKEN"))
	dotenv := writeFile(t, dir, ".env", "# values for docker compose\nTOKEN=change-me-token\n")
	r := runCLI(t, nil, "", "lint", dir)
	if r.code != 1 || !strings.Contains(r.out, dotenv+":2:1: error DEPL-M2: TOKEN holds a change-me- placeholder credential in a file that supplies interpolation values") {
		t.Fatalf(".env: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
	if strings.Contains(r.out, "change-me-token") {
		t.Fatal("the placeholder value was printed")
	}
	writeFile(t, dir, ".env", "TOKEN=4f9c2e\n")
	vals := writeFile(t, dir, "vals.env", "TOKEN=replace-with-a-token\n")
	if r := runCLI(t, nil, "", "lint", dir); r.code != 0 {
		t.Fatalf("clean .env: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
	// A replace-with- value in a values file is a warning where it is written;
	// the server environment it lands in holds a placeholder credential, an
	// error outside the demo (DEPL-M2 judges environments too).
	r = runCLI(t, nil, "", "lint", dir, "--env-file", vals, "--format", "json")
	rep := decodeReport(t, r.out)
	compose := filepath.Join(dir, "docker-compose.yml")
	if r.code != 1 || len(rep.Findings) != 2 {
		t.Fatalf("--env-file: code=%d findings=%+v err=%s", r.code, rep.Findings, r.err)
	}
	for _, f := range rep.Findings {
		inFile := f.Severity == "warning" && f.File == vals && f.Line == 1
		inEnv := f.Severity == "error" && f.File == compose && f.Line == 5 && strings.HasPrefix(f.Message, "CERTCTL_AGENT_BOOTSTRAP_TOKEN holds a well-known placeholder")
		if f.Rule != "DEPL-M2" || !inFile && !inEnv {
			t.Errorf("--env-file: unexpected finding %+v", f)
		}
	}
	if rep.Findings[0].Severity == rep.Findings[1].Severity {
		t.Errorf("--env-file: want the values file's warning and the environment's error: %+v", rep.Findings)
	}
	if strings.Contains(r.out, "replace-with-a-token") {
		t.Fatal("the placeholder value was printed")
	}
}

func TestLintComposeFlag(t *testing.T) {
	dir := t.TempDir()
	stack := writeFile(t, dir, "stack.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.0\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: change-me-token\n")
	if r := runCLI(t, nil, "", "lint", stack); r.code != 2 || !strings.Contains(r.err, "--compose") {
		t.Fatalf("unnamed file: code=%d err=%s", r.code, r.err)
	}
	r := runCLI(t, nil, "", "lint", "--compose", stack)
	if r.code != 1 || !strings.Contains(r.out, stack+":5:38: error DEPL-M2: services.server.environment.CERTCTL_AGENT_BOOTSTRAP_TOKEN") {
		t.Fatalf("--compose: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
}

// TestLintComposeConfig: certgate.yaml at the working directory names demo
// overlays (demo_globs) and service roles (roles).
func TestLintComposeConfig(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", "services:\n  gw:\n    image: nginx:1.27\n    environment:\n      CERTCTL_ACME_INSECURE: \"true\"\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${T:?}\n")
	writeFile(t, dir, "docker-compose.try.yml", "services:\n  gw:\n    environment:\n      POSTGRES_PASSWORD: change-me-pw\n")
	t.Chdir(dir)
	r := runCLI(t, nil, "", "lint", ".")
	if r.code != 1 || !strings.Contains(r.out, "docker-compose.try.yml:4:26: error DEPL-M2") || !strings.Contains(r.out, "docker-compose.yml:5:30: error SEC-M4") {
		t.Fatalf("without certgate.yaml: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
	writeFile(t, dir, "certgate.yaml", "demo_globs: [\"*.try.yml\"]\nroles:\n  gw: other\n")
	if r := runCLI(t, nil, "", "lint", "."); r.code != 0 {
		t.Fatalf("with certgate.yaml: code=%d out=%s err=%s", r.code, r.out, r.err)
	}
}

func TestLintComposeBadInput(t *testing.T) {
	good := "services:\n  server:\n    image: x:1\n"
	cases := map[string]struct {
		files map[string]string
		want  string
	}{
		"malformed":        {map[string]string{"docker-compose.yml": "services:\n  server:\n    image: [x\n"}, "docker-compose.yml:3:"},
		"tab-indented":     {map[string]string{"docker-compose.yml": "services:\n\tserver:\n    image: x:1\n"}, "docker-compose.yml:2: indented with a tab"},
		"empty":            {map[string]string{"docker-compose.yml": ""}, "docker-compose.yml: empty"},
		"missing env_file": {map[string]string{"docker-compose.yml": good + "    env_file: nope.env\n"}, "docker-compose.yml:4:15: service server: env_file: read env file"},
		"not UTF-8":        {map[string]string{"docker-compose.yml": "services:\n  s:\n    image: \xc3\x28\n"}, "docker-compose.yml: not valid UTF-8"},
		"schema error":     {map[string]string{"docker-compose.yml": good + "    restart: [1]\n"}, "docker-compose.yml:4:14"},
		"broken overlay":   {map[string]string{"docker-compose.yml": good, "docker-compose.x.yml": "services:\n  server:\n    ports: {a: b}\n"}, "docker-compose.x.yml:3:12"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for n, body := range c.files {
				writeFile(t, dir, n, body)
			}
			r := runCLI(t, nil, "", "lint", dir)
			if r.code != 2 || !strings.Contains(r.err, c.want) {
				t.Fatalf("code=%d err=%q, want exit 2 and %q", r.code, r.err, c.want)
			}
			if strings.Contains(r.err, "goroutine") || r.out != "" {
				t.Fatalf("out=%q err=%q", r.out, r.err)
			}
		})
	}
}

// TestPreCommitHook runs the real pre-commit against this repository's hook
// (try-repo uses the working tree, uncommitted changes included) in a
// throwaway git repository: it fails on a placeholder credential in a base
// compose file, printing the DEPL-M2 line, and passes once it is fixed.
func TestPreCommitHook(t *testing.T) {
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed; CI must run this test", tool)
			}
			t.Skipf("%s is not installed (apt-get install pre-commit git): skipping the pre-commit hook test", tool)
		}
	}
	repo := repoPath(t, ".")
	work := t.TempDir()
	// pre-commit's golang language runs `go install ./...` with GOPATH set to
	// its own directory; keep the module and build caches of this machine so the
	// build needs no network beyond the configured module proxy.
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(work, "pre-commit-home"),
		"GOFLAGS=-mod=mod",
		"GOTOOLCHAIN=local",
		"PRE_COMMIT_COLOR=never",
		"GIT_CONFIG_NOSYSTEM=1",
	)
	for _, v := range []string{"GOMODCACHE", "GOCACHE", "GOPROXY", "GONOSUMDB", "GOPRIVATE", "GOSUMDB"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", v, err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	dir := filepath.Join(work, "deploy")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(name string, args ...string) {
		t.Helper()
		if out, err := run(name, args...); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	must("git", "init", "-q")
	must("git", "config", "user.email", "test@example.com")
	must("git", "config", "user.name", "test")
	must("git", "config", "commit.gpgsign", "false")
	base := "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.0\n    environment:\n" +
		"      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${CERTCTL_AGENT_BOOTSTRAP_TOKEN:?set it}\n"
	rest := bootingCompose("CERTCTL_AGENT_BOOTSTRAP_TOKEN")
	writeFile(t, dir, "docker-compose.yml", base+"      POSTGRES_PASSWORD: change-me-postgres-password\n"+rest)
	must("git", "add", "docker-compose.yml")

	out, err := run("pre-commit", "try-repo", repo, "certgate", "--all-files")
	if err == nil {
		t.Fatalf("the hook passed on a placeholder credential:\n%s", out)
	}
	want := "docker-compose.yml:6:26: error DEPL-M2: services.server.environment.POSTGRES_PASSWORD holds a change-me- placeholder credential outside the demo overlay"
	if !strings.Contains(out, want) {
		t.Fatalf("hook output does not hold %q:\n%s", want, out)
	}

	writeFile(t, dir, "docker-compose.yml", base+"      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n"+rest)
	must("git", "add", "docker-compose.yml")
	if out, err := run("pre-commit", "try-repo", repo, "certgate", "--all-files"); err != nil {
		t.Fatalf("the hook failed on a clean compose file: %v\n%s", err, out)
	}
}

// TestLintComposePlaceholderReportedOnce: a well-known placeholder written in a
// secret-bearing variable of a base compose file is one finding, the
// environment rule's error, not also the file rule's warning at the same place.
func TestLintComposePlaceholderReportedOnce(t *testing.T) {
	dir := t.TempDir()
	compose := writeFile(t, dir, "docker-compose.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.7\n    environment:\n"+
		"      CERTCTL_AGENT_BOOTSTRAP_TOKEN: replace-with-a-token\n"+bootingCompose("CERTCTL_AGENT_BOOTSTRAP_TOKEN"))
	r := runCLI(t, nil, "", "lint", dir, "--format", "json")
	rep := decodeReport(t, r.out)
	if r.code != 1 || len(rep.Findings) != 1 {
		t.Fatalf("code=%d findings=%+v err=%s", r.code, rep.Findings, r.err)
	}
	f := rep.Findings[0]
	if f.Rule != "DEPL-M2" || f.Severity != "error" || f.File != compose || f.Line != 5 {
		t.Errorf("want one DEPL-M2 error at line 5: %+v", f)
	}
}
