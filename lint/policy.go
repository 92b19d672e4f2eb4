package lint

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/certgate/certgate/internal/readfile"
)

// Policy is the catalog entry of one rule package, read from its METADATA.
type Policy struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Remediation string   `json:"remediation"`
	Docs        string   `json:"docs"`
	// Inputs are the kinds of input the rule judges (custom.inputs): env,
	// compose, manifest, probe, carveout. Reports use them to tell "pass" from
	// "not covered by the given inputs".
	Inputs []string `json:"inputs,omitempty"`
	// Releases is the range of certctl releases the rule exists in
	// (custom.releases, for example ">=2.1.1"); empty for every release. The
	// package's `releases` constant carries the same range for Rego to judge.
	Releases string `json:"releases,omitempty"`
	// Joins (custom.joins) marks a rule that matches objects with each other
	// (selectors, autoscaler targets, releases): a partitioned evaluation
	// judges it once, over every object, instead of run by run.
	Joins bool `json:"joins,omitempty"`
	// Package is the Rego package path, for example data.certgate.sec_h1.
	Package string `json:"package"`
	// Kinds are the result rules the package defines (deny, warn, info).
	Kinds []string `json:"-"`
	// Builtin is false for --policy packages.
	Builtin bool `json:"builtin"`
}

// Inputs are the values custom.inputs may list.
var Inputs = []string{"env", "compose", "manifest", "probe", "host", "carveout"}

var releaseRange = regexp.MustCompile(`^(>=|<=|>|<|=)?[0-9]+\.[0-9]+\.[0-9]+( +(>=|<=|>|<|=)?[0-9]+\.[0-9]+\.[0-9]+)*$`)

var idPattern = regexp.MustCompile(`^(SEC|DEPL|CFG)-[A-Z0-9]+(-[A-Z0-9]+)*$`)

// resultKinds maps each result rule name to the severity of what it produces.
var resultKinds = map[string]Severity{"deny": SeverityError, "warn": SeverityWarning, "info": SeverityInfo}

// PolicyError is a policy that does not parse, compile or carry valid metadata.
type PolicyError struct {
	File string
	Err  error
}

func (e *PolicyError) Error() string { return fmt.Sprintf("policy %s: %v", e.File, e.Err) }
func (e *PolicyError) Unwrap() error { return e.Err }

// ErrNoPolicies is returned when a policy directory holds no .rego files.
var ErrNoPolicies = errors.New("no policies found")

// source is one policy file before compilation.
type source struct {
	name    string
	text    string
	builtin bool
	// origin and rel: see SourceFile.
	origin int
	rel    string
}

// readSources collects the non-test .rego files of fsys.
func readSources(fsys fs.FS, prefix string, builtin bool) ([]source, error) {
	var out []source
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return nil
		}
		read := readfile.RegularFS // a FIFO in a --policy directory is never opened
		if builtin {
			read = fs.ReadFile
		}
		b, err := read(fsys, path)
		if err != nil {
			return err
		}
		out = append(out, source{name: prefix + path, text: string(b), builtin: builtin})
		return nil
	})
	return out, err
}

