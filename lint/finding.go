package lint

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Severity orders findings: info < warning < error.
type Severity string

const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// ParseSeverity reads a --fail-on style value.
func ParseSeverity(s string) (Severity, error) {
	switch Severity(s) {
	case SeverityInfo, SeverityWarning, SeverityError:
		return Severity(s), nil
	case "warn":
		return SeverityWarning, nil
	}
	return "", fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Rank is 0 for info, 1 for warning, 2 for error and -1 for anything else.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 0
	case SeverityWarning:
		return 1
	case SeverityError:
		return 2
	}
	return -1
}

// AtLeast reports whether s is as severe as min or more.
func (s Severity) AtLeast(min Severity) bool { return s.Rank() >= min.Rank() }

// Finding is one located policy result.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Message  string   `json:"message"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Path     string   `json:"path"`
	// Subject names what the finding is about: an environment, a compose file
	// set and service, a rendered object.
	Subject     string           `json:"subject,omitempty"`
	Remediation string           `json:"remediation,omitempty"`
	Docs        string           `json:"docs,omitempty"`
	Fingerprint string           `json:"fingerprint"`
	Carveout    *AppliedCarveout `json:"waiver,omitempty"`
}

// AppliedCarveout records the carve-out that waived a finding.
type AppliedCarveout struct {
	Source  string `json:"source"`
	Owner   string `json:"owner,omitempty"`
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
}

// Location renders file:line:column, or the subject when there is no file. A
// finding without a line but with a path (a --set value, a key the locator
// cannot place) names the path beside the file.
func (f Finding) Location() string {
	switch {
	case f.File == "":
		return f.Subject
	case f.Line == 0 && f.Path != "":
		return f.File + " (" + f.Path + ")"
	case f.Line == 0:
		return f.File
	case f.Column == 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

// ComputeFingerprint is the finding's Fingerprint, stable across runs and
// line moves: it hashes what the finding is about, not where it currently
// is. The message tells two findings about the same key apart; its numbers
// are left out, since they may carry a clock (the age of a timestamp) or a
// count. Code that builds a finding itself (a stale carve-out) sets its
// Fingerprint with it.
func (f Finding) ComputeFingerprint() string {
	msg := digits.ReplaceAllString(f.Message, "#")
	h := sha256.Sum256([]byte(strings.Join([]string{f.Rule, string(f.Severity), f.File, f.Path, f.Subject, msg}, "\x00")))
	return hex.EncodeToString(h[:8])
}

var digits = regexp.MustCompile(`[0-9]+`)

// Summary counts findings by severity; waived findings are counted apart.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	Waived   int `json:"waived,omitempty"`
}

// Report is the result of one evaluation: sorted findings, their counts, and
// what was checked (so a clean report still shows its scope).
type Report struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
	// Target is the certctl release the report judged, and why.
	Target  *Target  `json:"target,omitempty"`
	Checked *Checked `json:"checked,omitempty"`
}

// Target names the certctl release an evaluation judged and where that came
// from; environments that ran at a release of their own (their image tag) are
// listed with it in Checked.Environments.
type Target struct {
	CertctlVersion string `json:"certctl_version"`
	Source         string `json:"source"`
	// FromImage are the releases (sorted, distinct) that environments ran at
	// instead, taken from their workloads' image tags.
	FromImage []string `json:"from_image,omitempty"`
}

// String is "2.2.0 (default: the newest known release; 2.1.7 from image tags)".
func (t *Target) String() string {
	s := t.CertctlVersion
	var why []string
	if t.Source != "" {
		why = append(why, t.Source)
	}
	if len(t.FromImage) > 0 {
		why = append(why, strings.Join(t.FromImage, ", ")+" from image tags")
	}
	if len(why) > 0 {
		s += " (" + strings.Join(why, "; ") + ")"
	}
	return s
}

// Checked lists the files and environments an evaluation looked at, and the
// files a directory walk looked at and did not judge.
type Checked struct {
	Files []string `json:"files"`
	// Environments are "<id> (<role>)", for example
	// "compose/docker-compose.yml+docker-compose.demo.yml service server (server)";
	// an environment judged at its own release (its image tag) says so:
	// "... service server (server, certctl 2.1.4 from its image tag ...:2.1.4)".
	Environments []string `json:"environments"`
	// Skipped are the files (and directories) a walk did not judge, with why.
	Skipped []Skipped `json:"skipped"`
}

// Skipped is one file or directory a walk looked at and did not judge; the
// entries of Input.Skipped are input.skipped (policies may read it).
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// checkedOf summarises an input, sorted and without duplicates.
func checkedOf(in *Input) *Checked {
	c := &Checked{Files: []string{}, Environments: []string{}, Skipped: []Skipped{}}
	for _, f := range in.Files {
		c.Files = append(c.Files, f.Path)
	}
	for _, e := range in.Envs {
		role := e.Role
		if e.Release != "" {
			role += ", certctl " + e.Release + " from its " + e.ReleaseSource
		}
		c.Environments = append(c.Environments, e.ID+" ("+role+")")
	}
	for _, s := range in.Skipped {
		if s.Path != "" {
			c.Skipped = append(c.Skipped, s)
		}
	}
	slices.Sort(c.Files)
	slices.Sort(c.Environments)
	c.Files = slices.Compact(c.Files)
	c.Environments = slices.Compact(c.Environments)
	slices.SortFunc(c.Skipped, func(a, b Skipped) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Reason, b.Reason)) })
	c.Skipped = slices.Compact(c.Skipped)
	return c
}

// NewReport sorts findings (file, line, column, rule, message), drops exact
// duplicates and counts them.
func NewReport(findings []Finding) *Report {
	slices.SortFunc(findings, compareFindings)
	findings = slices.CompactFunc(findings, func(a, b Finding) bool { return compareFindings(a, b) == 0 })
	r := &Report{Findings: findings}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	r.recount()
	return r
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
		cmp.Compare(a.Subject, b.Subject),
		cmp.Compare(a.Message, b.Message),
	)
}

func (r *Report) recount() {
	r.Summary = Summary{}
	for _, f := range r.Findings {
		if f.Carveout != nil {
			r.Summary.Waived++
			continue
		}
		switch f.Severity {
		case SeverityError:
			r.Summary.Errors++
		case SeverityWarning:
			r.Summary.Warnings++
		case SeverityInfo:
			r.Summary.Infos++
		}
	}
}

// Exit codes, as documented for every command.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// ExitCode is ExitFindings when a finding blocks at failOn (Blocking), else
// ExitOK.
func (r *Report) ExitCode(failOn Severity) int {
	if slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Blocks(failOn) }) {
		return ExitFindings
	}
	return ExitOK
}

// Blocking returns the findings that block at failOn (Finding.Blocks).
func (r *Report) Blocking(failOn Severity) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Blocks(failOn) {
			out = append(out, f)
		}
	}
	return out
}

// Blocks is the one pass/fail predicate: an unwaived finding at or above
// failOn fails the run (the exit code, the startup gate, the audit).
func (f Finding) Blocks(failOn Severity) bool {
	return f.Carveout == nil && f.Severity.AtLeast(failOn)
}
