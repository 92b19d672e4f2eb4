package format

import (
	"encoding/json"
	"io"

	"github.com/certgate/certgate/lint"
)

// JSON writes {"findings": [...], "summary": {...}}, indented.
type JSON struct{}

func (JSON) Write(w io.Writer, r *lint.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
