package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/policies"
)

// policyTestResult is one Rego test of a user policy directory, as
// `certgate policies test --format json` writes it.
type policyTestResult struct {
	Package    string `json:"package"`
	Name       string `json:"name"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Pass       bool   `json:"pass"`
	Skip       bool   `json:"skip,omitempty"`
	Error      bool   `json:"error,omitempty"`
	FailReason string `json:"fail_reason,omitempty"`
	Output     string `json:"output,omitempty"`
	DurationNS int64  `json:"duration_ns"`
}

type policyTestSummary struct {
	Total int `json:"total"`
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Error int `json:"error"`
	Skip  int `json:"skip"`
}

// policyTestCoverage is the share of the user policies' expressions the tests
// evaluated, per file (test files and the built-in catalog are not counted).
type policyTestCoverage struct {
	Percent float64              `json:"percent"`
	Files   []policyFileCoverage `json:"files"`
}

type policyFileCoverage struct {
	File            string      `json:"file"`
	Percent         float64     `json:"percent"`
	CoveredLines    int         `json:"covered_lines"`
	NotCoveredLines int         `json:"not_covered_lines"`
	NotCovered      []lineRange `json:"not_covered,omitempty"`
}

// lineRange is a range of lines, first and last included.
type lineRange struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

func (r lineRange) String() string {
	if r.Start == r.End {
		return fmt.Sprint(r.Start)
	}
	return fmt.Sprintf("%d-%d", r.Start, r.End)
}

type policyTestReport struct {
	Tests    []policyTestResult  `json:"tests"`
	Summary  policyTestSummary   `json:"summary"`
	Coverage *policyTestCoverage `json:"coverage,omitempty"`
}

// policiesTestCmd runs the _test.rego files of user policy directories against
// the built-in data.certgate.lib and rules, as `opa test` would.
func (a *app) policiesTestCmd() *cobra.Command {
	var (
		formatName string
		coverage   bool
		run        string
	)
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run the Rego tests of your own policy directories",
		Long: `Run the tests (rules named test_*, usually in *_test.rego files) of the policy
directories that --policy loads, with the built-in catalog and data.certgate.lib
beside them, as opa test does: Rego v1, strict compilation, print() output shown
for failing tests. The directories must also load as --policy does (METADATA with
an ID, a title, a description, a severity and a remediation for every rule package).

Exit codes: 0 every test passed, 1 a test failed or raised an error, 2 a policy
or test that does not parse or compile, invalid METADATA, a directory without
policies, or no test to run (none in the directories, or none matching --run).`,
		Example: "  certgate policies test ./my-policies\n  certgate policies test ./my-policies --coverage --format json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if formatName != "text" && formatName != "json" {
				return usageError("--format %q: use text or json", formatName)
			}
			if run != "" {
				if _, err := regexp.Compile(run); err != nil {
					return usageError("--run: %v", err)
				}
			}
			rep, err := runPolicyTests(cmd, dirs, run, coverage)
			if err != nil {
				return err
			}
			if formatName == "json" {
				enc := json.NewEncoder(a.out)
				enc.SetIndent("", "  ")
				err = enc.Encode(rep)
			} else {
				err = writePolicyTests(a.out, rep)
			}
			if err != nil {
				return inputError(fmt.Errorf("write results: %w", err))
			}
			if rep.Summary.Fail+rep.Summary.Error > 0 {
				return &exitError{code: lint.ExitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&formatName, "format", "o", "text", "output format: text or json")
	cmd.Flags().BoolVar(&coverage, "coverage", false, "report the share of each policy file the tests evaluated")
	cmd.Flags().StringVar(&run, "run", "", "run only the tests whose full name (data.pkg.test_name) matches this regular expression")
	return cmd
}

func runPolicyTests(cmd *cobra.Command, dirs []string, run string, coverage bool) (*policyTestReport, error) {
	ctx := cmd.Context()
	// The directories must load as --policy loads them: same parse, same
	// METADATA rules, strict compilation next to the catalog.
	opts := make([]lint.Option, 0, len(dirs))
	for _, d := range dirs {
		opts = append(opts, lint.WithPolicyDir(d))
	}
	if _, err := lint.New(ctx, opts...); err != nil {
		return nil, inputError(err)
	}

	modules := map[string]*ast.Module{}
	parse := func(name string, src []byte) error {
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return err
		}
		modules[name] = m
		return nil
	}
	// The built-in catalog without its own tests.
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		return parse("policies/"+path, src)
	})
	if err != nil {
		return nil, inputError(fmt.Errorf("read built-in policies: %w", err))
	}
	// The user's files, tests included; userFiles are those coverage reports on.
	userFiles := map[string]bool{}
	var errs []error
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			name := filepath.ToSlash(path)
			if _, dup := modules[name]; dup {
				return nil // a directory given twice, or inside another
			}
			if err := parse(name, src); err != nil {
				errs = append(errs, regoErrors(err))
				return nil
			}
			if !strings.HasSuffix(path, "_test.rego") {
				userFiles[name] = true
			}
			return nil
		})
		if err != nil {
			return nil, inputError(fmt.Errorf("read policy directory: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, inputError(err)
	}

	runner := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(true)).
		SetModules(modules).
		SetDefaultRegoVersion(ast.RegoV1).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		Filter(run)
	var cov *cover.Cover
	if coverage {
		cov = cover.New()
		runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, inputError(regoErrors(err))
	}
	rep := &policyTestReport{Tests: []policyTestResult{}}
	for r := range ch {
		file := ""
		line := 0
		if r.Location != nil {
			file, line = r.Location.File, r.Location.Row
		}
		t := policyTestResult{
			Package: r.Package, Name: r.Name, File: file, Line: line,
			Pass: r.Pass(), Skip: r.Skip, Output: string(r.Output), DurationNS: r.Duration.Nanoseconds(),
		}
		switch {
		case r.Error != nil:
			t.Error, t.FailReason = true, r.Error.Error()
		case r.Fail:
			t.FailReason = "the test rule is false or undefined"
			for path, sr := range r.SubResults.Iter {
				if sr.Fail && len(sr.SubResults) == 0 {
					t.FailReason += "; failing case: " + strings.Join(path, "/")
				}
			}
		}
		rep.Tests = append(rep.Tests, t)
	}
	if len(rep.Tests) == 0 {
		if run != "" {
			return nil, usageError("no test matches --run %q", run)
		}
		return nil, usageError("no tests found in %s: a test is a rule named test_... (usually in a *_test.rego file)", strings.Join(dirs, ", "))
	}
	slices.SortFunc(rep.Tests, func(a, b policyTestResult) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Name, b.Name))
	})
	for _, t := range rep.Tests {
		rep.Summary.Total++
		switch {
		case t.Skip:
			rep.Summary.Skip++
		case t.Pass:
			rep.Summary.Pass++
		case t.Error:
			rep.Summary.Error++
		default:
			rep.Summary.Fail++
		}
	}
	if cov != nil {
		rep.Coverage = coverageOf(cov, modules, userFiles)
	}
	return rep, nil
}

// coverageOf keeps the coverage of the user's policy files (not their tests).
func coverageOf(cov *cover.Cover, modules map[string]*ast.Module, userFiles map[string]bool) *policyTestCoverage {
	mods := map[string]*ast.Module{}
	for name := range userFiles {
		mods[name] = modules[name]
	}
	r := cov.Report(mods)
	out := &policyTestCoverage{Files: []policyFileCoverage{}}
	covered, total := 0, 0
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range userFiles {
			if !yield(n) {
				return
			}
		}
	}) {
		fc := policyFileCoverage{File: name}
		if fr := r.Files[name]; fr != nil {
			fc.Percent = round1(fr.Coverage)
			fc.CoveredLines, fc.NotCoveredLines = fr.CoveredLines, fr.NotCoveredLines
			for _, rg := range fr.NotCovered {
				fc.NotCovered = append(fc.NotCovered, lineRange{rg.Start.Row, rg.End.Row})
			}
		}
		covered += fc.CoveredLines
		total += fc.CoveredLines + fc.NotCoveredLines
		out.Files = append(out.Files, fc)
	}
	if total > 0 {
		out.Percent = round1(100 * float64(covered) / float64(total))
	}
	return out
}

// regoErrors turns parse and compile errors into one line each
// (file:line: code: message), without the source excerpt OPA adds.
func regoErrors(err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		return err
	}
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		loc := ""
		if e.Location != nil {
			loc = fmt.Sprintf("%s:%d: ", e.Location.File, e.Location.Row)
		}
		out = append(out, fmt.Errorf("%s%s: %s", loc, e.Code, e.Message))
	}
	return errors.Join(out...)
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// writePolicyTests prints one line per test, the print() output of the ones
// that failed, the summary, and the coverage when asked.
func writePolicyTests(w io.Writer, rep *policyTestReport) error {
	ew := &errWriter{w: w}
	file := ""
	for _, t := range rep.Tests {
		if t.File != file {
			if file != "" {
				ew.printf("\n")
			}
			file = t.File
			ew.printf("%s:\n", file)
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
		ew.printf("%s.%s: %s\n", t.Package, t.Name, status)
		if t.Error {
			ew.printf("  %s\n", t.FailReason)
		} else if !t.Pass && !t.Skip {
			ew.printf("  %s:%d: %s\n", t.File, t.Line, t.FailReason)
		}
		if !t.Pass && !t.Skip {
			for line := range strings.Lines(t.Output) {
				ew.printf("  | %s", strings.TrimSuffix(line, "\n")+"\n")
			}
		}
	}
	s := rep.Summary
	ew.printf("%s\n", strings.Repeat("-", 72))
	ew.printf("PASS: %d/%d\n", s.Pass, s.Total)
	if s.Fail > 0 {
		ew.printf("FAIL: %d/%d\n", s.Fail, s.Total)
	}
	if s.Error > 0 {
		ew.printf("ERROR: %d/%d\n", s.Error, s.Total)
	}
	if s.Skip > 0 {
		ew.printf("SKIPPED: %d/%d\n", s.Skip, s.Total)
	}
	if c := rep.Coverage; c != nil {
		ew.printf("\nCoverage: %.1f%%\n", c.Percent)
		for _, f := range c.Files {
			ew.printf("  %5.1f%%  %s", f.Percent, f.File)
			if len(f.NotCovered) > 0 {
				lines := make([]string, len(f.NotCovered))
				for i, l := range f.NotCovered {
					lines[i] = l.String()
				}
				ew.printf("  (not covered: lines %s)", strings.Join(lines, ", "))
			}
			ew.printf("\n")
		}
	}
	return ew.err
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
