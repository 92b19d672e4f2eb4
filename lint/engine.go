package lint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/certgate/certgate/lint/redact"
	"github.com/certgate/certgate/policies"
)

// Engine holds the compiled catalog and one prepared query over every rule
// package. Build it once with New; Eval is safe for concurrent use.
type Engine struct {
	policies []Policy
	byPkg    map[string]*Policy
	digest   string
	query    rego.PreparedEvalQuery
	// parts evaluates large inputs in partitions (partition.go); nil when the
	// catalog holds sources other than the built-in one.
	parts *partitioner
}

// Option configures New.
type Option func(*engineConfig)

type engineConfig struct {
	builtins bool
	extra    []fs.FS
	dirs     []string
	inputs   []string
}

// WithInputs compiles only the rules that judge one of these input kinds
// (their custom.inputs; a rule that declares none judges "env"). The startup
// gate uses it: it sees environments and probes, never manifests, so it need
// not compile the chart rules.
func WithInputs(kinds ...string) Option {
	return func(c *engineConfig) { c.inputs = append(c.inputs, kinds...) }
}

// WithPolicyDir adds the .rego files under dir (not its _test.rego files) next to
// the built-in catalog, as --policy does.
func WithPolicyDir(dir string) Option {
	return func(c *engineConfig) { c.dirs = append(c.dirs, dir) }
}

// WithPolicyFS adds the .rego files of fsys next to the built-in catalog.
func WithPolicyFS(fsys fs.FS) Option {
	return func(c *engineConfig) { c.extra = append(c.extra, fsys) }
}

// WithoutBuiltins leaves the embedded catalog out (tests of user policies).
func WithoutBuiltins() Option {
	return func(c *engineConfig) { c.builtins = false }
}

// evalPackage is the generated module that gathers every rule's results.
const evalPackage = "certgate_engine"

// New parses, validates and strictly compiles the catalog and prepares the query.
// Any problem is returned as an error; a nil Engine never evaluates.
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	cfg := configOf(opts)
	srcs, err := cfg.sources()
	if err != nil {
		return nil, err
	}
	modules, pols, err := catalog(srcs)
	if err != nil {
		return nil, err
	}
	if len(cfg.inputs) > 0 {
		pols = onlyJudging(modules, pols, cfg.inputs)
	}
	gen, err := ast.ParseModuleWithOpts("certgate_engine.rego", generated(pols), ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, fmt.Errorf("generated query module: %w", err)
	}
	modules["certgate_engine.rego"] = gen
	compiler := newCompiler(srcs)
	if compiler.Compile(modules); compiler.Failed() {
		return nil, &PolicyError{File: "catalog", Err: compileErrors(compiler.Errors)}
	}
	pq, err := rego.New(
		rego.Compiler(compiler),
		rego.Query("data."+evalPackage+".results"),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policy query: %w", err)
	}
	e := &Engine{policies: pols, byPkg: map[string]*Policy{}, digest: digest(srcs), query: pq}
	if cfg.builtins && len(cfg.dirs) == 0 && len(cfg.extra) == 0 {
		e.parts = &partitioner{compiler: compiler}
	}
	for i := range e.policies {
		e.byPkg[e.policies[i].Package] = &e.policies[i]
	}
	return e, nil
}

// configOf applies opts to the defaults (the built-in catalog included).
func configOf(opts []Option) engineConfig {
	cfg := engineConfig{builtins: true}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// sources reads the policy files of cfg (never a _test.rego file): the
// built-in catalog, then each --policy directory and file system, numbered
// from 1 in that order. New compiles them; Sources and CatalogDigest read
// exactly the same files.
func (cfg engineConfig) sources() ([]source, error) {
	var srcs []source
	add := func(s []source, prefix string, origin int) {
		for _, f := range s {
			f.origin, f.rel = origin, strings.TrimPrefix(f.name, prefix)
			srcs = append(srcs, f)
		}
	}
	if cfg.builtins {
		s, err := readSources(policies.FS, "policies/", true)
		if err != nil {
			return nil, fmt.Errorf("read built-in policies: %w", err)
		}
		add(s, "policies/", 0)
	}
	origin := 0
	for _, dir := range cfg.dirs {
		if st, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("policy directory: %w", err)
		} else if !st.IsDir() {
			return nil, fmt.Errorf("policy directory %s: not a directory", dir)
		}
		prefix := strings.TrimSuffix(dir, "/") + "/"
		s, err := readSources(os.DirFS(dir), prefix, false)
		if err != nil {
			return nil, fmt.Errorf("read policy directory %s: %w", dir, err)
		}
		if len(s) == 0 {
			return nil, fmt.Errorf("policy directory %s: %w", dir, ErrNoPolicies)
		}
		origin++
		add(s, prefix, origin)
	}
	for _, fsys := range cfg.extra {
		s, err := readSources(fsys, "", false)
		if err != nil {
			return nil, fmt.Errorf("read policies: %w", err)
		}
		origin++
		add(s, "", origin)
	}
	if len(srcs) == 0 {
		return nil, ErrNoPolicies
	}
	return srcs, nil
}

