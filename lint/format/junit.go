package format

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/certgate/certgate/lint"
)

// JUnit writes JUnit XML: one testsuite per rule of the catalog (plus any rule
// that reported without a catalog entry), one testcase per file checked under
// it. A testcase fails when the rule has an unwaived error or warning in that
// file; waived findings make it skipped; info findings go to system-out. A rule
// with no file to report gets one passing testcase, so every rule is visible.
type JUnit struct{ Run Run }

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// noFile names the testcase of findings without a file (the process environment).
const noFile = "(input)"

func (j JUnit) Write(w io.Writer, r *lint.Report) error {
	rules := map[string]string{} // id -> title
	var order []string
	for _, p := range j.Run.Policies {
		rules[p.ID] = p.Title
		order = append(order, p.ID)
	}
	byRule := map[string]map[string][]lint.Finding{}
	for _, f := range r.Findings {
		if _, ok := rules[f.Rule]; !ok {
			rules[f.Rule] = f.Title
			order = append(order, f.Rule)
		}
		file := f.File
		if file == "" {
			file = cmp.Or(f.Subject, noFile)
		}
		if byRule[f.Rule] == nil {
			byRule[f.Rule] = map[string][]lint.Finding{}
		}
		byRule[f.Rule][file] = append(byRule[f.Rule][file], f)
	}
	slices.Sort(order)
	order = slices.Compact(order)
	out := junitSuites{Name: "certgate"}
	for _, id := range order {
		files := slices.Clone(j.Run.Inputs)
		for f := range byRule[id] {
			files = append(files, f)
		}
		slices.Sort(files)
		files = slices.Compact(files)
		suite := junitSuite{Name: id}
		if len(files) == 0 {
			suite.Cases = append(suite.Cases, junitCase{Name: "no findings", Classname: id})
		}
		for _, file := range files {
			suite.Cases = append(suite.Cases, junitCaseFor(id, file, byRule[id][file]))
		}
		for _, c := range suite.Cases {
			suite.Tests++
			if c.Failure != nil {
				suite.Failures++
			} else if c.Skipped != nil {
				suite.Skipped++
			}
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Skipped += suite.Skipped
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCaseFor(rule, file string, fs []lint.Finding) junitCase {
	c := junitCase{Name: file, Classname: rule}
	var failed, waived, notes []string
	worst := ""
	for _, f := range fs {
		line := fmt.Sprintf("%s: %s %s: %s", cmp.Or(f.Location(), noFile), f.Severity, f.Rule, f.Message)
		switch {
		case f.Carveout != nil:
			waived = append(waived, fmt.Sprintf("%s (waived by %s: %s)", line, f.Carveout.Source, f.Carveout.Reason))
		case f.Severity == lint.SeverityInfo:
			notes = append(notes, line)
		default:
			failed = append(failed, line)
			if worst != string(lint.SeverityError) {
				worst = string(f.Severity)
			}
		}
	}
	switch {
	case len(failed) > 0:
		msg := fs[0].Message
		if len(failed) > 1 {
			msg = fmt.Sprintf("%d findings", len(failed))
		}
		c.Failure = &junitFailure{Message: msg, Type: worst, Text: strings.Join(failed, "\n")}
	case len(waived) > 0:
		c.Skipped = &junitSkipped{Message: "waived"}
	}
	if all := append(waived, notes...); len(all) > 0 {
		c.SystemOut = strings.Join(all, "\n")
	}
	return c
}
