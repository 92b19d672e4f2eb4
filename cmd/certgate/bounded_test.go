package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
)

// hangDeadline is how long a run may take before the test calls it a hang: far
// longer than any of these runs needs, so it catches a blocked read, never a
// slow machine.
const hangDeadline = 60 * time.Second

// runBinary runs the built certgate in dir with a deadline and returns its
// exit code, stdout and stderr; a run killed at the deadline fails the test.
func runBinary(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, testutil.CertgateBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("certgate %s did not finish within %s: it blocked on a read\nstderr: %s", strings.Join(args, " "), hangDeadline, errb.String())
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run certgate: %v", err)
	}
	return result{code, out.String(), errb.String()}
}

func makeFIFO(t *testing.T, p string) string {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatalf("mkfifo %s: %v", p, err)
	}
	return p
}

// feed writes content into the FIFO p once a reader opens it. The returned
// function waits for the writer, and releases it if nobody ever read.
func feed(t *testing.T, p, content string) func() {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		_, err = f.WriteString(content)
		done <- errors.Join(err, f.Close())
	}()
	return func() {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("write %s: %v", p, err)
			}
		case <-time.After(hangDeadline):
			t.Errorf("nobody read the FIFO %s", p)
			if r, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
				r.Close()
			}
		}
	}
}

const composeFile = `services:
  server:
    image: ghcr.io/certctl/certctl-server:2.2.0
    environment:
      CERTCTL_DATABASE_URL: ${DATABASE_URL}
`

const envFile = "CERTCTL_AUTH_TYPE=none\nCERTCTL_DATABASE_URL=postgres://certctl@db/certctl?sslmode=disable\n"

const manifestFile = `apiVersion: v1
kind: ConfigMap
metadata:
  name: certctl-settings
data:
  CERTCTL_AUTH_TYPE: none
`

type boundedReport struct {
	Findings []struct {
		Rule string `json:"rule"`
	} `json:"findings"`
	Checked struct {
		Files   []string `json:"files"`
		Skipped []struct {
			Path   string `json:"path"`
			Reason string `json:"reason"`
		} `json:"skipped"`
	} `json:"checked"`
}

func decodeBounded(t *testing.T, r result) boundedReport {
	t.Helper()
	var rep boundedReport
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("exit %d, report is not JSON: %v\nstdout: %s\nstderr: %s", r.code, err, r.out, r.err)
	}
	return rep
}

// TestWalkSkipsSpecialFiles: a FIFO named like a compose file or a manifest,
// met by walking, is listed as skipped with the reason and never opened
// (nobody writes to it: opening it would block the run).
func TestWalkSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"app", "pipes"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, "app"), "docker-compose.yml", composeFile)
	makeFIFO(t, filepath.Join(dir, "pipes", "docker-compose.yml"))
	makeFIFO(t, filepath.Join(dir, "pipes", "stream.yaml"))
	r := runBinary(t, dir, "", "lint", ".", "--format", "json")
	if r.code == 2 {
		t.Fatalf("exit 2: %s", r.err)
	}
	rep := decodeBounded(t, r)
	reasons := map[string]string{}
	for _, s := range rep.Checked.Skipped {
		reasons[s.Path] = s.Reason
	}
	for _, p := range []string{"pipes/docker-compose.yml", "pipes/stream.yaml"} {
		if !strings.Contains(reasons[p], "named pipe") {
			t.Errorf("skipped[%s] = %q, want the reason naming a named pipe (skipped: %v)", p, reasons[p], rep.Checked.Skipped)
		}
	}
	if len(rep.Checked.Files) == 0 || !strings.Contains(strings.Join(rep.Checked.Files, " "), "app/docker-compose.yml") {
		t.Errorf("checked files = %v, want app/docker-compose.yml", rep.Checked.Files)
	}
}

// TestFIFODotenvBesideComposeIsAnError: the .env beside a base compose file
// is read for interpolation; a FIFO there is an error (exit 2) naming it, as
// any unreadable .env is, and is never opened.
func TestFIFODotenvBesideComposeIsAnError(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", composeFile)
	makeFIFO(t, filepath.Join(dir, ".env"))
	r := runBinary(t, dir, "", "lint", ".")
	if r.code != 2 || !strings.Contains(r.err, ".env") || !strings.Contains(r.err, "named pipe") {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming .env as a named pipe", r.code, r.err)
	}
	if strings.Contains(r.err, "goroutine") {
		t.Errorf("stderr holds a stack trace: %s", r.err)
	}
}

