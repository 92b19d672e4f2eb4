package format

import (
	"fmt"
	"io"

	"github.com/certgate/certgate/lint"
)

// Text is the human format: one line per finding, its remediation indented
// below, and a summary line; then the probe results and notes of the run
// when it has them (Run.Probes, Run.Notes).
type Text struct{ extras }

func (t Text) Write(w io.Writer, r *lint.Report) error {
	ew := &ErrWriter{W: w}
	for _, f := range r.Findings {
		loc := f.Location()
		if loc == "" {
			loc = "(input)"
		}
		ew.Printf("%s: %s %s: %s", loc, f.Severity, f.Rule, f.Message)
		if f.File != "" && f.Subject != "" {
			ew.Printf(" [%s]", f.Subject)
		}
		ew.Printf("\n")
		if f.Carveout != nil {
			ew.Printf("    waived by %s: %s", f.Carveout.Source, f.Carveout.Reason)
			if f.Carveout.Expires != "" {
				ew.Printf(" (until %s)", f.Carveout.Expires)
			}
			ew.Printf("\n")
		} else if f.Remediation != "" {
			ew.Printf("    fix: %s\n", f.Remediation)
		}
	}
	s := r.Summary
	ew.Printf("%s, %s, %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"))
	if s.Waived > 0 {
		ew.Printf(", %d waived", s.Waived)
	}
	if c := r.Checked; c != nil {
		ew.Printf(" (checked %s, %s", plural(len(c.Files), "file"), plural(len(c.Environments), "environment"))
		if len(c.Skipped) > 0 {
			ew.Printf("; skipped %s", plural(len(c.Skipped), "path"))
		}
		ew.Printf(")")
	}
	if target := r.Target; target != nil {
		ew.Printf("; certctl %s", target)
	}
	ew.Printf("\n")
	t.writeText(ew)
	return ew.Err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ErrWriter prints to W until a write fails and keeps that first error
// (Err), so a writer prints without checking every call; certgate's other
// text reports (policies test) use it too.
type ErrWriter struct {
	W   io.Writer
	Err error
}

// Printf prints unless an earlier write failed.
func (e *ErrWriter) Printf(format string, args ...any) {
	if e.Err == nil {
		_, e.Err = fmt.Fprintf(e.W, format, args...)
	}
}
