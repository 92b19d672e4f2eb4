package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint/policytest"
)

// userPolicies is the directory of the `certgate policies test` fixtures.
func userPolicies(name string) string {
	return filepath.Join("testdata", "userpolicies", name)
}

func TestPoliciesTestPasses(t *testing.T) {
	t.Chdir(repoRoot)
	r := runCLI(t, nil, "", "policies", "test", userPolicies("example"))
	if r.code != 0 || r.err != "" {
		t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"testdata/userpolicies/example/auth_type_test.rego:\n",
		"data.certgate.user.auth_type_test.test_unset_is_denied: PASS\n",
		"data.certgate.user.auth_type_test.test_empty_is_denied: PASS\n",
		"data.certgate.user.auth_type_test.test_set_passes: PASS\n",
		"PASS: 3/3\n",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "FAIL") || strings.Contains(r.out, "Coverage") {
		t.Errorf("unexpected output:\n%s", r.out)
	}
}

func TestPoliciesTestFails(t *testing.T) {
	t.Chdir(repoRoot)
	r := runCLI(t, nil, "", "policies", "test", userPolicies("failing"))
	if r.code != 1 {
		t.Fatalf("a failing test: code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	for _, want := range []string{
		"data.certgate.user.cors_test.test_unset_warns: PASS\n",
		"data.certgate.user.cors_test.test_listed_origin_warns: FAIL\n",
		"  testdata/userpolicies/failing/cors_test.rego:12: the test rule is false or undefined\n",
		"  | warnings: 0\n", // print() output of the failing test
		"data.certgate.user.cors_test.test_builtin_error: ERROR\n",
		`to_number: strconv.ParseFloat: parsing "not a number"`,
		"PASS: 1/3\nFAIL: 1/3\nERROR: 1/3\n",
	} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	// The passing tests of a directory with failing ones, alone, pass.
	r = runCLI(t, nil, "", "policies", "test", userPolicies("failing"), "--run", `test_unset_warns$`)
	if r.code != 0 || !strings.Contains(r.out, "PASS: 1/1\n") {
		t.Fatalf("--run: code=%d out=%q err=%q", r.code, r.out, r.err)
	}
}

// TestPoliciesTestJSON checks the JSON shape: its keys, its order (file, line)
// and its summary, with coverage of the user's policy files only.
func TestPoliciesTestJSON(t *testing.T) {
	t.Chdir(repoRoot)
	r := runCLI(t, nil, "", "policies", "test", userPolicies("failing"), userPolicies("example"), "--format", "json", "--coverage")
	if r.code != 1 {
		t.Fatalf("code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.out), &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if keys := sortedKeys(raw); !slices.Equal(keys, []string{"coverage", "summary", "tests"}) {
		t.Fatalf("top-level keys %v", keys)
	}
	var tests []map[string]any
	if err := json.Unmarshal(raw["tests"], &tests); err != nil {
		t.Fatal(err)
	}
	type row struct {
		name string
		pass bool
		keys []string
	}
	want := []row{
		{"test_unset_is_denied", true, []string{"duration_ns", "file", "line", "name", "package", "pass"}},
		{"test_empty_is_denied", true, []string{"duration_ns", "file", "line", "name", "package", "pass"}},
		{"test_set_passes", true, []string{"duration_ns", "file", "line", "name", "package", "pass"}},
		{"test_unset_warns", true, []string{"duration_ns", "file", "line", "name", "package", "pass"}},
		{"test_listed_origin_warns", false, []string{"duration_ns", "fail_reason", "file", "line", "name", "output", "package", "pass"}},
		{"test_builtin_error", false, []string{"duration_ns", "error", "fail_reason", "file", "line", "name", "package", "pass"}},
	}
	if len(tests) != len(want) {
		t.Fatalf("%d tests, want %d:\n%s", len(tests), len(want), r.out)
	}
	for i, w := range want {
		got := tests[i]
		if got["name"] != w.name || got["pass"] != w.pass || !slices.Equal(sortedKeys(got), w.keys) {
			t.Errorf("test %d: %v, want name %s pass %v keys %v", i, got, w.name, w.pass, w.keys)
		}
		if !strings.HasPrefix(got["package"].(string), "data.certgate.user.") {
			t.Errorf("test %d: package %v", i, got["package"])
		}
	}
	if tests[4]["output"] != "warnings: 0\n" || tests[4]["line"] != float64(12) {
		t.Errorf("failing test: %v", tests[4])
	}
	var summary map[string]int
	if err := json.Unmarshal(raw["summary"], &summary); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"total": 6, "pass": 4, "fail": 1, "error": 1, "skip": 0}; !mapsEqual(summary, want) {
		t.Errorf("summary %v, want %v", summary, want)
	}
	var cov policytest.Coverage
	dec := json.NewDecoder(bytes.NewReader(raw["coverage"]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cov); err != nil {
		t.Fatal(err)
	}
	wantCov := policytest.Coverage{Percent: 83.3, Files: []policytest.FileCoverage{
		{File: "testdata/userpolicies/example/auth_type.rego", Percent: 100, CoveredLines: 4},
		// The second warn rule: its head and its finding are never reached.
		{File: "testdata/userpolicies/failing/cors.rego", Percent: 75, CoveredLines: 6, NotCoveredLines: 2, NotCovered: []policytest.LineRange{{Start: 19, End: 19}, {Start: 22, End: 22}}},
	}}
	if !coverageEqual(cov, wantCov) {
		t.Errorf("coverage %+v, want %+v", cov, wantCov)
	}
	r = runCLI(t, nil, "", "policies", "test", userPolicies("example"), "--coverage")
	if r.code != 0 || !strings.Contains(r.out, "\nCoverage: 100.0%\n  100.0%  testdata/userpolicies/example/auth_type.rego\n") {
		t.Errorf("text coverage: code=%d out=%q err=%q", r.code, r.out, r.err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func coverageEqual(a, b policytest.Coverage) bool {
	return a.Percent == b.Percent && slices.EqualFunc(a.Files, b.Files, func(x, y policytest.FileCoverage) bool {
		return x.File == y.File && x.Percent == y.Percent && x.CoveredLines == y.CoveredLines &&
			x.NotCoveredLines == y.NotCoveredLines && slices.Equal(x.NotCovered, y.NotCovered)
	})
}

// TestPoliciesTestErrors: what cannot be tested is exit 2 with one line that
// names the problem, never a pass.
func TestPoliciesTestErrors(t *testing.T) {
	t.Chdir(repoRoot)
	unparsable := t.TempDir()
	if err := os.CopyFS(unparsable, os.DirFS(userPolicies("example"))); err != nil {
		t.Fatal(err)
	}
	writeFile(t, unparsable, "more_test.rego", "package certgate.user.more_test\n\ntest_x if {\n")
	nometa := t.TempDir()
	writeFile(t, nometa, "nometa.rego", "package certgate.user.nometa\n\ndeny contains \"x\" if true\n")
	writeFile(t, nometa, "nometa_test.rego", "package certgate.user.nometa_test\n\ntest_x if true\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"policy does not compile", []string{userPolicies("broken")}, "broken.rego:14: rego_type_error: undefined function data.certgate.lib.no_such_helper"},
		{"test does not compile", []string{userPolicies("brokentest")}, "ok_test.rego:7: rego_unsafe_var_error: var unbound_var is unsafe"},
		{"test does not parse", []string{unparsable}, "more_test.rego:4: rego_parse_error: unexpected eof token"},
		{"no METADATA", []string{nometa}, "no package METADATA"},
		{"no tests", []string{userPolicies("notests")}, "no tests found in testdata/userpolicies/notests"},
		{"--run matches nothing", []string{userPolicies("example"), "--run", "nothing_is_called_this"}, `no test matches --run "nothing_is_called_this"`},
		{"bad --run", []string{userPolicies("example"), "--run", "("}, "--run: error parsing regexp"},
		{"bad --format", []string{userPolicies("example"), "--format", "sarif"}, `--format "sarif": use text or json`},
		{"missing directory", []string{userPolicies("no-such-dir")}, "no-such-dir"},
		{"no directory", nil, "requires at least 1 arg"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"policies", "test"}, c.args...)...)
			if r.code != 2 || !strings.Contains(r.err, c.want) || r.out != "" {
				t.Fatalf("code=%d out=%q err=%q, want exit 2 and %q", r.code, r.out, r.err, c.want)
			}
			if strings.Contains(r.err, "goroutine ") || strings.Count(strings.TrimSpace(r.err), "\n") > 1 {
				t.Fatalf("not a short message: %q", r.err)
			}
		})
	}
}

// TestReadmeWritingPolicies: the README's rule and test are the files of
// testdata/userpolicies/example, their tests pass, and --policy loads the rule.
func TestReadmeWritingPolicies(t *testing.T) {
	t.Chdir(repoRoot)
	blocks := testutil.ReadmeBlocks(t, "## Writing policies", "rego")
	files := []string{"auth_type.rego", "auth_type_test.rego"}
	if len(blocks) != len(files) {
		t.Fatalf("the Writing policies section has %d rego blocks, want %d (the rule and its test)", len(blocks), len(files))
	}
	for i, f := range files {
		b, err := os.ReadFile(filepath.Join(userPolicies("example"), f))
		if err != nil {
			t.Fatal(err)
		}
		if blocks[i] != string(b) {
			t.Errorf("README block %d differs from testdata/userpolicies/example/%s", i+1, f)
		}
	}
	sh := strings.Join(testutil.ReadmeBlocks(t, "## Writing policies", "sh"), "")
	if !strings.Contains(sh, "certgate policies test my-policies/\n") {
		t.Errorf("the Writing policies section does not show certgate policies test:\n%s", sh)
	}
	if r := runCLI(t, nil, "", "policies", "test", userPolicies("example")); r.code != 0 {
		t.Fatalf("policies test: code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	if r := runCLI(t, nil, "", "policies", "list", "--policy", userPolicies("example")); r.code != 0 || !strings.Contains(r.out, "CFG-AUTH-TYPE") {
		t.Fatalf("policies list --policy: code=%d out=%q err=%q", r.code, r.out, r.err)
	}
	// The rule finds what it says, and only that, through lint --policy.
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", "services:\n  certctl:\n    image: ghcr.io/certctl/certctl-server:2.2.0\n    environment:\n      CERTCTL_AUTH_TYPE: \"\"\n")
	r := runCLI(t, nil, "", "lint", "--policy", userPolicies("example"), "--format", "json", dir)
	if r.code == 2 || !strings.Contains(r.out, `"rule": "CFG-AUTH-TYPE"`) {
		t.Fatalf("lint --policy: code=%d out=%q err=%q", r.code, r.out, r.err)
	}
}
