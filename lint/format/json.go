package format

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/certgate/certgate/lint"
)

// JSON writes {"findings": [...], "summary": {...}}, indented, plus
// "probes" and "notes" when the run has them (Run.Probes, Run.Notes).
type JSON struct{ extras }

func (j JSON) Write(w io.Writer, r *lint.Report) error {
	out := w
	var buf bytes.Buffer
	if !j.empty() {
		out = &buf
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil || j.empty() {
		return err
	}
	return j.addJSON(buf.Bytes(), w)
}
