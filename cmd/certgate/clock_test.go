package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint/audit"
)

// A demo acknowledgement from November 2023, and a SOURCE_DATE_EPOCH 1000 s
// after it: at that instant the acknowledgement would be fresh.
const (
	staleAckTS = "1699999000"
	epochAfter = "1700000000"
	clockNote  = `SOURCE_DATE_EPOCH="1700000000" is ignored by the startup gate: it judged at the system clock`
)

func staleAckEnviron(extra ...string) []string {
	return bootingEnviron(append([]string{"CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + staleAckTS}, extra...)...)
}

// TestExecClockIgnoresSourceDateEpoch: the environment exec judges cannot set
// the gate's clock, so a three-year-old demo acknowledgement is refused.
func TestExecClockIgnoresSourceDateEpoch(t *testing.T) {
	var started string
	restore := execve
	t.Cleanup(func() { execve = restore })
	execve = func(p string, _, _ []string) error { started = p; return nil }

	environ := staleAckEnviron("PATH="+os.Getenv("PATH"), "SOURCE_DATE_EPOCH="+epochAfter)
	r := runCLI(t, environ, "", "exec", "--", "sh", "-c", "true")
	if r.code != 1 || started != "" || !strings.Contains(r.err, "error SEC-H3") || !strings.Contains(r.err, clockNote) {
		t.Fatalf("code=%d started=%q stderr:\n%s", r.code, started, r.err)
	}
	// The control: at that instant, given explicitly, the acknowledgement is
	// fresh (SEC-H3 says nothing), and no note is due.
	r = runCLI(t, environ, "", "exec", "--now", epochAfter, "--", "sh", "-c", "true")
	if strings.Contains(r.err, "SEC-H3") || strings.Contains(r.err, "SOURCE_DATE_EPOCH") {
		t.Fatalf("--now %s: code=%d stderr:\n%s", epochAfter, r.code, r.err)
	}
}

// TestExecBinaryClockIgnoresSourceDateEpoch runs the built binary: CMD never
// starts.
func TestExecBinaryClockIgnoresSourceDateEpoch(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "started")
	cmd := exec.Command(testutil.CertgateBinary(t), "exec", "--", "sh", "-c", `echo started > "$MARKER"`)
	cmd.Env = staleAckEnviron("PATH="+os.Getenv("PATH"), "MARKER="+marker, "SOURCE_DATE_EPOCH="+epochAfter)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("want exit 1, got %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Fatal("CMD started with a three-year-old demo acknowledgement")
	}
	if !strings.Contains(string(out), "error SEC-H3") || !strings.Contains(string(out), clockNote) {
		t.Fatalf("output:\n%s", out)
	}
}

// TestEnvClockIgnoresSourceDateEpoch: env judges at the system clock too, and
// says so in every output format.
func TestEnvClockIgnoresSourceDateEpoch(t *testing.T) {
	environ := staleAckEnviron("SOURCE_DATE_EPOCH=" + epochAfter)
	r := runCLI(t, environ, "", "env")
	if r.code != 1 || !strings.Contains(r.out, "error SEC-H3") || !strings.Contains(r.out, "note: "+clockNote) {
		t.Fatalf("text: code=%d out:\n%s", r.code, r.out)
	}
	r = runCLI(t, environ, "", "env", "--format", "json")
	var doc struct {
		Findings []struct{ Rule string }
		Notes    []string
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("%v: %s", err, r.out)
	}
	if len(doc.Notes) != 1 || !strings.HasPrefix(doc.Notes[0], clockNote) {
		t.Fatalf("json notes: %q", doc.Notes)
	}
	r = runCLI(t, environ, "", "env", "--format", "sarif")
	if !json.Valid([]byte(r.out)) || !strings.Contains(r.err, "certgate: note: "+clockNote) {
		t.Fatalf("sarif: stdout valid=%v stderr=%q", json.Valid([]byte(r.out)), r.err)
	}
	// --now is the one way to judge at another instant, and needs no note.
	r = runCLI(t, environ, "", "env", "--now", epochAfter)
	if strings.Contains(r.out, "SEC-H3") || strings.Contains(r.out, "note:") {
		t.Fatalf("--now: out:\n%s", r.out)
	}
	// A malformed SOURCE_DATE_EPOCH is no usage error for the gate: it is not read.
	if r := runCLI(t, staleAckEnviron("SOURCE_DATE_EPOCH=soon"), "", "env"); r.code == 2 {
		t.Fatalf("a malformed SOURCE_DATE_EPOCH broke env: %s", r.err)
	}
}

// TestReportsKeepSourceDateEpoch: lint and audit stay reproducible.
func TestReportsKeepSourceDateEpoch(t *testing.T) {
	auditRepo(t, l3Register("2027-03-01"))
	environ := []string{"SOURCE_DATE_EPOCH=1795737600"}
	r := runCLI(t, environ, "", "audit", "--format", "json")
	var rep audit.Report
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("%v: code=%d %s %s", err, r.code, r.out, r.err)
	}
	if rep.Time != "2026-11-27T00:00:00Z" || strings.Contains(r.err, "ignored") {
		t.Fatalf("audit time %q (stderr %q)", rep.Time, r.err)
	}
	if r := runCLI(t, []string{"SOURCE_DATE_EPOCH=soon"}, "", "lint"); r.code != 2 || !strings.Contains(r.err, "SOURCE_DATE_EPOCH") {
		t.Fatalf("lint with a malformed SOURCE_DATE_EPOCH: code=%d err=%q", r.code, r.err)
	}
}
