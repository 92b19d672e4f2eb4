package policytest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/policies"
)

// Options choose which tests Run runs and what it measures.
type Options struct {
	// Run, when not empty, is a regular expression: only the tests whose
	// full name (data.pkg.test_name) matches it run.
	Run string
	// Coverage asks for the share of each user policy file the tests evaluated.
	Coverage bool
}

// NoTestsError is Run's error when there is no test to run: none in the
// directories, or none matching Options.Run.
type NoTestsError struct {
	Dirs []string // the directories given to Run
	Run  string   // Options.Run
}

func (e *NoTestsError) Error() string {
	if e.Run != "" {
		return fmt.Sprintf("no test matches %q", e.Run)
	}
	return fmt.Sprintf("no tests found in %s: a test is a rule named test_... (usually in a *_test.rego file)", strings.Join(e.Dirs, ", "))
}

// Run runs the tests (rules named test_*, usually in *_test.rego files) of
// the policy directories dirs with the built-in catalog and data.certgate.lib
// beside them: Rego v1, strict compilation, print() output captured, builtin
// errors raised. The directories must first load as lint.WithPolicyDir loads
// them (METADATA included).
//
// A failing test is not an error: it is in the Report (see Report.Failed).
// Run's errors are about the input: a policy or test that does not parse or
// compile (one line each, file:line: code: message), invalid METADATA, an
// unreadable directory, an invalid Options.Run, or no test to run
// (*NoTestsError).
func Run(ctx context.Context, dirs []string, opts Options) (*Report, error) {
	if opts.Run != "" {
		if _, err := regexp.Compile(opts.Run); err != nil {
			return nil, fmt.Errorf("test filter: %w", err)
		}
	}
	// The directories must load as --policy loads them: same parse, same
	// METADATA rules, strict compilation next to the catalog.
	lopts := make([]lint.Option, 0, len(dirs))
	for _, d := range dirs {
		lopts = append(lopts, lint.WithPolicyDir(d))
	}
	if _, err := lint.New(ctx, lopts...); err != nil {
		return nil, err
	}
	modules, userFiles, err := readModules(dirs)
	if err != nil {
		return nil, err
	}

	runner := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(true)).
		SetModules(modules).
		SetDefaultRegoVersion(ast.RegoV1).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		Filter(opts.Run)
	var cov *cover.Cover
	if opts.Coverage {
		cov = cover.New()
		runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, regoErrors(err)
	}
	rep := &Report{Tests: []Result{}}
	for r := range ch {
		rep.Tests = append(rep.Tests, resultOf(r))
	}
	if len(rep.Tests) == 0 {
		return nil, &NoTestsError{Dirs: dirs, Run: opts.Run}
	}
	slices.SortFunc(rep.Tests, func(a, b Result) int {
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

// readModules parses the built-in catalog without its own tests and the
// user's files, tests included; userFiles are the user's policy files (not
// their tests), those coverage reports on.
func readModules(dirs []string) (modules map[string]*ast.Module, userFiles map[string]bool, err error) {
	modules = map[string]*ast.Module{}
	parse := func(name string, src []byte) error {
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return err
		}
		modules[name] = m
		return nil
	}
	err = fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
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
		return nil, nil, fmt.Errorf("read built-in policies: %w", err)
	}
	userFiles = map[string]bool{}
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
			return nil, nil, fmt.Errorf("read policy directory: %w", err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return modules, userFiles, nil
}

// resultOf turns one of OPA's test results into a Result.
func resultOf(r *tester.Result) Result {
	file := ""
	line := 0
	if r.Location != nil {
		file, line = r.Location.File, r.Location.Row
	}
	t := Result{
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
	return t
}

// coverageOf keeps the coverage of the user's policy files (not their tests).
func coverageOf(cov *cover.Cover, modules map[string]*ast.Module, userFiles map[string]bool) *Coverage {
	mods := map[string]*ast.Module{}
	for name := range userFiles {
		mods[name] = modules[name]
	}
	r := cov.Report(mods)
	out := &Coverage{Files: []FileCoverage{}}
	covered, total := 0, 0
	names := make([]string, 0, len(userFiles))
	for n := range userFiles {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		fc := FileCoverage{File: name}
		if fr := r.Files[name]; fr != nil {
			fc.Percent = round1(fr.Coverage)
			fc.CoveredLines, fc.NotCoveredLines = fr.CoveredLines, fr.NotCoveredLines
			for _, rg := range fr.NotCovered {
				fc.NotCovered = append(fc.NotCovered, LineRange{rg.Start.Row, rg.End.Row})
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

// round1 rounds a percentage to one decimal.
func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
