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
	ew := &errWriter{w: w}
	for _, f := range r.Findings {
		loc := f.Location()
		if loc == "" {
			loc = "(input)"
		}
		ew.printf("%s: %s %s: %s", loc, f.Severity, f.Rule, f.Message)
		if f.File != "" && f.Subject != "" {
			ew.printf(" [%s]", f.Subject)
		}
		ew.printf("\n")
		if f.Carveout != nil {
			ew.printf("    waived by %s: %s", f.Carveout.Source, f.Carveout.Reason)
			if f.Carveout.Expires != "" {
				ew.printf(" (until %s)", f.Carveout.Expires)
			}
			ew.printf("\n")
		} else if f.Remediation != "" {
			ew.printf("    fix: %s\n", f.Remediation)
		}
	}
	s := r.Summary
	ew.printf("%s, %s, %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"))
	if s.Waived > 0 {
		ew.printf(", %d waived", s.Waived)
	}
	if c := r.Checked; c != nil {
		ew.printf(" (checked %s, %s", plural(len(c.Files), "file"), plural(len(c.Environments), "environment"))
		if len(c.Skipped) > 0 {
			ew.printf("; skipped %s", plural(len(c.Skipped), "path"))
		}
		ew.printf(")")
	}
	if target := r.Target; target != nil {
		ew.printf("; certctl %s", target)
	}
	ew.printf("\n")
	t.writeText(ew)
	return ew.err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// errWriter keeps the first write error so writers can print without checking
// every call.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
