package format_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
)

// TestSkippedShown: the text summary counts what a walk did not judge; JSON
// lists each path with its reason under checked.skipped.
func TestSkippedShown(t *testing.T) {
	r := lint.NewReport(nil)
	r.Checked = &lint.Checked{Files: []string{"a.yaml"}, Environments: []string{}, Skipped: []lint.Skipped{
		{Path: "values.yaml", Reason: "a values file"},
		{Path: "testdata", Reason: "directory not walked"},
	}}
	var b bytes.Buffer
	if err := (format.Text{}).Write(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "(checked 1 file, 0 environments; skipped 2 paths)") {
		t.Errorf("text summary %q", b.String())
	}
	b.Reset()
	if err := (format.JSON{}).Write(&b, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Checked struct {
			Skipped []map[string]string `json:"skipped"`
		} `json:"checked"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Checked.Skipped) != 2 || got.Checked.Skipped[0]["path"] != "values.yaml" || got.Checked.Skipped[0]["reason"] != "a values file" {
		t.Errorf("JSON checked.skipped %v", got.Checked.Skipped)
	}
	r.Checked.Skipped = nil
	b.Reset()
	if err := (format.Text{}).Write(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "skipped") {
		t.Errorf("text summary without skipped files %q", b.String())
	}
}