// catalog parses the sources and reads one Policy per rule package.
func catalog(srcs []source) (map[string]*ast.Module, []Policy, error) {
	modules := make(map[string]*ast.Module, len(srcs))
	type pkgInfo struct {
		policy  *Policy
		metaErr error
		kinds   map[string]bool
		file    string
		builtin bool
	}
	pkgs := map[string]*pkgInfo{}
	var errs []error
	parsed := parseSources(srcs)
	for i, s := range srcs {
		m, err := parsed[i].module, parsed[i].err
		if err != nil {
			errs = append(errs, &PolicyError{File: s.name, Err: err})
			continue
		}
		modules[s.name] = m
		path := m.Package.Path.String()
		if !strings.HasPrefix(path, "data.certgate.") {
			errs = append(errs, &PolicyError{File: s.name, Err: fmt.Errorf("package %s is not under data.certgate", strings.TrimPrefix(path, "data."))})
			continue
		}
		info := pkgs[path]
		if info == nil {
			info = &pkgInfo{kinds: map[string]bool{}, file: s.name, builtin: s.builtin}
			pkgs[path] = info
		}
		for _, r := range m.Rules {
			if name := r.Head.Ref()[0].String(); resultKinds[name] != "" {
				info.kinds[name] = true
			}
		}
		for _, a := range m.Annotations {
			if a.Scope != "package" {
				continue
			}
			if info.policy != nil {
				errs = append(errs, &PolicyError{File: s.name, Err: fmt.Errorf("package %s has METADATA in more than one file", path)})
				continue
			}
			p, err := policyFromAnnotations(a)
			if err != nil {
				info.metaErr = &PolicyError{File: s.name, Err: err}
			}
			p.Package = path
			p.Builtin = s.builtin
			info.policy = &p
		}
	}
	var policies []Policy
	seen := map[string]string{}
	for path, info := range pkgs {
		if len(info.kinds) == 0 {
			continue // a helper package (data.certgate.lib)
		}
		if info.policy == nil {
			errs = append(errs, &PolicyError{File: info.file, Err: fmt.Errorf("package %s defines deny/warn/info but has no package METADATA with custom.id", strings.TrimPrefix(path, "data."))})
			continue
		}
		if info.metaErr != nil {
			errs = append(errs, info.metaErr)
			continue
		}
		p := *info.policy
		for k := range info.kinds {
			p.Kinds = append(p.Kinds, k)
		}
		slices.Sort(p.Kinds)
		if other, dup := seen[p.ID]; dup {
			errs = append(errs, &PolicyError{File: info.file, Err: fmt.Errorf("rule ID %s is already used by %s", p.ID, other)})
			continue
		}
		seen[p.ID] = path
		policies = append(policies, p)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	slices.SortFunc(policies, func(a, b Policy) int { return cmp.Compare(a.ID, b.ID) })
	return modules, policies, nil
}

// parsed is one source after parsing.
type parsed struct {
	module *ast.Module
	err    error
}

// parseSources parses every source as Rego v1 with annotations, on as many
// goroutines as there are processors: parsing is a third of compiling the
// catalog, and each file parses on its own. Results keep the order of srcs.
func parseSources(srcs []source) []parsed {
	out := make([]parsed, len(srcs))
	parse := func(i int) {
		m, err := ast.ParseModuleWithOpts(srcs[i].name, srcs[i].text, ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		out[i] = parsed{module: m, err: err}
	}
	workers := min(runtime.GOMAXPROCS(0), len(srcs))
	if workers <= 1 {
		for i := range srcs {
			parse(i)
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(srcs); i = int(next.Add(1) - 1) {
				parse(i)
			}
		})
	}
	wg.Wait()
	return out
}

func policyFromAnnotations(a *ast.Annotations) (Policy, error) {
	str := func(k string) string {
		if v, ok := a.Custom[k].(string); ok {
			return strings.TrimSpace(v)
		}
		return ""
	}
	p := Policy{
		ID:          str("id"),
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Severity:    Severity(str("severity")),
		Remediation: str("remediation"),
		Docs:        str("docs"),
		Releases:    str("releases"),
	}
	var err, joinsErr error
	switch v := a.Custom["joins"].(type) {
	case nil:
	case bool:
		p.Joins = v
	default:
		joinsErr = fmt.Errorf("custom.joins must be true or false")
	}
	switch v := a.Custom["inputs"].(type) {
	case nil:
	case []any:
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				err = fmt.Errorf("custom.inputs: %v is not a string", x)
				break
			}
			p.Inputs = append(p.Inputs, s)
		}
	default:
		err = fmt.Errorf("custom.inputs must be a list such as [env, probe]")
	}
	return p, errors.Join(err, joinsErr, p.Validate())
}

// Validate checks a catalog entry: an ID of the catalog's form, a title, a
// rationale, a known severity and a remediation that is a sentence.
func (p Policy) Validate() error {
	var errs []error
	if !idPattern.MatchString(p.ID) {
		errs = append(errs, fmt.Errorf("custom.id %q is not of the form SEC-H1, DEPL-M2 or CFG-BOOL", p.ID))
	}
	if p.Title == "" {
		errs = append(errs, errors.New("title is empty"))
	}
	if p.Description == "" {
		errs = append(errs, errors.New("description is empty"))
	}
	if p.Severity.Rank() < 0 {
		errs = append(errs, fmt.Errorf("custom.severity %q is not error, warning or info", p.Severity))
	}
	for _, k := range p.Inputs {
		if !slices.Contains(Inputs, k) {
			errs = append(errs, fmt.Errorf("custom.inputs: %q is not one of %s", k, strings.Join(Inputs, ", ")))
		}
	}
	if p.Releases != "" && !releaseRange.MatchString(p.Releases) {
		errs = append(errs, fmt.Errorf("custom.releases %q is not a range such as \">=2.1.1\" or \">=2.1.1 <2.2.0\"", p.Releases))
	}
	if !strings.HasSuffix(p.Remediation, ".") {
		errs = append(errs, errors.New("custom.remediation must be a sentence ending with a period"))
	}
	return errors.Join(errs...)
}

// digest hashes the sources in name order, so reports can name the catalog.
func digest(srcs []source) string {
	sorted := slices.Clone(srcs)
	slices.SortFunc(sorted, func(a, b source) int { return cmp.Compare(a.name, b.name) })
	h := sha256.New()
	for _, s := range sorted {
		fmt.Fprintf(h, "%s\x00%d\x00%s", s.name, len(s.text), s.text)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// checkOnlyStages are the compiler stages that only look for errors: they
// rewrite nothing the evaluator reads (the catalog replaces no function with
// `with`, the one use evaluation makes of the type checker's environment).
var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports,
	ast.StageCheckKeywordOverrides,
	ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls,
	ast.StageCheckRuleConflicts,
	ast.StageCheckUndefinedFuncs,
	ast.StageCheckSafetyRuleHeads,
	ast.StageCheckRecursion,
	ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
}

// newCompiler is the strict compiler for srcs. The built-in catalog alone
// skips the stages that only look for errors: it is embedded in the binary and
// passes every stage (TestBuiltinCatalogPassesEveryStage), so they would find
// nothing and cost a quarter of the compile. Any --policy source brings every
// stage back, for the whole catalog.
func newCompiler(srcs []source) *ast.Compiler {
	c := ast.NewCompiler().WithStrict(true)
	if !slices.ContainsFunc(srcs, func(s source) bool { return !s.builtin }) {
		c = c.WithSkipStages(checkOnlyStages...)
	}
	return c
}
