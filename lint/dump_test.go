package lint

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The JSON of an Input, read back as OPA reads --input, is the value Eval
// evaluates.
func TestDocumentIsTheEvaluatedValue(t *testing.T) {
	fs := int64(2000)
	in := &Input{
		Meta:  Meta{NowUnix: 1800000000, CertctlVersion: "2.2.0", CertctlVersionSource: ReleaseFromDefault},
		Files: []*File{{ID: "a.env", Path: "a.env", Kind: KindDotenv, Docs: []any{map[string]any{"X": "1"}}}},
		Envs: []Env{{
			ID: "a.env", Origin: OriginDotenv, Role: RoleServer, Release: "2.1.4",
			Ref: &Ref{File: "a.env", Path: []any{"X", 0}},
			Vars: map[string]Var{
				"CERTCTL_AUTH_SECRET": {Value: "s", Known: true, Ref: &Ref{File: "a.env", Path: []any{"CERTCTL_AUTH_SECRET"}}},
				"CERTCTL_X":           {Known: false, MaybeEmpty: true, Note: "n"},
			},
			Labels: map[string]string{"demo": "true"},
			Mounts: []Mount{{Path: "/p", Volume: "v", Source: "secret", FSGroup: &fs, Files: &MountFiles{DefaultMode: 420, Items: []MountItem{{Path: "k", Mode: 256}}}}},
		}},
		Manifests: []Object{{Ref: &Ref{File: "m.yaml"}, Value: map[string]any{"kind": "Pod", "n": 1.5}, Labels: map[string]string{"kind": "Pod"}}},
		Extra:     map[string]any{"probes": map[string]any{"db": map[string]any{"ok": true}}},
	}
	want, err := in.value()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want) != 0 {
		t.Errorf("dumped input differs from the evaluated value:\n got  %v\n want %v", got, want)
	}
}
