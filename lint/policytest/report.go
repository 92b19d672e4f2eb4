// Package policytest runs the Rego tests of user policy directories (the
// directories `certgate lint --policy` loads) with the built-in catalog and
// data.certgate.lib beside them, as opa test would, and reports each test,
// a summary and, when asked, the coverage of the user's policy files.
//
// It is the library behind `certgate policies test`: Run returns a Report,
// which writes itself as text (WriteText) or JSON (WriteJSON, or
// encoding/json on the Report). Nothing here prints on its own.
package policytest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/certgate/certgate/lint/format"
)

// Report is the outcome of one Run: every test in (file, line, name) order,
// their summary, and the coverage when Options.Coverage asked for it.
type Report struct {
	Tests    []Result  `json:"tests"`
	Summary  Summary   `json:"summary"`
	Coverage *Coverage `json:"coverage,omitempty"`
}

// Result is one Rego test of a user policy directory.
type Result struct {
	Package    string `json:"package"`               // data.pkg of the test
	Name       string `json:"name"`                  // the test rule, test_...
	File       string `json:"file"`                  // the file, slash-separated, as found under the directory given
	Line       int    `json:"line"`                  // the line of the test rule
	Pass       bool   `json:"pass"`                  // the test passed
	Skip       bool   `json:"skip,omitempty"`        // the test is skipped (a rule named todo_test_...)
	Error      bool   `json:"error,omitempty"`       // the test raised an error (a builtin error, a conflict)
	FailReason string `json:"fail_reason,omitempty"` // why a failed or erroring test did not pass
	Output     string `json:"output,omitempty"`      // the test's print() output
	DurationNS int64  `json:"duration_ns"`           // how long the test took
}

// Summary counts the tests by outcome; Total is their sum.
type Summary struct {
	Total int `json:"total"`
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Error int `json:"error"`
	Skip  int `json:"skip"`
}

// Coverage is the share of the user policies' expressions the tests
// evaluated, per file (test files and the built-in catalog are not counted).
type Coverage struct {
	Percent float64        `json:"percent"`
	Files   []FileCoverage `json:"files"`
}

// FileCoverage is the coverage of one user policy file.
type FileCoverage struct {
	File            string      `json:"file"`
	Percent         float64     `json:"percent"`
	CoveredLines    int         `json:"covered_lines"`
	NotCoveredLines int         `json:"not_covered_lines"`
	NotCovered      []LineRange `json:"not_covered,omitempty"`
}

// LineRange is a range of lines, first and last included.
type LineRange struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// String is "7" for one line, "7-9" for several.
func (r LineRange) String() string {
	if r.Start == r.End {
		return fmt.Sprint(r.Start)
	}
	return fmt.Sprintf("%d-%d", r.Start, r.End)
}

// Failed reports whether a test failed or raised an error.
func (r *Report) Failed() bool { return r.Summary.Fail+r.Summary.Error > 0 }

// WriteJSON writes the report as indented JSON followed by a newline.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes one line per test under its file's name, the reason and
// print() output of the tests that did not pass, the summary, and the
// coverage when the report has it. It returns the first write error.
func (r *Report) WriteText(w io.Writer) error {
	ew := &format.ErrWriter{W: w}
	file := ""
	for _, t := range r.Tests {
		if t.File != file {
			if file != "" {
				ew.Printf("\n")
			}
			file = t.File
			ew.Printf("%s:\n", file)
		}
		status := "PASS"
		switch {
		case t.Skip:
			status = "SKIPPED"
		case t.Error:
			status = "ERROR"
		case !t.Pass:
			status = "FAIL"
		}
		ew.Printf("%s.%s: %s\n", t.Package, t.Name, status)
		if t.Error {
			ew.Printf("  %s\n", t.FailReason)
		} else if !t.Pass && !t.Skip {
			ew.Printf("  %s:%d: %s\n", t.File, t.Line, t.FailReason)
		}
		if !t.Pass && !t.Skip {
			for line := range strings.Lines(t.Output) {
				ew.Printf("  | %s", strings.TrimSuffix(line, "\n")+"\n")
			}
		}
	}
	s := r.Summary
	ew.Printf("%s\n", strings.Repeat("-", 72))
	ew.Printf("PASS: %d/%d\n", s.Pass, s.Total)
	if s.Fail > 0 {
		ew.Printf("FAIL: %d/%d\n", s.Fail, s.Total)
	}
	if s.Error > 0 {
		ew.Printf("ERROR: %d/%d\n", s.Error, s.Total)
	}
	if s.Skip > 0 {
		ew.Printf("SKIPPED: %d/%d\n", s.Skip, s.Total)
	}
	if c := r.Coverage; c != nil {
		ew.Printf("\nCoverage: %.1f%%\n", c.Percent)
		for _, f := range c.Files {
			ew.Printf("  %5.1f%%  %s", f.Percent, f.File)
			if len(f.NotCovered) > 0 {
				lines := make([]string, len(f.NotCovered))
				for i, l := range f.NotCovered {
					lines[i] = l.String()
				}
				ew.Printf("  (not covered: lines %s)", strings.Join(lines, ", "))
			}
			ew.Printf("\n")
		}
	}
	return ew.Err
}
