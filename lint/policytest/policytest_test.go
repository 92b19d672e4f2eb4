package policytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/policytest"
)

// userPolicies is a fixture directory, relative to the repository root
// (the tests run there so that file names read as the CLI prints them).
func userPolicies(name string) string {
	return filepath.Join("testdata", "userpolicies", name)
}

func run(t *testing.T, opts policytest.Options, dirs ...string) *policytest.Report {
	t.Helper()
	rep, err := policytest.Run(context.Background(), dirs, opts)
	if err != nil {
		t.Fatalf("Run(%v): %v", dirs, err)
	}
	return rep
}

func names(rep *policytest.Report) []string {
	var out []string
	for _, r := range rep.Tests {
		out = append(out, r.Name)
	}
	return out
}

func TestRunPasses(t *testing.T) {
	t.Chdir("../..")
	rep := run(t, policytest.Options{}, userPolicies("example"))
	if want := []string{"test_unset_is_denied", "test_empty_is_denied", "test_set_passes"}; !slices.Equal(names(rep), want) {
		t.Fatalf("tests %v, want %v (file, line order)", names(rep), want)
	}
	for _, r := range rep.Tests {
		if !r.Pass || r.Error || r.FailReason != "" || r.Package != "data.certgate.user.auth_type_test" ||
			r.File != "testdata/userpolicies/example/auth_type_test.rego" || r.Line == 0 {
			t.Errorf("%+v", r)
		}
	}
	if want := (policytest.Summary{Total: 3, Pass: 3}); rep.Summary != want {
		t.Errorf("summary %+v, want %+v", rep.Summary, want)
	}
	if rep.Failed() || rep.Coverage != nil {
		t.Errorf("Failed()=%v Coverage=%v", rep.Failed(), rep.Coverage)
	}
}

func TestRunFails(t *testing.T) {
	t.Chdir("../..")
	rep := run(t, policytest.Options{}, userPolicies("failing"))
	if want := (policytest.Summary{Total: 3, Pass: 1, Fail: 1, Error: 1}); rep.Summary != want {
		t.Fatalf("summary %+v, want %+v", rep.Summary, want)
	}
	if !rep.Failed() {
		t.Error("Failed() is false with a failing test")
	}
	byName := map[string]policytest.Result{}
	for _, r := range rep.Tests {
		byName[r.Name] = r
	}
	if r := byName["test_listed_origin_warns"]; r.Pass || r.Error || r.Line != 12 ||
		r.FailReason != "the test rule is false or undefined" || r.Output != "warnings: 0\n" {
		t.Errorf("failing test: %+v", r)
	}
	if r := byName["test_builtin_error"]; r.Pass || !r.Error || !strings.Contains(r.FailReason, `to_number: strconv.ParseFloat: parsing "not a number"`) {
		t.Errorf("erroring test: %+v", r)
	}

	// Options.Run keeps the matching tests only.
	rep = run(t, policytest.Options{Run: `test_unset_warns$`}, userPolicies("failing"))
	if !slices.Equal(names(rep), []string{"test_unset_warns"}) || rep.Failed() {
		t.Errorf("Run filter: %v, Failed()=%v", names(rep), rep.Failed())
	}
}

func TestRunCoverage(t *testing.T) {
	t.Chdir("../..")
	rep := run(t, policytest.Options{Coverage: true}, userPolicies("failing"), userPolicies("example"))
	c := rep.Coverage
	if c == nil {
		t.Fatal("no coverage")
	}
	want := []policytest.FileCoverage{
		{File: "testdata/userpolicies/example/auth_type.rego", Percent: 100, CoveredLines: 4},
		{File: "testdata/userpolicies/failing/cors.rego", Percent: 75, CoveredLines: 6, NotCoveredLines: 2,
			NotCovered: []policytest.LineRange{{Start: 19, End: 19}, {Start: 22, End: 22}}},
	}
	eq := func(a, b policytest.FileCoverage) bool {
		return a.File == b.File && a.Percent == b.Percent && a.CoveredLines == b.CoveredLines &&
			a.NotCoveredLines == b.NotCoveredLines && slices.Equal(a.NotCovered, b.NotCovered)
	}
	if c.Percent != 83.3 || !slices.EqualFunc(c.Files, want, eq) {
		t.Errorf("coverage %+v, want 83.3%% of %+v", c, want)
	}
}