// onlyJudging keeps the policies that judge one of kinds and drops the modules
// of the others from modules; helper packages stay.
func onlyJudging(modules map[string]*ast.Module, pols []Policy, kinds []string) []Policy {
	var kept []Policy
	drop := map[string]bool{}
	for _, p := range pols {
		judged := p.Inputs
		if len(judged) == 0 {
			judged = []string{"env"}
		}
		if slices.ContainsFunc(judged, func(k string) bool { return slices.Contains(kinds, k) }) {
			kept = append(kept, p)
		} else {
			drop[p.Package] = true
		}
	}
	for name, m := range modules {
		if drop[m.Package.Path.String()] {
			delete(modules, name)
		}
	}
	dropUnusedHelpers(modules, kept)
	return kept
}

// dropUnusedHelpers removes the modules of helper packages that no kept rule
// refers to, through an import or a data reference, directly or through
// another helper it keeps: the gate's engine compiles no Kubernetes helpers
// (data.certgate.lib.k8s) it never calls. A reference keeps every package
// that is a prefix of it, so nothing a kept rule reads can be dropped.
func dropUnusedHelpers(modules map[string]*ast.Module, kept []Policy) {
	byPkg := map[string][]*ast.Module{}
	for _, m := range modules {
		byPkg[m.Package.Path.String()] = append(byPkg[m.Package.Path.String()], m)
	}
	used := map[string]bool{}
	var visit func(pkg string)
	visit = func(pkg string) {
		if used[pkg] {
			return
		}
		used[pkg] = true
		for _, m := range byPkg[pkg] {
			var refs []string
			for _, imp := range m.Imports {
				refs = append(refs, imp.Path.String())
			}
			ast.WalkRefs(m, func(r ast.Ref) bool {
				if r.HasPrefix(ast.DefaultRootRef) {
					refs = append(refs, r.String())
				}
				return false
			})
			for other := range byPkg {
				if slices.ContainsFunc(refs, func(r string) bool {
					return r == other || strings.HasPrefix(r, other+".") || strings.HasPrefix(r, other+"[")
				}) {
					visit(other)
				}
			}
		}
	}
	for _, p := range kept {
		visit(p.Package)
	}
	for name, m := range modules {
		if !used[m.Package.Path.String()] {
			delete(modules, name)
		}
	}
}

// compileErrors keeps every compiler message, each with its file and line.
func compileErrors(errs ast.Errors) error {
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		out = append(out, errors.New(e.Error()))
	}
	return errors.Join(out...)
}

// generated writes the module that collects [package, kind, finding] triples
// from every rule package, so one prepared query evaluates the whole catalog.
func generated(pols []Policy) string {
	var b strings.Builder
	b.WriteString("package " + evalPackage + "\n\n")
	for _, p := range pols {
		for _, k := range p.Kinds {
			fmt.Fprintf(&b, "results contains [%q, %q, f] if some f in %s.%s\n", p.Package, k, p.Package, k)
		}
	}
	// The same results split for a partitioned evaluation (partition.go):
	// the rules that join objects, and those that judge one at a time.
	for _, p := range pols {
		set := "local"
		if p.Joins {
			set = "cross"
		}
		for _, k := range p.Kinds {
			fmt.Fprintf(&b, "%s contains [%q, %q, f] if some f in %s.%s\n", set, p.Package, k, p.Package, k)
		}
	}
	b.WriteString("local contains 0 if false\n\ncross contains 0 if false\n")
	if len(pols) == 0 {
		b.WriteString("results := set()\n")
	}
	return b.String()
}

// Policies returns the catalog, sorted by ID.
func (e *Engine) Policies() []Policy { return e.policies }

// Digest identifies the exact policy sources the engine was built from.
func (e *Engine) Digest() string { return e.digest }

// EvalError is an evaluation that did not complete; the input must not be
// considered checked.
type EvalError struct{ Err error }

func (e *EvalError) Error() string { return "evaluate policies: " + e.Err.Error() }
func (e *EvalError) Unwrap() error { return e.Err }

