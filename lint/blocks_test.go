package lint_test

import (
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestBlocksIsThePredicate: a finding blocks when it is unwaived and at or
// above --fail-on; ExitCode and Blocking answer with that predicate.
func TestBlocksIsThePredicate(t *testing.T) {
	waiver := &lint.AppliedCarveout{Source: "certgate.yaml:3", Reason: "load test"}
	findings := []lint.Finding{
		{Rule: "A", Severity: lint.SeverityError, File: "a"},
		{Rule: "B", Severity: lint.SeverityWarning, File: "b"},
		{Rule: "C", Severity: lint.SeverityInfo, File: "c"},
		{Rule: "D", Severity: lint.SeverityError, File: "d", Carveout: waiver},
	}
	for _, tc := range []struct {
		failOn lint.Severity
		want   string // the rules that block, in report order
	}{
		{lint.SeverityError, "A"},
		{lint.SeverityWarning, "AB"},
		{lint.SeverityInfo, "ABC"},
	} {
		r := lint.NewReport(append([]lint.Finding(nil), findings...))
		got := ""
		for _, f := range r.Findings {
			if f.Blocks(tc.failOn) {
				got += f.Rule
			}
		}
		blocking := ""
		for _, f := range r.Blocking(tc.failOn) {
			blocking += f.Rule
		}
		if got != tc.want || blocking != tc.want {
			t.Errorf("--fail-on %s: Blocks %q, Blocking %q, want %q", tc.failOn, got, blocking, tc.want)
		}
		if code := r.ExitCode(tc.failOn); code != lint.ExitFindings {
			t.Errorf("--fail-on %s: exit %d, want %d", tc.failOn, code, lint.ExitFindings)
		}
	}
	waived := lint.NewReport([]lint.Finding{findings[2], findings[3]})
	if code := waived.ExitCode(lint.SeverityWarning); code != lint.ExitOK || len(waived.Blocking(lint.SeverityWarning)) != 0 {
		t.Errorf("a waived error and an info under --fail-on warning: exit %d, blocking %v", code, waived.Blocking(lint.SeverityWarning))
	}
}
