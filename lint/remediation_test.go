package lint_test

import (
	"context"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestFindingRemediation: a finding object with a "remediation" string reports
// that string; one without reports its package's custom.remediation.
func TestFindingRemediation(t *testing.T) {
	src := goodMeta + `
warn contains {"msg": "own", "ref": null, "remediation": "Fix this one thing."} if input.meta.profile == "p"

warn contains {"msg": "default", "ref": null} if input.meta.profile == "p"

warn contains {"msg": "empty", "ref": null, "remediation": ""} if input.meta.profile == "p"

warn contains {"msg": "not a string", "ref": null, "remediation": 7} if input.meta.profile == "p"

warn contains {"msg": "secret", "ref": null, "remediation": "Connect to postgres://certctl:hunter2@db/certctl instead."} if input.meta.profile == "p"
`
	eng, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(policyFS(src)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := eng.Eval(context.Background(), &lint.Input{Meta: lint.Meta{Profile: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range r.Findings {
		got[f.Message] = f.Remediation
	}
	want := map[string]string{
		"own":          "Fix this one thing.",
		"default":      "Do the thing.", // goodMeta's custom.remediation
		"empty":        "Do the thing.",
		"not a string": "Do the thing.",
	}
	for msg, w := range want {
		if g, ok := got[msg]; !ok || g != w {
			t.Errorf("finding %q: remediation %q (reported: %v), want %q", msg, g, ok, w)
		}
	}
	if g := got["secret"]; strings.Contains(g, "hunter2") || !strings.HasPrefix(g, "Connect to postgres://") {
		t.Errorf("a finding's own remediation is redacted like its message: got %q", g)
	}
}

// TestBuiltinRemediationPerCheck: through the built-in catalog, each DEPL-H1
// check reports its own remediation, and DEPL-M3, whose findings carry none,
// reports its package's.
func TestBuiltinRemediationPerCheck(t *testing.T) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{}
	for _, p := range eng.Policies() {
		defaults[p.ID] = p.Remediation
	}
	pods := map[string]any{"app.kubernetes.io/name": "certctl", "app.kubernetes.io/component": "server"}
	object := func(kind, name string, spec map[string]any, labels map[string]string) lint.Object {
		l := map[string]string{"release": "stream.yaml", "subject": kind + " " + name, "kind": kind, "name": name}
		for k, v := range labels {
			l[k] = v
		}
		return lint.Object{
			Ref:    &lint.Ref{File: "stream.yaml", Doc: 0, Path: []any{}},
			Value:  map[string]any{"apiVersion": "v1", "kind": kind, "metadata": map[string]any{"name": name}, "spec": spec},
			Labels: l,
		}
	}
	in := &lint.Input{Manifests: []lint.Object{
		object("Deployment", "srv", map[string]any{"replicas": 3, "template": map[string]any{
			"metadata": map[string]any{"labels": pods},
			"spec":     map[string]any{"containers": []any{map[string]any{"name": "server", "image": "ghcr.io/certctl-io/certctl:2.2.0"}}},
		}}, map[string]string{"role": "server"}),
		object("Service", "srv", map[string]any{"selector": pods}, nil),
	}}
	in.AddFile(&lint.File{ID: "stream.yaml", Path: "stream.yaml", Kind: lint.FileManifest})
	r, err := eng.Eval(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	h1 := map[string]bool{}
	m3 := 0
	for _, f := range r.Findings {
		switch f.Rule {
		case "DEPL-H1":
			if f.Remediation == "" || f.Remediation == defaults["DEPL-H1"] {
				t.Errorf("DEPL-H1 %q: remediation %q, want the check's own", f.Message, f.Remediation)
			}
			h1[f.Remediation] = true
		case "DEPL-M3":
			m3++
			if f.Remediation != defaults["DEPL-M3"] {
				t.Errorf("DEPL-M3 %q: remediation %q, want the package's %q", f.Message, f.Remediation, defaults["DEPL-M3"])
			}
		}
	}
	// Session affinity, no PodDisruptionBudget, no spread: three checks, three
	// remediations.
	if len(h1) != 3 || m3 != 1 {
		t.Fatalf("DEPL-H1 remediations %v, DEPL-M3 findings %d; want 3 distinct and 1\n%+v", h1, m3, r.Findings)
	}
}
