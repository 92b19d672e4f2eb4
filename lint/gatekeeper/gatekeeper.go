// Package gatekeeper generates OPA Gatekeeper ConstraintTemplates and
// Constraints from certgate's Rego catalog, for the rules that judge one
// Kubernetes object at a time, and a gator suite per template whose example
// objects certgate itself refuses and accepts.
//
// The rules are wrapped, not rewritten: each template carries the rule's
// package and data.certgate.lib with their package paths moved under
// data.lib.certgate (an AST rename of the package and of every data.certgate
// reference, as Gatekeeper requires libraries under data.lib), and a wrapper
// (wrapper.rego) that builds from input.review.object the Input document the
// rules read. The rules that need several objects, certgate.yaml or the host
// stay with certgate lint and the startup gate (LintOnly).
package gatekeeper

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

//go:embed wrapper.rego
var wrapperRego string

//go:embed rules.yaml
var rulesYAML []byte

// Rule is a rule Gatekeeper judges at admission, with its examples.
type Rule struct {
	ID string `yaml:"rule"`
	// Action is the Constraint's enforcementAction: deny (default) for a rule
	// whose single-object findings are errors, warn for one that only warns.
	Action string `yaml:"action"`
	// Role is the example workload's role: server (default) or agent.
	Role     string  `yaml:"role"`
	Denied   Example `yaml:"denied"`
	Admitted Example `yaml:"admitted"`
}

// Example changes the booting environment of a role.
type Example struct {
	Set   map[string]string `yaml:"set"`
	Unset []string          `yaml:"unset"`
}

// LintOnlyRule is a rule no admission template judges, and why.
type LintOnlyRule struct {
	ID  string `yaml:"rule"`
	Why string `yaml:"why"`
}

type table struct {
	ServerEnv map[string]string `yaml:"server_env"`
	AgentEnv  map[string]string `yaml:"agent_env"`
	Admission []Rule            `yaml:"admission"`
	LintOnly  []LintOnlyRule    `yaml:"lint_only"`
}