func TestRunErrors(t *testing.T) {
	t.Chdir("../..")
	nometa := t.TempDir()
	for name, src := range map[string]string{
		"nometa.rego":      "package certgate.user.nometa\n\ndeny contains \"x\" if true\n",
		"nometa_test.rego": "package certgate.user.nometa_test\n\ntest_x if true\n",
	} {
		if err := os.WriteFile(filepath.Join(nometa, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		dirs []string
		opts policytest.Options
		want string
	}{
		{"policy does not compile", []string{userPolicies("broken")}, policytest.Options{}, "broken.rego:14: rego_type_error: undefined function data.certgate.lib.no_such_helper"},
		{"test does not compile", []string{userPolicies("brokentest")}, policytest.Options{}, "ok_test.rego:7: rego_unsafe_var_error: var unbound_var is unsafe"},
		{"no METADATA", []string{nometa}, policytest.Options{}, "no package METADATA"},
		{"no tests", []string{userPolicies("notests")}, policytest.Options{}, "no tests found in testdata/userpolicies/notests"},
		{"filter matches nothing", []string{userPolicies("example")}, policytest.Options{Run: "nothing_is_called_this"}, `no test matches "nothing_is_called_this"`},
		{"bad filter", []string{userPolicies("example")}, policytest.Options{Run: "("}, "error parsing regexp"},
		{"missing directory", []string{userPolicies("no-such-dir")}, policytest.Options{}, "no-such-dir"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := policytest.Run(context.Background(), c.dirs, c.opts)
			if err == nil || rep != nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run: report %v, error %v; want an error with %q", rep, err, c.want)
			}
			var nt *policytest.NoTestsError
			if isNoTests := strings.HasPrefix(c.want, "no test"); errors.As(err, &nt) != isNoTests {
				t.Errorf("errors.As(*NoTestsError) = %v, want %v", !isNoTests, isNoTests)
			}
		})
	}
}

// TestWriteText checks the whole text of a report with every outcome and
// coverage, built by hand.
func TestWriteText(t *testing.T) {
	rep := &policytest.Report{
		Tests: []policytest.Result{
			{Package: "data.p_test", Name: "test_a", File: "a_test.rego", Line: 3, Pass: true},
			{Package: "data.p_test", Name: "test_b", File: "a_test.rego", Line: 7, FailReason: "the test rule is false or undefined", Output: "x: 1\ny: 2\n"},
			{Package: "data.q_test", Name: "test_c", File: "b_test.rego", Line: 2, Error: true, FailReason: "b_test.rego:2: eval_builtin_error: boom"},
			{Package: "data.q_test", Name: "todo_test_d", File: "b_test.rego", Line: 5, Skip: true},
		},
		Summary: policytest.Summary{Total: 4, Pass: 1, Fail: 1, Error: 1, Skip: 1},
		Coverage: &policytest.Coverage{Percent: 87.5, Files: []policytest.FileCoverage{
			{File: "a.rego", Percent: 100, CoveredLines: 4},
			{File: "b.rego", Percent: 75, CoveredLines: 6, NotCoveredLines: 3, NotCovered: []policytest.LineRange{{Start: 9, End: 9}, {Start: 12, End: 13}}},
		}},
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := `a_test.rego:
data.p_test.test_a: PASS
data.p_test.test_b: FAIL
  a_test.rego:7: the test rule is false or undefined
  | x: 1
  | y: 2

b_test.rego:
data.q_test.test_c: ERROR
  b_test.rego:2: eval_builtin_error: boom
data.q_test.todo_test_d: SKIPPED
` + strings.Repeat("-", 72) + `
PASS: 1/4
FAIL: 1/4
ERROR: 1/4
SKIPPED: 1/4

Coverage: 87.5%
  100.0%  a.rego
   75.0%  b.rego  (not covered: lines 9, 12-13)
`
	if buf.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", buf.String(), want)
	}
	if err := rep.WriteText(failingWriter{}); err == nil {
		t.Error("WriteText hides a write error")
	}
}

func TestWriteJSON(t *testing.T) {
	rep := &policytest.Report{
		Tests:   []policytest.Result{{Package: "data.p_test", Name: "test_a", File: "a_test.rego", Line: 3, Pass: true, DurationNS: 5}},
		Summary: policytest.Summary{Total: 1, Pass: 1},
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "tests": [
    {
      "package": "data.p_test",
      "name": "test_a",
      "file": "a_test.rego",
      "line": 3,
      "pass": true,
      "duration_ns": 5
    }
  ],
  "summary": {
    "total": 1,
    "pass": 1,
    "fail": 0,
    "error": 0,
    "skip": 0
  }
}
`
	if buf.String() != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", buf.String(), want)
	}
	var back policytest.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Summary != rep.Summary || !slices.Equal(back.Tests, rep.Tests) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