// Eval evaluates in against the catalog and returns the located, sorted report.
func (e *Engine) Eval(ctx context.Context, in *Input) (*Report, error) {
	raw, err := e.evalRaw(ctx, in)
	if err != nil {
		return nil, err
	}
	files := make(map[string]*File, len(in.Files))
	for _, f := range in.Files {
		if files[f.ID] == nil {
			files[f.ID] = f // the first file with an ID, as Input.File finds it
		}
	}
	findings := make([]Finding, 0, len(raw))
	for _, r := range raw {
		findings = append(findings, e.finding(files, r))
	}
	r := NewReport(findings)
	r.Checked = checkedOf(in)
	if in.Meta.CertctlVersion != "" {
		r.Target = &Target{CertctlVersion: in.Meta.CertctlVersion, Source: in.Meta.CertctlVersionSource}
		for _, e := range in.Envs {
			if e.Release != "" && !slices.Contains(r.Target.FromImage, e.Release) {
				r.Target.FromImage = append(r.Target.FromImage, e.Release)
			}
		}
		slices.Sort(r.Target.FromImage)
	}
	return r, nil
}

// rawResult is one {msg, ref, subject} produced by a rule package, with the
// finding's own remediation when it carries one.
type rawResult struct {
	pkg, kind, msg, subject, remediation string
	ref                                  *Ref
}

func (e *Engine) evalRaw(ctx context.Context, in *Input) ([]rawResult, error) {
	if e.parts != nil {
		if parts := e.parts.split(in); parts != nil {
			return e.evalParts(ctx, in, parts)
		}
	}
	v, err := in.value()
	if err != nil {
		return nil, &EvalError{fmt.Errorf("convert input: %w", err)}
	}
	return e.evalQuery(ctx, e.query, v)
}

// evalQuery evaluates one prepared query over an input value and reads its
// [package, kind, finding] triples.
func (e *Engine) evalQuery(ctx context.Context, q rego.PreparedEvalQuery, v ast.Value) ([]rawResult, error) {
	cache := getCache()
	defer putCache(cache)
	rs, err := q.Eval(ctx, rego.EvalParsedInput(v), rego.EvalVirtualCache(cache))
	if err != nil {
		return nil, &EvalError{err}
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, &EvalError{errors.New("query returned no result set")}
	}
	set, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, &EvalError{fmt.Errorf("query returned %T", rs[0].Expressions[0].Value)}
	}
	out := make([]rawResult, 0, len(set))
	for _, item := range set {
		triple, ok := item.([]any)
		if !ok || len(triple) != 3 {
			return nil, &EvalError{fmt.Errorf("malformed result %v", item)}
		}
		r := rawResult{pkg: fmt.Sprint(triple[0]), kind: fmt.Sprint(triple[1])}
		switch f := triple[2].(type) {
		case string:
			r.msg = f
		case map[string]any:
			r.msg, _ = f["msg"].(string)
			r.subject, _ = f["subject"].(string)
			r.remediation, _ = f["remediation"].(string)
			r.ref = refFrom(f["ref"])
		default:
			return nil, &EvalError{fmt.Errorf("%s.%s produced %T; want an object with msg and ref", r.pkg, r.kind, f)}
		}
		if r.msg == "" {
			return nil, &EvalError{fmt.Errorf("%s.%s produced a finding without msg", r.pkg, r.kind)}
		}
		out = append(out, r)
	}
	return out, nil
}

func refFrom(v any) *Ref {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	r := &Ref{}
	r.File, _ = m["file"].(string)
	r.Doc = toInt(m["doc"])
	if path, ok := m["path"].([]any); ok {
		for _, p := range path {
			if s, ok := p.(string); ok {
				r.Path = append(r.Path, s)
			} else {
				r.Path = append(r.Path, toInt(p))
			}
		}
	}
	return r
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case float64:
		return int(n)
	case interface{ Int64() (int64, error) }:
		i, _ := n.Int64()
		return int(i)
	}
	return 0
}

func (e *Engine) finding(files map[string]*File, r rawResult) Finding {
	p := e.byPkg[r.pkg]
	f := Finding{
		Rule:        p.ID,
		Severity:    resultKinds[r.kind],
		Title:       p.Title,
		Message:     redact.String(r.msg), // no rule message may print a URL's credentials
		Subject:     r.subject,
		Remediation: p.Remediation,
		Docs:        p.Docs,
	}
	if r.remediation != "" {
		// A finding's own remediation (a "remediation" string in the rule's
		// finding object) is more precise than its package's custom.remediation;
		// it may quote a value too, so it is redacted like the message.
		f.Remediation = redact.String(r.remediation)
	}
	if r.ref != nil {
		f.Path = dotted(r.ref.Path)
		if file := files[r.ref.File]; file != nil {
			f.File = file.Path
			if file.Locator != nil {
				f.Line, f.Column = file.Locator.Locate(r.ref.Doc, r.ref.Path)
			}
		} else {
			f.File = r.ref.File
		}
	}
	f.Fingerprint = f.ComputeFingerprint()
	return f
}

// dotted renders a ref path as services.server.environment[2].
func dotted(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch p := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", p)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, p)
		}
	}
	return b.String()
}
