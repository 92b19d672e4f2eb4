package format_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"

	"github.com/certgate/certgate/lint/format"
)

func probeRun() format.Run {
	tls := true
	return format.Run{
		Probes: []lint.ProbeFacts{
			{Name: "db", Reachable: true, TLS: &tls, LatencyMS: 1.5, Facts: map[string]any{"tls_verified": true}},
			{Name: "acme", Skipped: "CERTCTL_ACME_DIRECTORY_URL is not set"},
		},
		Notes: []string{"SOURCE_DATE_EPOCH is ignored"},
	}
}

// TestProbesAndNotes: the text and JSON writers of the findings view add the
// run's probe results and notes after the report, and nothing without them.
func TestProbesAndNotes(t *testing.T) {
	write := func(name string, run format.Run) string {
		w, err := format.New(name, run)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := w.Write(&b, sample()); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	text := write("text", probeRun())
	want := "1 error, 1 warning, 0 infos\n\nProbes:\n  db    reachable=yes tls=yes (verified) latency=1.5ms\n  acme  skipped: CERTCTL_ACME_DIRECTORY_URL is not set\nnote: SOURCE_DATE_EPOCH is ignored\n"
	if !strings.HasSuffix(text, want) {
		t.Errorf("text ends\n%s\nwant\n%s", text, want)
	}
	if plain := write("text", format.Run{}); strings.Contains(plain, "Probes:") || strings.Contains(plain, "note:") {
		t.Errorf("text without probes:\n%s", plain)
	}
	var doc struct {
		Findings []any
		Probes   []map[string]any
		Notes    []string
	}
	if err := json.Unmarshal([]byte(write("json", probeRun())), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 2 || len(doc.Probes) != 2 || doc.Probes[0]["name"] != "db" || doc.Probes[1]["skipped"] == nil || len(doc.Notes) != 1 {
		t.Errorf("json %+v", doc)
	}
	if plain := write("json", format.Run{}); strings.Contains(plain, `"probes"`) || strings.Contains(plain, `"notes"`) {
		t.Errorf("json without probes:\n%s", plain)
	}
}
