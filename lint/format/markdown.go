package format

import (
	"fmt"
	"io"
	"strings"

	"github.com/certgate/certgate/lint"
)

// Markdown writes a compact table for a pull-request comment: a summary line,
// then one row per finding (severity, rule, location, message). Waived
// findings are listed with the carve-out that waived them.
type Markdown struct{}

var mdCell = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ")

func (Markdown) Write(w io.Writer, r *lint.Report) error {
	ew := &ErrWriter{W: w}
	s := r.Summary
	ew.Printf("**certgate**: %s, %s, %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"))
	if s.Waived > 0 {
		ew.Printf(", %d waived", s.Waived)
	}
	if t := r.Target; t != nil {
		ew.Printf("; certctl %s", t)
	}
	ew.Printf("\n")
	if len(r.Findings) == 0 {
		ew.Printf("\nNo findings.\n")
		return ew.Err
	}
	ew.Printf("\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n")
	for _, f := range r.Findings {
		sev := string(f.Severity)
		msg := f.Message
		if f.Carveout != nil {
			sev += " (waived)"
			msg += fmt.Sprintf(" (waived by %s: %s)", f.Carveout.Source, f.Carveout.Reason)
		}
		loc := f.Location()
		if loc != "" {
			loc = "`" + strings.ReplaceAll(loc, "`", "'") + "`"
		}
		ew.Printf("| %s | %s | %s | %s |\n", mdCell.Replace(sev), mdCell.Replace(f.Rule), mdCell.Replace(loc), mdCell.Replace(msg))
	}
	return ew.Err
}
