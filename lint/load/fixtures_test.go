package load_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/load"
	"github.com/certgate/certgate/lint/run"
)

// TestKindsTable: every entry of the registration table is complete, named
// once, and has fixtures under testdata/<name> or a test that names it.
func TestKindsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range load.Kinds {
		if k.Name == "" || k.Doc == "" || (k.Detect == nil && k.Explicit == nil) || k.Load == nil {
			t.Errorf("incomplete kind %+v", k)
		}
		if seen[k.Name] {
			t.Errorf("kind %s registered twice", k.Name)
		}
		seen[k.Name] = true
	}
	for _, want := range []string{"compose", "chart", "manifest", "env"} {
		if !seen[want] {
			t.Errorf("kind %s is not registered", want)
		}
	}
}

// A "# want: RULE..." comment ends a line of a fixture file and lists the
// findings expected on that line. A token is a rule ID, optionally with the
// severity expected (RULE:error, RULE:warning, RULE:info) or "waived" (a
// finding a carve-out waives, RULE:waived). Findings are compared as a set of
// (file, line, rule): one token stands for every finding of the rule on the
// line (a base file judged alone and with an overlay reports twice).
var wantComment = regexp.MustCompile(`# want: ([A-Za-z0-9 :-]+)$`)

var wantToken = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+(:(error|warning|info|waived))?$`)

// repoRoot is the repository root.
var repoRoot = func() string {
	abs, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return abs
}()

// fixtureNow is the clock of a fixture that names none.
var fixtureNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// fixture is one case of the fixture driver: files on disk (a fixture of
// testdata/manifest, or a txtar archive extracted to a temporary directory),
// how to lint them, and the findings expected.
type fixture struct {
	name string // the fixture's path from the repository root
	// dir is the root of the run, a temporary directory holding the
	// fixture's files: its certgate.yaml (if any) is read, reported paths
	// are relative to it.
	dir string
	// Header of a txtar archive (its comment), one "key: value" a line:
	version string    // certctl-version: the target release (else certgate.yaml's, else image tags and the default)
	now     time.Time // now: the clock, a date (2006-01-02) or RFC 3339
	paths   []string  // lint: paths to lint, relative to dir (default: .)
	opts    load.Options
	// want holds "file:line RULE[:qualifier]": from the # want: comments of
	// the files in dir, and from want: lines of the header for files outside
	// it (the repository's chart), written FILE:KEY RULE... where KEY is a
	// dotted key of a values file, or FILE RULE... (any line of FILE, written
	// as line 0).
	want []string
}

// fixtureResult is what one fixture's run gives.
type fixtureResult struct {
	fx       fixture
	report   *lint.Report
	input    *lint.Input
	err      error
	fired    map[string]bool // rule IDs with a finding
	judged   map[string]bool // input kinds present (env, compose, manifest, carveout)
	got      []string        // compared with fx.want
	wantKeys []string
}

// fixtureFiles lists the fixtures: testdata/manifest/*.yaml and
// testdata/fixtures/*/*.txtar.
func fixtureFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{
		filepath.Join("testdata", "manifest", "*.yaml"),
		filepath.Join("testdata", "fixtures", "*", "*.txtar"),
	} {
		m, err := filepath.Glob(filepath.Join(repoRoot, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			rel, _ := filepath.Rel(repoRoot, p)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixtures")
	}
	return out
}

// readFixture prepares one fixture; an archive is extracted under tmp.
func readFixture(name, tmp string) (fixture, error) {
	fx := fixture{name: name, now: fixtureNow}
	src := filepath.Join(repoRoot, filepath.FromSlash(name))
	if !strings.HasSuffix(name, ".txtar") {
		// A manifest stream: linted under its repository path in a
		// directory of its own, whose certgate.yaml (none) is the run's, not
		// the repository's.
		b, err := os.ReadFile(src)
		if err != nil {
			return fx, err
		}
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fx, err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fx, err
		}
		fx.dir, fx.paths = tmp, []string{name}
		fx.version = lint.DefaultCertctlVersion
		fx.want = wants(name, b)
		return fx, nil
	}
	ar, err := txtar.ParseFile(src)
	if err != nil {
		return fx, err
	}
	fx.dir = tmp
	for _, f := range ar.Files {
		p := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if !filepath.IsLocal(filepath.FromSlash(f.Name)) {
			return fx, fmt.Errorf("%s: file name %q leaves the archive", name, f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fx, err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fx, err
		}
		fx.want = append(fx.want, wants(f.Name, f.Data)...)
	}
	local := func(p string) string { return filepath.Join(tmp, filepath.FromSlash(p)) }
	for i, line := range strings.Split(string(ar.Comment), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		if !ok || val == "" {
			return fx, fmt.Errorf("%s:%d: want \"key: value\" in the header, got %q", name, i+1, line)
		}
		switch key {
		case "certctl-version":
			fx.version = val
		case "now":
			layout := time.RFC3339
			if len(val) == len(time.DateOnly) {
				layout = time.DateOnly
			}
			if fx.now, err = time.Parse(layout, val); err != nil {
				return fx, fmt.Errorf("%s:%d: %v", name, i+1, err)
			}
		case "lint":
			for _, p := range strings.Fields(val) {
				fx.paths = append(fx.paths, local(p))
			}
		case "chart":
			// A chart of the repository (charts/certctl), rendered with the
			// archive's values files.
			fx.paths = append(fx.paths, filepath.Join(repoRoot, filepath.FromSlash(val)))
		case "env-file":
			fx.opts.Compose.EnvFiles = append(fx.opts.Compose.EnvFiles, local(val))
		case "compose":
			fx.opts.Compose.Files = append(fx.opts.Compose.Files, local(val))
		case "values":
			// A values file of the archive, or of the repository (repo:PATH).
			if p, ok := strings.CutPrefix(val, "repo:"); ok {
				fx.opts.Chart.Values = append(fx.opts.Chart.Values, filepath.Join(repoRoot, filepath.FromSlash(p)))
			} else {
				fx.opts.Chart.Values = append(fx.opts.Chart.Values, local(val))
			}
		case "set":
			fx.opts.Chart.Set = append(fx.opts.Chart.Set, val)
		case "want":
			w, err := headerWant(val, tmp)
			if err != nil {
				return fx, fmt.Errorf("%s:%d: %v", name, i+1, err)
			}
			fx.want = append(fx.want, w...)
		default:
			return fx, fmt.Errorf("%s:%d: unknown header key %q", name, i+1, key)
		}
	}
	if len(ar.Files) == 0 && fx.paths == nil {
		return fx, fmt.Errorf("%s: an archive without files or a chart", name)
	}
	if fx.paths == nil {
		fx.paths = []string{tmp}
	}
	return fx, nil
}

// wants reads the # want: comments of one file (named as reported).
func wants(file string, src []byte) []string {
	var out []string
	for i, line := range strings.Split(string(src), "\n") {
		if m := wantComment.FindStringSubmatch(line); m != nil {
			for _, tok := range strings.Fields(m[1]) {
				out = append(out, fmt.Sprintf("%s:%d %s", file, i+1, tok))
			}
		}
	}
	return out
}

// headerWant reads "FILE[:KEY] RULE..." of a header want: line. FILE is a
// file of the archive or, when the archive has none of that name, a path
// from the repository root. KEY is a dotted key of that YAML file whose
// value's line the findings are on, or a line number (for a line that cannot
// end in a # want: comment: an inline certgate:ignore comment's own line).
// Without KEY, the findings may be on any line of FILE.
func headerWant(val, dir string) ([]string, error) {
	fields := strings.Fields(val)
	if len(fields) < 2 {
		return nil, fmt.Errorf("want: FILE[:KEY] RULE..., got %q", val)
	}
	file, key, _ := strings.Cut(fields[0], ":")
	path := filepath.Join(dir, filepath.FromSlash(file))
	if _, err := os.Stat(path); err != nil {
		path = filepath.Join(repoRoot, filepath.FromSlash(file))
	}
	line := 0
	if n, err := strconv.Atoi(key); err == nil {
		if n < 1 {
			return nil, fmt.Errorf("want: line %d of %s", n, file)
		}
		if _, err := os.Stat(path); err != nil {
			return nil, err
		}
		line = n
	} else if key != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var n yaml.Node
		if err := yaml.Unmarshal(b, &n); err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		var keys []any
		for _, k := range strings.Split(key, ".") {
			keys = append(keys, k)
		}
		if line, _ = (lint.YAMLLocator{Docs: []*yaml.Node{&n}}).KeyPosition(0, keys); line == 0 {
			return nil, fmt.Errorf("%s has no key %s", file, key)
		}
	}
	var out []string
	for _, tok := range fields[1:] {
		out = append(out, fmt.Sprintf("%s:%d %s", file, line, tok))
	}
	return out, nil
}

// runFixture lints a fixture as certgate lint does, through the library
// runner (lint/run): certgate.yaml of the fixture's directory, the target
// release and clock of its header, loading, and the carve-out step
// (certgate.yaml's register and inline comments) around evaluation.
func runFixture(ctx context.Context, eng *lint.Engine, fx fixture) (*lint.Input, *lint.Report, error) {
	r := run.Runner{
		Root:    fx.dir,
		Now:     fx.now,
		Compose: fx.opts.Compose,
		Chart:   fx.opts.Chart,
		Compile: func(context.Context) (*lint.Engine, error) { return eng, nil },
	}
	if fx.version != "" {
		v, err := lint.NormalizeVersion(fx.version)
		if err != nil {
			return nil, nil, fmt.Errorf("certctl-version: %w", err)
		}
		r.Release, r.ReleaseSource = v, lint.ReleaseFromFlag
	}
	paths := make([]string, len(fx.paths))
	for i, p := range fx.paths {
		paths[i] = p
		if !filepath.IsAbs(p) {
			paths[i] = filepath.Join(fx.dir, p)
		}
	}
	res, err := r.Run(ctx, paths)
	if err != nil {
		return nil, nil, err
	}
	return res.Input, res.Report, nil
}

// compare builds the (file, line, rule) set of a report, each token in the
// form the wants of its place use: with the severity (or "waived") when a
// want at that place names one.
func compare(fx fixture, r *lint.Report) (got, want []string) {
	qualified := map[string]bool{} // "file:line RULE" with a qualifier in the wants
	for _, w := range fx.want {
		place, tok, _ := strings.Cut(w, " ")
		if rule, _, ok := strings.Cut(tok, ":"); ok {
			qualified[place+" "+rule] = true
		}
	}
	anyLine := map[string]bool{} // "file RULE" wanted at any line
	for _, w := range fx.want {
		place, tok, _ := strings.Cut(w, " ")
		if file, ok := strings.CutSuffix(place, ":0"); ok {
			rule, _, _ := strings.Cut(tok, ":")
			anyLine[file+" "+rule] = true
		}
	}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		file := f.File
		if filepath.IsAbs(file) {
			// A values file named by its absolute path (as -f names it), or a
			// file outside the run's root: the repository's chart.
			for _, root := range []string{fx.dir, repoRoot} {
				if rel, err := filepath.Rel(root, file); err == nil && filepath.IsLocal(rel) {
					file = filepath.ToSlash(rel)
					break
				}
			}
		}
		place := fmt.Sprintf("%s:%d", file, f.Line)
		tok := f.Rule
		if anyLine[file+" "+f.Rule] {
			place = file + ":0"
		}
		switch {
		case qualified[place+" "+f.Rule] && f.Carveout != nil:
			tok += ":waived"
		case qualified[place+" "+f.Rule]:
			tok += ":" + string(f.Severity)
		}
		if k := place + " " + tok; !seen[k] {
			seen[k] = true
			got = append(got, k)
		}
	}
	want = slices.Clone(fx.want)
	slices.Sort(got)
	slices.Sort(want)
	return got, slices.Compact(want)
}

var (
	fixtureOnce    sync.Once
	fixtureResults []fixtureResult
	fixtureErr     error
)

// allFixtures runs every fixture once for the tests of this file.
func allFixtures(t *testing.T) []fixtureResult {
	t.Helper()
	fixtureOnce.Do(func() {
		ctx := context.Background()
		eng, err := lint.New(ctx)
		if err != nil {
			fixtureErr = err
			return
		}
		tmp, err := os.MkdirTemp("", "certgate-fixtures-")
		if err != nil {
			fixtureErr = err
			return
		}
		defer os.RemoveAll(tmp)
		for i, name := range fixtureFiles(t) {
			dir := filepath.Join(tmp, fmt.Sprint(i))
			res := fixtureResult{}
			res.fx, res.err = readFixture(name, dir)
			if res.err == nil {
				res.input, res.report, res.err = runFixture(ctx, eng, res.fx)
			}
			if res.err == nil {
				res.got, res.wantKeys = compare(res.fx, res.report)
				res.fired, res.judged = map[string]bool{}, judgedKinds(res.input)
				for _, f := range res.report.Findings {
					res.fired[f.Rule] = true
				}
			}
			fixtureResults = append(fixtureResults, res)
		}
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureResults
}

// judgedKinds are the input kinds (custom.inputs) an input holds.
func judgedKinds(in *lint.Input) map[string]bool {
	k := map[string]bool{}
	if len(in.Envs) > 0 {
		k["env"] = true
	}
	if len(in.Compose) > 0 {
		k["compose"] = true
	}
	if len(in.Manifests) > 0 {
		k["manifest"] = true
	}
	if len(in.Carveouts) > 0 {
		k["carveout"] = true
	}
	return k
}

// TestFixtures is the driver of the fixtures: testdata/manifest/*.yaml (a
// stream each) and testdata/fixtures/{compose,chart,...}/*.txtar (the files
// of one case: compose files, overlays, .env files, values files,
// certgate.yaml). Each fails on both missing and unexpected findings, at every
// severity; testdata/fixtures/README.md describes the format.
func TestFixtures(t *testing.T) {
	for _, res := range allFixtures(t) {
		t.Run(strings.TrimPrefix(res.fx.name, "testdata/"), func(t *testing.T) {
			if res.err != nil {
				t.Fatal(res.err)
			}
			if !slices.Equal(res.got, res.wantKeys) {
				t.Errorf("findings (file:line rule)\n got: %q\nwant: %q", res.got, res.wantKeys)
				for _, f := range res.report.Findings {
					t.Logf("%s:%d:%d %s %s: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message)
				}
			}
			for _, w := range res.fx.want {
				if _, tok, _ := strings.Cut(w, " "); !wantToken.MatchString(tok) {
					t.Errorf("want token %q is not RULE or RULE:error|warning|info|waived", tok)
				}
			}
		})
	}
}
