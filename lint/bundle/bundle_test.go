package bundle

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	opabundle "github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/certgate/certgate/lint"
)

// The tarball reads back as an OPA bundle: revision is the catalog digest,
// the one root is certgate, no test file is inside, and the entry point
// evaluates to one finding per result of the engine on the same input.
func TestBundleReadsBack(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	if err := Write(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := Write(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two bundles of the same catalog differ")
	}
	b, err := opabundle.NewReader(&buf).Read()
	if err != nil {
		t.Fatalf("read bundle: %v", err)
	}
	eng, err := lint.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.Revision != eng.Digest() {
		t.Errorf("revision %q, want the catalog digest %q", b.Manifest.Revision, eng.Digest())
	}
	if b.Manifest.Roots == nil || !slices.Equal(*b.Manifest.Roots, []string{"certgate"}) {
		t.Errorf("roots %v, want [certgate]", b.Manifest.Roots)
	}
	var names []string
	for _, m := range b.Modules {
		names = append(names, m.Path)
		if strings.HasSuffix(m.Path, "_test.rego") {
			t.Errorf("test file in the bundle: %s", m.Path)
		}
	}
	for _, want := range []string{"/policies/lib/certctl.rego", "/policies/sec_h1/sec_h1.rego", "/" + EntryFile} {
		if !slices.Contains(names, want) {
			t.Errorf("bundle lacks %s (has %v)", want, names)
		}
	}

	in := &lint.Input{
		Meta: lint.Meta{NowUnix: 1800000000, CertctlVersion: "2.2.0"},
		Envs: []lint.Env{{ID: "e", Origin: lint.OriginProcess, Role: lint.RoleServer, Vars: map[string]lint.Var{
			"CERTCTL_ACME_INSECURE": {Value: "true", Known: true},
			"CERTCTL_MAX_BODY_SIZE": {Value: "10MB", Known: true},
		}}},
	}
	doc, err := in.Document()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rego.New(rego.ParsedBundle("certgate", &b), rego.Query(Query), rego.Input(doc)).Eval(ctx)
	if err != nil {
		t.Fatalf("evaluate %s: %v", Query, err)
	}
	got := map[string]bool{}
	for _, f := range rs[0].Expressions[0].Value.([]any) {
		m := f.(map[string]any)
		got[m["rule"].(string)+" "+m["severity"].(string)+" "+m["msg"].(string)] = true
	}
	rep, err := eng.Eval(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("the engine found nothing: the comparison proves nothing")
	}
	for _, f := range rep.Findings {
		k := f.Rule + " " + string(f.Severity) + " " + f.Message
		if !got[k] {
			t.Errorf("engine finding missing from the bundle: %s", k)
		}
		delete(got, k)
	}
	for k := range got {
		t.Errorf("bundle finding the engine does not report: %s", k)
	}
}

// Entry names every result rule of every package with its severity.
func TestEntry(t *testing.T) {
	src := Entry([]lint.Policy{{ID: "SEC-X1", Package: "data.certgate.sec_x1", Kinds: []string{"deny", "warn"}}})
	for _, want := range []string{
		`findings contains {"rule": "SEC-X1", "severity": "error", "msg": finding_msg(f)} if some f in data.certgate.sec_x1.deny`,
		`findings contains {"rule": "SEC-X1", "severity": "warning", "msg": finding_msg(f)} if some f in data.certgate.sec_x1.warn`,
		"# entrypoint: true",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("entry module lacks %q:\n%s", want, src)
		}
	}
}
