package format_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
)

func sample() *lint.Report {
	return lint.NewReport([]lint.Finding{
		{Rule: "SEC-M4", Severity: lint.SeverityError, Message: "CERTCTL_ACME_INSECURE is true", File: "compose/docker-compose.yml", Line: 12, Column: 7, Subject: "server", Remediation: "Remove it.", Fingerprint: "ab"},
		{Rule: "SEC-H1", Severity: lint.SeverityWarning, Message: "token empty", Subject: "process environment", Fingerprint: "cd"},
	})
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := (format.Text{}).Write(&b, sample()); err != nil {
		t.Fatal(err)
	}
	// Findings without a file (the process environment) sort first.
	want := "process environment: warning SEC-H1: token empty\n" +
		"compose/docker-compose.yml:12:7: error SEC-M4: CERTCTL_ACME_INSECURE is true [server]\n" +
		"    fix: Remove it.\n" +
		"1 error, 1 warning, 0 infos\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := (format.JSON{}).Write(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]int   `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 2 || got.Summary["errors"] != 1 || got.Summary["warnings"] != 1 || got.Summary["infos"] != 0 {
		t.Fatalf("unexpected JSON: %s", b.String())
	}
	for _, k := range []string{"rule", "severity", "message", "file", "line", "column", "fingerprint"} {
		if _, ok := got.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q: %v", k, got.Findings[0])
		}
	}
}

func TestNewRejectsUnknown(t *testing.T) {
	_, err := format.New("yaml", format.Run{})
	if err == nil || !strings.Contains(err.Error(), "github, json, junit, markdown, sarif, text") {
		t.Fatalf("err = %v, want the sorted list of formats", err)
	}
}

// TestTargetReleaseShown: every human and machine format that has a place for
// it names the judged certctl release and where it came from.
func TestTargetReleaseShown(t *testing.T) {
	r := lint.NewReport(nil)
	r.Target = &lint.Target{CertctlVersion: "2.1.4", Source: lint.ReleaseFromConfig}
	if got, want := (&lint.Target{CertctlVersion: "2.2.0", Source: lint.ReleaseFromDefault, FromImage: []string{"2.1.0", "2.1.7"}}).String(), "2.2.0 (default: the newest known release; 2.1.0, 2.1.7 from image tags)"; got != want {
		t.Errorf("Target.String() = %q, want %q", got, want)
	}
	for _, name := range []string{"text", "markdown", "json", "sarif"} {
		w, err := format.New(name, format.Run{})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := w.Write(&b, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "2.1.4") || !strings.Contains(b.String(), lint.ReleaseFromConfig) {
			t.Errorf("%s does not name the target release and its source:\n%s", name, b.String())
		}
	}
}
