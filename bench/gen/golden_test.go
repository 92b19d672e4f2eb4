package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/bench/internal/workload"
	"github.com/certgate/certgate/internal/testutil"
)

// update rewrites the golden files from the current results:
//
//	go test ./bench/gen -run TestResultsUnchanged -update
var update = flag.Bool("update", false, "rewrite testdata/golden/bench from the current results")

// now is the clock of every run, so time-based rules judge alike on any day.
const now = "2026-06-01T00:00:00Z"

func TestMain(m *testing.M) { testutil.Main(m) }

// goldenFinding is what must not change: a finding's rule, severity,
// location, message and subject.
type goldenFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	Subject  string `json:"subject,omitempty"`
}

// result is one certgate lint run: its exit code, its findings in report
// order, and the message of a run that failed (exit 2).
type result struct {
	Input    string          `json:"input"`
	SHA256   string          `json:"sha256,omitempty"`
	Exit     int             `json:"exit"`
	Error    string          `json:"error,omitempty"`
	Findings []goldenFinding `json:"findings"`
}

// lintRun runs `certgate lint ARGS --now now -o json` in dir.
func lintRun(t *testing.T, bin, dir, input string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string{"lint"}, args...), "--now", now, "--format", "json")...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{Input: input, Findings: []goldenFinding{}}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.Exit = ee.ExitCode()
	default:
		t.Fatalf("certgate lint %s: %v", input, err)
	}
	if r.Exit == 2 {
		r.Error = strings.TrimSpace(stderr.String())
		return r
	}
	if r.Exit != 0 && r.Exit != 1 {
		t.Fatalf("certgate lint %s: exit %d: %s", input, r.Exit, stderr.String())
	}
	var rep struct {
		Findings []goldenFinding `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("certgate lint %s: JSON report: %v\n%s", input, err, stdout.String())
	}
	if rep.Findings != nil {
		r.Findings = rep.Findings
	}
	return r
}

// compare checks got against the golden file name (or rewrites it under -update).
func compare(t *testing.T, name string, got any) {
	t.Helper()
	path := filepath.Join(testutil.RepoRoot(t), "testdata", "golden", "bench", name)
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (go test ./bench/gen -run TestResultsUnchanged -update writes it)", err)
	}
	if !bytes.Equal(want, b) {
		t.Errorf("results differ from testdata/golden/bench/%s: %s", name, firstDifference(want, b))
	}
}

// firstDifference names the first line where two golden texts part.
func firstDifference(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, w, g)
		}
	}
	return "equal lines, different bytes"
}

// generated are the benchmark inputs at test size: the mixed stream as
// benchmarked, the 50 MiB stream scaled down 20 times, the join with N=200;
// then the mixed and join streams with faults, so the joins are seen to find
// what they should on large streams too.
var generated = []struct {
	kind   string
	n      int
	faults bool
}{
	{"mixed", 5000, false},
	{"big", 1756, false},
	{"join", 200, false},
	{"mixed", 5000, true},
	{"join", 200, true},
}

// TestResultsUnchanged lints every benchmark input at test size and compares
// the findings (rule, severity, location, message, subject, in report order)
// and the exit code with testdata/golden/bench. The generators are
// deterministic: the golden file records the sha256 of each input, so a
// changed generator shows as a changed input, not as changed results.
func TestResultsUnchanged(t *testing.T) {
	bin := testutil.CertgateBinary(t)
	for _, g := range generated {
		golden, generate := g.kind, workload.Generate
		if g.faults {
			golden, generate = g.kind+"-faults", workload.GenerateWithFaults
		}
		t.Run(golden, func(t *testing.T) {
			dir := t.TempDir()
			name := fmt.Sprintf("%s-%d.yaml", golden, g.n)
			var buf bytes.Buffer
			if err := generate(&buf, g.kind, g.n, workload.Seed); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(buf.Bytes())
			r := lintRun(t, bin, dir, name, name)
			r.SHA256 = hex.EncodeToString(sum[:])
			compare(t, golden+".json", r)
		})
	}
}

// TestGeneratorsDeterministic: the same kind, size and seed give the same
// bytes, and another seed other bytes.
func TestGeneratorsDeterministic(t *testing.T) {
	for _, k := range workload.Kinds {
		var a, b, c bytes.Buffer
		for _, x := range []struct {
			buf  *bytes.Buffer
			seed uint64
		}{{&a, workload.Seed}, {&b, workload.Seed}, {&c, workload.Seed + 1}} {
			if err := workload.Generate(x.buf, k.Name, 50, x.seed); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two runs with one seed differ", k.Name)
		}
		if bytes.Equal(a.Bytes(), c.Bytes()) {
			t.Errorf("%s: two seeds give the same stream", k.Name)
		}
	}
}

// composeFile names the file to lint in a compose fixture whose directory
// holds a file that is not a compose file name (an extends or include
// target), which certgate lint DIR refuses.
var composeFile = map[string]string{
	"testdata/compose/extends": "docker-compose.yml",
	"testdata/compose/include": "docker-compose.yml",
}

// fixtures are the repository's manifest and compose fixtures, as certgate
// lint sees them from the repository root (chart renders are left out).
func fixtures(t *testing.T, root string) [][]string {
	t.Helper()
	var out [][]string
	glob := func(pattern string, dirs bool) {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.IsDir() != dirs {
				continue
			}
			rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
			if f, ok := composeFile[rel]; ok {
				rel += "/" + f
			}
			out = append(out, []string{rel})
		}
	}
	glob("testdata/manifest/*.yaml", false)
	glob("testdata/roles/*.yaml", false)
	glob("testdata/mount/*.yaml", false)
	glob("testdata/mount/compose-*", true)
	glob("testdata/compose/*", true)
	if len(out) == 0 {
		t.Fatal("no fixtures found under testdata")
	}
	return out
}

// TestFixturesUnchanged lints each manifest and compose fixture of testdata
// from the repository root (with its certgate.yaml), and the audit fixture
// repository from its own root, and compares with testdata/golden/bench.
func TestFixturesUnchanged(t *testing.T) {
	bin := testutil.CertgateBinary(t)
	root, err := filepath.Abs(testutil.RepoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []result
	for _, args := range fixtures(t, root) {
		got = append(got, lintRun(t, bin, root, args[0], args...))
	}
	got = append(got, lintRun(t, bin, filepath.Join(root, "testdata", "audit", "repo"), "testdata/audit/repo"))
	if *update {
		compare(t, "fixtures.json", got)
		return
	}
	// Compared input by input, so a new or removed fixture is named as such.
	b, err := os.ReadFile(filepath.Join(root, "testdata", "golden", "bench", "fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want []result
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	byInput := map[string]result{}
	for _, w := range want {
		byInput[w.Input] = w
	}
	for _, g := range got {
		w, ok := byInput[g.Input]
		if !ok {
			t.Errorf("%s: no golden result (a new fixture? go test ./bench/gen -run TestFixturesUnchanged -update adds it, from the engine at hand)", g.Input)
			continue
		}
		delete(byInput, g.Input)
		wj, _ := json.MarshalIndent(w, "", "  ")
		gj, _ := json.MarshalIndent(g, "", "  ")
		if !bytes.Equal(wj, gj) {
			t.Errorf("%s: results differ from testdata/golden/bench/fixtures.json: %s", g.Input, firstDifference(wj, gj))
		}
	}
	for in := range byInput {
		t.Errorf("%s: in the golden file but no longer a fixture", in)
	}
}