// TestEnvFileDevZero: an endless device named with --env-file stops at the
// input size limit (exit 2 naming it) instead of reading forever.
func TestEnvFileDevZero(t *testing.T) {
	r := runBinary(t, t.TempDir(), "", "env", "--env-file", "/dev/zero")
	if r.code != 2 || !strings.Contains(r.err, "/dev/zero") || !strings.Contains(r.err, "larger than the input size limit of 256MiB") {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming /dev/zero and the 256MiB limit", r.code, r.err)
	}
}

// TestOversizeInputs: a file or stream larger than --max-input-size is exit
// 2 naming it, whatever reads it.
func TestOversizeInputs(t *testing.T) {
	dir := t.TempDir()
	pad := "# " + strings.Repeat("x", 2048) + "\n"
	writeFile(t, dir, "big.env", envFile+pad)
	writeFile(t, dir, "big.yaml", manifestFile+pad)
	if err := os.Mkdir(filepath.Join(dir, "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "c"), "docker-compose.yml", composeFile+pad)
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"big.env", "", []string{"env", "--env-file", "big.env"}},
		{"big.yaml", "", []string{"lint", "big.yaml"}},
		{"<stdin>", manifestFile + pad, []string{"lint", "-"}},
		{"c/docker-compose.yml", "", []string{"lint", "c"}},
		{"big.env", "", []string{"lint", "c", "--env-file", "big.env"}},
	} {
		args := append(tc.args, "--max-input-size", "1KiB")
		r := runBinary(t, dir, tc.stdin, args...)
		if r.code != 2 || !strings.Contains(r.err, tc.name) || !strings.Contains(r.err, "larger than the input size limit of 1KiB (--max-input-size)") {
			t.Errorf("certgate %s: exit %d, stderr %q; want exit 2 naming %s and the limit", strings.Join(args, " "), r.code, r.err, tc.name)
		}
		// Under the default limit the same inputs are read.
		if r := runBinary(t, dir, tc.stdin, tc.args...); r.code == 2 {
			t.Errorf("certgate %s under the default limit: exit 2: %s", strings.Join(tc.args, " "), r.err)
		}
	}
	if r := runBinary(t, dir, "", "env", "--max-input-size", "lots"); r.code != 2 || !strings.Contains(r.err, "--max-input-size") {
		t.Errorf("--max-input-size lots: exit %d, stderr %q; want a usage error", r.code, r.err)
	}
}

// TestNamedFIFOs: a FIFO named on the command line (as <(sops -d .env) is)
// is read, once, with the same result as the same bytes in a regular file.
func TestNamedFIFOs(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "plain.env", envFile)
	writeFile(t, dir, "plain.yaml", manifestFile)
	for _, tc := range []struct {
		fifo, content string
		args          func(string) []string
	}{
		{"secrets.env", envFile, func(p string) []string { return []string{"env", "--env-file", p, "--format", "json", "--no-host"} }},
		{"stream.yaml", manifestFile, func(p string) []string { return []string{"lint", p, "--format", "json"} }},
	} {
		plain := "plain" + filepath.Ext(tc.fifo)
		want := runBinary(t, dir, "", tc.args(plain)...)
		p := makeFIFO(t, filepath.Join(dir, tc.fifo))
		wait := feed(t, p, tc.content)
		got := runBinary(t, dir, "", tc.args(tc.fifo)...)
		wait()
		if got.code == 2 || got.code != want.code {
			t.Errorf("%s: exit %d (stderr %q), want %d as for a regular file", tc.fifo, got.code, got.err, want.code)
			continue
		}
		if g, w := decodeBounded(t, got), decodeBounded(t, want); len(g.Findings) != len(w.Findings) || len(w.Findings) == 0 {
			t.Errorf("%s: %d findings, want %d (and some) as for a regular file", tc.fifo, len(g.Findings), len(w.Findings))
		}
	}
}
