package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
)

// result is what one in-process run of the CLI produced.
type result struct {
	code     int
	out, err string
}

// runCLI runs certgate in-process with the given environment.
func runCLI(t *testing.T, environ []string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, streams{in: strings.NewReader(stdin), out: &out, err: &errb}, func() []string { return environ })
	return result{code, out.String(), errb.String()}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const now = "2027-01-15T10:00:00Z" // unix 1800000000 is 2027-01-15T08:00:00Z

// bootingEnviron is testutil.BootingEnv (an environment every certctl release
// starts with) in os.Environ form, sorted, changed by changes: "NAME=value" sets
// NAME, a bare "NAME" removes it. A test starts from it so that the findings it
// sees are those of what it changes.
func bootingEnviron(changes ...string) []string {
	env := maps.Clone(testutil.BootingEnv)
	for _, c := range changes {
		if k, v, ok := strings.Cut(c, "="); ok {
			env[k] = v
		} else {
			delete(env, c)
		}
	}
	out := make([]string, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// bootingDotenv is bootingEnviron as the lines of a .env file.
func bootingDotenv(changes ...string) string {
	return strings.Join(bootingEnviron(changes...), "\n") + "\n"
}

func TestEnvExitCodes(t *testing.T) {
	dir := t.TempDir()
	// The lines under test come first (their line numbers are asserted), the rest
	// of an environment certctl starts with after them.
	clean := writeFile(t, dir, "clean.env", "CERTCTL_AGENT_BOOTSTRAP_TOKEN=s3cr3t-token\nCERTCTL_MAX_BODY_SIZE=1048576\n"+bootingDotenv("CERTCTL_AGENT_BOOTSTRAP_TOKEN"))
	bad := writeFile(t, dir, "bad.env", "# certctl server\nCERTCTL_AGENT_BOOTSTRAP_TOKEN=s3cr3t-token\n\nexport CERTCTL_ACME_INSECURE=true\n"+bootingDotenv("CERTCTL_AGENT_BOOTSTRAP_TOKEN"))
	warn := writeFile(t, dir, "warn.env", "CERTCTL_MAX_BODY_SIZE=0\n"+bootingDotenv())

	t.Run("clean file exits 0", func(t *testing.T) {
		r := runCLI(t, nil, "", "env", "--env-file", clean, "--now", now)
		if r.code != 0 || !strings.Contains(r.out, "0 errors, 0 warnings, 0 infos") {
			t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
		}
	})
	t.Run("violation exits 1 with file and line", func(t *testing.T) {
		r := runCLI(t, nil, "", "env", "--env-file", bad)
		if r.code != 1 {
			t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
		}
		want := bad + ":4:8: error SEC-M4: CERTCTL_ACME_INSECURE is true but CERTCTL_ACME_INSECURE_ACK is not"
		if !strings.Contains(r.out, want) {
			t.Fatalf("out=%q, want %q", r.out, want)
		}
		if strings.Contains(r.out, "s3cr3t-token") {
			t.Fatal("a secret value was printed")
		}
	})
	t.Run("warning passes unless --fail-on warning", func(t *testing.T) {
		if r := runCLI(t, nil, "", "env", "--env-file", warn); r.code != 0 {
			t.Fatalf("code=%d out=%q", r.code, r.out)
		}
		if r := runCLI(t, nil, "", "env", "--env-file", warn, "--fail-on", "warning"); r.code != 1 {
			t.Fatalf("code=%d out=%q", r.code, r.out)
		}
	})
	t.Run("later env files override earlier ones", func(t *testing.T) {
		fix := writeFile(t, dir, "fix.env", "CERTCTL_ACME_INSECURE=false\n")
		if r := runCLI(t, nil, "", "env", "--env-file", bad, "--env-file", fix); r.code != 0 {
			t.Fatalf("code=%d out=%q", r.code, r.out)
		}
	})
	t.Run("unreadable env file exits 2 naming it", func(t *testing.T) {
		missing := filepath.Join(dir, "missing.env")
		r := runCLI(t, nil, "", "env", "--env-file", missing)
		if r.code != 2 || !strings.Contains(r.err, missing) || !strings.Contains(r.err, "no such file") {
			t.Fatalf("code=%d err=%q", r.code, r.err)
		}
	})
	t.Run("unparsable env file exits 2 naming it and the line", func(t *testing.T) {
		broken := writeFile(t, dir, "broken.env", "CERTCTL_A=1\nNOT A VALID LINE=2\n")
		r := runCLI(t, nil, "", "env", "--env-file", broken)
		if r.code != 2 || !strings.Contains(r.err, broken) || !strings.Contains(r.err, "line 2") {
			t.Fatalf("code=%d err=%q", r.code, r.err)
		}
	})
	t.Run("non UTF-8 env file exits 2", func(t *testing.T) {
		latin := writeFile(t, dir, "latin1.env", "CERTCTL_AUTH_SECRET=caf\xe9\n")
		r := runCLI(t, nil, "", "env", "--env-file", latin)
		if r.code != 2 || !strings.Contains(r.err, "not valid UTF-8") {
			t.Fatalf("code=%d err=%q", r.code, r.err)
		}
	})
	t.Run("bad flags exit 2", func(t *testing.T) {
		for _, args := range [][]string{
			{"env", "--now", "yesterday"},
			{"env", "--certctl-version", "latest"},
			{"env", "--fail-on", "fatal"},
			{"env", "--format", "yaml"},
			{"env", "--no-such-flag"},
			{"env", "--policy", filepath.Join(dir, "nope")},
			{"no-such-command"},
		} {
			if r := runCLI(t, nil, "", args...); r.code != 2 || r.err == "" {
				t.Errorf("%v: code=%d err=%q", args, r.code, r.err)
			}
		}
	})
}

func TestEnvProcessEnvironment(t *testing.T) {
	environ := bootingEnviron("PATH=/bin", "CERTCTL_AGENT_BOOTSTRAP_TOKEN", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true")
	r := runCLI(t, environ, "", "env", "--format", "json")
	if r.code != 1 {
		t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	var doc struct {
		Findings []struct {
			Rule, Severity, Message, Subject string
		} `json:"findings"`
		Summary struct{ Errors, Warnings, Infos int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if doc.Summary.Errors != 1 || len(doc.Findings) != 1 || doc.Findings[0].Rule != "SEC-H1" || doc.Findings[0].Subject != "process environment" {
		t.Fatalf("unexpected report: %+v", doc)
	}
}

// TestEnvCertctlVersion: the release decides what a missing bootstrap token
// means: nothing to refuse in 2.1.0, a warning while the deny-empty flag
// defaults to false (2.1.1-2.1.7), a refusal from 2.2.0, the default.
func TestEnvCertctlVersion(t *testing.T) {
	environ := bootingEnviron("CERTCTL_AGENT_BOOTSTRAP_TOKEN", "CERTCTL_MAX_BODY_SIZE=1048576")
	if r := runCLI(t, environ, "", "env", "--certctl-version", "2.1.0"); r.code != 0 || !strings.Contains(r.out, "info SEC-H1") || !strings.Contains(r.out, "0 errors, 0 warnings, 1 info") {
		t.Fatalf("2.1.0: code=%d out=%q", r.code, r.out)
	}
	if r := runCLI(t, environ, "", "env", "--certctl-version", "2.1.7"); r.code != 0 || !strings.Contains(r.out, "warning SEC-H1") || !strings.Contains(r.out, "0 errors, 1 warning, 0 infos") {
		t.Fatalf("2.1.7: code=%d out=%q", r.code, r.out)
	}
	if r := runCLI(t, environ, "", "env", "--certctl-version", "v2.2.0"); r.code != 1 || !strings.Contains(r.out, "error SEC-H1") || !strings.Contains(r.out, "1 error, 0 warnings, 0 infos") {
		t.Fatalf("2.2.0: code=%d out=%q", r.code, r.out)
	}
	if r := runCLI(t, environ, "", "env"); r.code != 1 || !strings.Contains(r.out, "error SEC-H1") || !strings.Contains(r.out, "certctl 2.2.0 (default") {
		t.Fatalf("default release: code=%d out=%q", r.code, r.out)
	}
}

func TestEnvNowAndSourceDateEpoch(t *testing.T) {
	environ := bootingEnviron("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=1800000000")
	if r := runCLI(t, environ, "", "env", "--now", now); r.code != 0 {
		t.Fatalf("2h after the ack: code=%d out=%q", r.code, r.out)
	}
	if r := runCLI(t, environ, "", "env", "--now", "2027-01-16T09:00:00Z"); r.code != 1 || !strings.Contains(r.out, "SEC-H3") {
		t.Fatalf("25h after the ack: code=%d out=%q", r.code, r.out)
	}
	// The gate's clock is the system clock or --now: SOURCE_DATE_EPOCH 1h after
	// the ack does not move it there (clock_test.go).
	if r := runCLI(t, append(environ, "SOURCE_DATE_EPOCH=1800003600"), "", "env"); r.code != 1 || !strings.Contains(r.out, "SEC-H3") {
		t.Fatalf("SOURCE_DATE_EPOCH 1h after: code=%d out=%q", r.code, r.out)
	}
}

func TestUserPolicies(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "auth.rego", `# METADATA
# title: Auth type must be set
# description: The server needs an explicit auth type.
# custom:
#   id: CFG-AUTH-TYPE
#   severity: error
#   remediation: Set CERTCTL_AUTH_TYPE.
package certgate.user.auth_type

import data.certgate.lib

deny contains f if {
	some env in lib.server_envs
	lib.is_unset(env, "CERTCTL_AUTH_TYPE")
	f := lib.finding(env, "CERTCTL_AUTH_TYPE", "CERTCTL_AUTH_TYPE is not set")
}
`)
	// certctl starts without CERTCTL_AUTH_TYPE (api-key is its default): the user
	// policy's finding is the only one.
	environ := bootingEnviron("CERTCTL_AUTH_TYPE")
	if r := runCLI(t, environ, "", "env", "--policy", dir); r.code != 1 || !strings.Contains(r.out, "error CFG-AUTH-TYPE: CERTCTL_AUTH_TYPE is not set") || !strings.Contains(r.out, "1 error, 0 warnings") {
		t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	if r := runCLI(t, nil, "", "policies", "list", "--policy", dir); r.code != 0 || !strings.Contains(r.out, "CFG-AUTH-TYPE") {
		t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
	}

	broken := t.TempDir()
	writeFile(t, broken, "broken.rego", "package certgate.broken\n\ndeny contains x if {\n")
	if r := runCLI(t, environ, "", "env", "--policy", broken); r.code != 2 || !strings.Contains(r.err, "broken.rego") {
		t.Fatalf("a policy that does not compile: code=%d err=%q", r.code, r.err)
	}
	nometa := t.TempDir()
	writeFile(t, nometa, "nometa.rego", "package certgate.nometa\n\ndeny contains \"x\" if true\n")
	if r := runCLI(t, environ, "", "env", "--policy", nometa); r.code != 2 || !strings.Contains(r.err, "no package METADATA") {
		t.Fatalf("a policy without METADATA: code=%d err=%q", r.code, r.err)
	}
}

func TestPoliciesListAndVersion(t *testing.T) {
	r := runCLI(t, nil, "", "policies", "list")
	for _, id := range []string{"SEC-H1", "SEC-M4", "SEC-H3", "SEC-L3", "CFG-BOOL"} {
		if !strings.Contains(r.out, id) {
			t.Errorf("policies list lacks %s:\n%s", id, r.out)
		}
	}
	if r := runCLI(t, nil, "", "version"); r.code != 0 || !strings.HasPrefix(r.out, "certgate ") {
		t.Fatalf("version: code=%d out=%q", r.code, r.out)
	}
}

func TestExecInProcess(t *testing.T) {
	var gotPath string
	var gotArgs, gotEnv []string
	restore := execve
	t.Cleanup(func() { execve = restore })
	execve = func(p string, argv, envv []string) error { gotPath, gotArgs, gotEnv = p, argv, envv; return nil }

	environ := bootingEnviron("PATH="+os.Getenv("PATH"), "FOO=bar")
	r := runCLI(t, environ, "", "exec", "--", "sh", "-c", "echo hi")
	if r.code != 0 || !strings.HasSuffix(gotPath, "/sh") || strings.Join(gotArgs, " ") != "sh -c echo hi" || strings.Join(gotEnv, " ") != strings.Join(environ, " ") {
		t.Fatalf("code=%d err=%q path=%q args=%q env=%q", r.code, r.err, gotPath, gotArgs, gotEnv)
	}

	gotPath = ""
	r = runCLI(t, append(environ, "CERTCTL_ACME_INSECURE=true"), "", "exec", "--", "sh", "-c", "echo hi")
	if r.code != 1 || gotPath != "" || !strings.Contains(r.err, "SEC-M4") || !strings.Contains(r.err, "refusing to start sh") {
		t.Fatalf("code=%d err=%q started=%q", r.code, r.err, gotPath)
	}
	if r := runCLI(t, environ, "", "exec", "--", "no-such-command-anywhere"); r.code != 2 {
		t.Fatalf("missing command: code=%d err=%q", r.code, r.err)
	}
	if r := runCLI(t, environ, "", "exec", "sh"); r.code != 2 || !strings.Contains(r.err, "after --") {
		t.Fatalf("command without --: code=%d err=%q", r.code, r.err)
	}
}

func TestExecReplacesProcess(t *testing.T) {
	bin := testutil.CertgateBinary(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "started")
	script := `printf '%s|%s|%s' "$1" "$2" "$CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY" > "$MARKER"`

	cmd := exec.Command(bin, "exec", "--", "sh", "-c", script, "sh", "first arg", "second")
	cmd.Env = bootingEnviron("PATH="+os.Getenv("PATH"), "MARKER="+marker, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("exec failed: %v\n%s", err, out)
	}
	got, err := os.ReadFile(marker)
	if err != nil || string(got) != "first arg|second|true" {
		t.Fatalf("CMD did not run with its arguments and environment: %q %v", got, err)
	}

	os.Remove(marker)
	cmd = exec.Command(bin, "exec", "--", "sh", "-c", script, "sh", "a", "b")
	cmd.Env = bootingEnviron("PATH="+os.Getenv("PATH"), "MARKER="+marker, "CERTCTL_AGENT_BOOTSTRAP_TOKEN", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("want exit 1, got %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Fatal("CMD started although the gate failed")
	}
	if !strings.Contains(string(out), "error SEC-H1") || strings.Contains(string(out), "goroutine") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}