func readTable() (*table, error) {
	var t table
	dec := yaml.NewDecoder(bytes.NewReader(rulesYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("gatekeeper rules table: %w", err)
	}
	return &t, nil
}

// Rules are the rules the generated templates judge.
func Rules() []Rule {
	t, err := readTable()
	if err != nil {
		panic(err) // embedded; a test reads it
	}
	return t.Admission
}

// LintOnly are the catalog's rules that stay with certgate lint or the
// startup gate, each with why.
func LintOnly() []LintOnlyRule {
	t, err := readTable()
	if err != nil {
		panic(err)
	}
	return t.LintOnly
}

// Target is the Gatekeeper target of every template.
const Target = "admission.k8s.gatekeeper.sh"

// Name is the ConstraintTemplate name of a rule (certgatesecm4) and Kind its
// Constraint kind (CertgateSecM4).
func Name(id string) string { return strings.ToLower(Kind(id)) }

// Kind: see Name.
func Kind(id string) string {
	var b strings.Builder
	b.WriteString("Certgate")
	for _, part := range strings.Split(id, "-") {
		p := strings.ToLower(part)
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}

// Files are generated files by slash-separated path.
type Files map[string][]byte

// Write writes every file under dir.
func (fs Files) Write(dir string) error {
	for _, name := range slices.Sorted(maps.Keys(fs)) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, fs[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Generate builds, for every admission rule: templates/NAME.yaml (the
// ConstraintTemplate), constraints/NAME.yaml (a Constraint matching the
// workload kinds) and suites/NAME/ (a gator suite with a denied and an
// admitted example).
func Generate(ctx context.Context) (Files, error) {
	t, err := readTable()
	if err != nil {
		return nil, err
	}
	eng, err := lint.New(ctx)
	if err != nil {
		return nil, err
	}
	srcs, err := lint.Sources()
	if err != nil {
		return nil, err
	}
	byID := map[string]lint.Policy{}
	for _, p := range eng.Policies() {
		byID[p.ID] = p
	}
	var libs []string // data.certgate.lib, renamed
	pkgSrcs := map[string][]string{}
	for _, s := range srcs {
		m, err := ast.ParseModuleWithOpts(s.Name, s.Text, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", s.Name, err)
		}
		pkg := m.Package.Path.String()
		text, err := Rename(m)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", s.Name, err)
		}
		if pkg == "data.certgate.lib" {
			libs = append(libs, text)
		} else {
			pkgSrcs[pkg] = append(pkgSrcs[pkg], text)
		}
	}
	wrapper := []string{wrapperRego, facts()}
	out := Files{}
	for _, r := range t.Admission {
		p, ok := byID[r.ID]
		if !ok {
			return nil, fmt.Errorf("gatekeeper rules table: %s is not a rule of the catalog", r.ID)
		}
		name := Name(r.ID)
		tmpl, err := template(p, r, slices.Concat(wrapper, libs, pkgSrcs[p.Package]))
		if err != nil {
			return nil, err
		}
		out["templates/"+name+".yaml"] = tmpl
		out["constraints/"+name+".yaml"] = marshal(constraint(p, r))
		suite, denied, admitted := suiteFiles(t, p, r)
		out["suites/"+name+"/suite.yaml"] = suite
		out["suites/"+name+"/denied.yaml"] = denied
		out["suites/"+name+"/admitted.yaml"] = admitted
	}
	return out, nil
}

// Rename moves a module of the catalog under data.lib: its package and every
// reference to data.certgate become data.lib.certgate. Nothing else changes.
func Rename(m *ast.Module) (string, error) {
	certgate := ast.MustParseRef("data.certgate")
	moved := func(r ast.Ref) ast.Ref {
		if !r.HasPrefix(certgate) {
			return r
		}
		return append(ast.Ref{ast.DefaultRootDocument, ast.StringTerm("lib")}, r[1:]...)
	}
	m = m.Copy()
	m.Package.Path = moved(m.Package.Path)
	for _, imp := range m.Imports {
		// The last element, the name the rules use, does not change.
		if r, ok := imp.Path.Value.(ast.Ref); ok {
			imp.Path = ast.NewTerm(moved(r))
		}
	}
	for _, rule := range m.Rules {
		if _, err := ast.TransformRefs(rule, func(r ast.Ref) (ast.Value, error) { return moved(r), nil }); err != nil {
			return "", err
		}
	}
	b, err := format.AstWithOpts(m, format.Opts{RegoVersion: ast.RegoV1})
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// facts is the generated part of package lib.certgate.gatekeeper: the values
// the wrapper shares with certgate's Go code.
func facts() string {
	list := func(xs []string) string {
		q := make([]string, len(xs))
		for i, x := range xs {
			q[i] = fmt.Sprintf("%q", x)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	var b strings.Builder
	b.WriteString("# Generated by certgate policies gatekeeper from certgate's Go code.\npackage lib.certgate.gatekeeper\n\n")
	fmt.Fprintf(&b, "known_releases := %s\n\n", list(lint.KnownReleases))
	fmt.Fprintf(&b, "newest_release := %q\n\n", lint.DefaultCertctlVersion)
	fmt.Fprintf(&b, "default_source := %q\n\n", lint.ReleaseFromDefault)
	fmt.Fprintf(&b, "server_only_vars := %s\n\n", list(lint.ServerOnlyVars()))
	fmt.Fprintf(&b, "agent_only_vars := %s\n\n", list(lint.AgentOnlyVars()))
	fmt.Fprintf(&b, "server_image := %s\n\n", "`"+lint.ServerImagePattern()+"`")
	fmt.Fprintf(&b, "agent_image := %s\n", "`"+lint.AgentImagePattern()+"`")
	return b.String()
}

// entry is the template's own module: for each result rule of the package,
// the findings at or above minSeverity become violations.
func entry(p lint.Policy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s (certgate's rule package %s, wrapped).\n", p.ID, p.Title, strings.TrimPrefix(p.Package, "data.certgate."))
	fmt.Fprintf(&b, "package %s\n\nimport data.lib.certgate.gatekeeper\n", Name(p.ID))
	moved := "data.lib." + strings.TrimPrefix(p.Package, "data.")
	for _, k := range p.Kinds {
		sev := lint.ResultSeverity(k)
		fmt.Fprintf(&b, `
violation contains v if {
	params := object.get(input, "parameters", {})
	gatekeeper.reports(%[1]q, params)
	doc := gatekeeper.document(input.review, params)
	results := %[2]s.%[3]s with input as doc
	some f in results
	v := gatekeeper.violation(%[4]q, %[1]q, f)
}
`, sev, moved, k, p.ID)
	}
	return b.String()
}

func template(p lint.Policy, r Rule, libs []string) ([]byte, error) {
	src := entry(p)
	if _, err := ast.ParseModuleWithOpts("entry.rego", src, ast.ParserOptions{RegoVersion: ast.RegoV1}); err != nil {
		return nil, fmt.Errorf("%s template: %w", p.ID, err)
	}
	doc := map[string]any{
		"apiVersion": "templates.gatekeeper.sh/v1",
		"kind":       "ConstraintTemplate",
		"metadata": map[string]any{
			"name": Name(p.ID),
			"annotations": map[string]any{
				"metadata.gatekeeper.sh/title": p.ID + ": " + p.Title,
				"description":                  p.Description,
				"certgate.dev/rule":            p.ID,
				"certgate.dev/docs":            p.Docs,
			},
		},
		"spec": map[string]any{
			"crd": map[string]any{"spec": map[string]any{
				"names": map[string]any{"kind": Kind(p.ID)},
				"validation": map[string]any{"openAPIV3Schema": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"certctlVersion": map[string]any{
							"type":        "string",
							"description": "The certctl release to judge (default: each container's image tag when it names a known release, else the newest known release).",
							"enum":        slices.Concat(lint.KnownReleases, vPrefixed(lint.KnownReleases)),
						},
						"minSeverity": map[string]any{
							"type":        "string",
							"description": "The lowest severity that is a violation (default error), as certgate lint --fail-on.",
							"enum":        []string{"error", "warning", "info"},
						},
					},
				}},
			}},
			"targets": []any{map[string]any{
				"target": Target,
				"code": []any{map[string]any{
					"engine": "Rego",
					"source": map[string]any{"version": "v1", "rego": src, "libs": libs},
				}},
			}},
		},
	}
	return marshal(doc), nil
}

func vPrefixed(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = "v" + x
	}
	return out
}

// WorkloadKinds are the kinds whose pod template the wrapper reads.
var WorkloadKinds = []map[string]any{
	{"apiGroups": []string{""}, "kinds": []string{"Pod", "ReplicationController"}},
	{"apiGroups": []string{"apps"}, "kinds": []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}},
	{"apiGroups": []string{"batch"}, "kinds": []string{"Job", "CronJob"}},
}

func constraint(p lint.Policy, r Rule) map[string]any {
	action, sev := "deny", "error"
	if r.Action == "warn" {
		action, sev = "warn", "warning"
	}
	kinds := WorkloadKinds
	if slices.Contains(p.Inputs, "manifest") {
		// The rule also judges Secrets and ConfigMaps (DEPL-M2).
		kinds = append([]map[string]any{{"apiGroups": []string{""}, "kinds": []string{"Secret", "ConfigMap"}}}, kinds...)
	}
	return map[string]any{
		"apiVersion": "constraints.gatekeeper.sh/v1beta1",
		"kind":       Kind(p.ID),
		"metadata":   map[string]any{"name": strings.ToLower(p.ID)},
		"spec": map[string]any{
			"enforcementAction": action,
			"match":             map[string]any{"kinds": kinds},
			"parameters":        map[string]any{"minSeverity": sev},
		},
	}
}

// Object is an example workload of role with env.
func Object(role string, env map[string]string) map[string]any {
	image, name := "ghcr.io/certctl-io/certctl:v2.2.0", "certctl-server"
	if role == lint.RoleAgent {
		image, name = "ghcr.io/certctl-io/certctl-agent:v2.2.0", "certctl-agent"
	}
	var vars []any
	for _, k := range slices.Sorted(maps.Keys(env)) {
		vars = append(vars, map[string]any{"name": k, "value": env[k]})
	}
	labels := map[string]any{"app.kubernetes.io/name": "certctl", "app.kubernetes.io/component": role}
	return map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata":   map[string]any{"name": name, "namespace": "certctl"},
		"spec": map[string]any{
			"replicas": 1,
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{
					"containers": []any{map[string]any{
						"name":         strings.TrimPrefix(name, "certctl-"),
						"image":        image,
						"env":          vars,
						"volumeMounts": []any{map[string]any{"name": "tls", "mountPath": "/etc/certctl/tls", "readOnly": true}},
					}},
					"volumes": []any{map[string]any{"name": "tls", "secret": map[string]any{"secretName": name + "-tls", "defaultMode": 0o440}}},
				},
			},
		},
	}
}

// ExampleEnv is the environment of an example: the role's booting
// environment changed by ex.
func ExampleEnv(role string, ex Example) map[string]string {
	t, err := readTable()
	if err != nil {
		panic(err)
	}
	base := t.ServerEnv
	if role == lint.RoleAgent {
		base = t.AgentEnv
	}
	env := maps.Clone(base)
	for _, k := range ex.Unset {
		delete(env, k)
	}
	maps.Copy(env, ex.Set)
	return env
}

func roleOf(r Rule) string {
	if r.Role == "" {
		return lint.RoleServer
	}
	return r.Role
}

func suiteFiles(t *table, p lint.Policy, r Rule) (suite, denied, admitted []byte) {
	name := Name(p.ID)
	s := map[string]any{
		"apiVersion": "test.gatekeeper.sh/v1alpha1",
		"kind":       "Suite",
		"metadata":   map[string]any{"name": name},
		"tests": []any{map[string]any{
			"name":       p.ID,
			"template":   "../../templates/" + name + ".yaml",
			"constraint": "../../constraints/" + name + ".yaml",
			"cases": []any{
				map[string]any{"name": "refused by certgate", "object": "denied.yaml", "assertions": []any{
					map[string]any{"violations": "yes", "message": "^" + p.ID + ": "},
				}},
				map[string]any{"name": "accepted by certgate", "object": "admitted.yaml", "assertions": []any{
					map[string]any{"violations": "no"},
				}},
			},
		}},
	}
	return marshal(s), marshal(Object(roleOf(r), ExampleEnv(roleOf(r), r.Denied))), marshal(Object(roleOf(r), ExampleEnv(roleOf(r), r.Admitted)))
}

func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		panic(err) // plain maps, slices and strings
	}
	return buf.Bytes()
}
