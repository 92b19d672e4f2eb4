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
		Files: []*File{{ID: "a.env", Path: "a.env", Kind: FileDotenv, Docs: []any{map[string]any{"X": "1"}}}},
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
	}
	addSections(in)
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

// addSections fills every optional section of in.
func addSections(in *Input) {
	tls := true
	in.Releases = []Release{{
		ID: "charts/certctl:ha", Name: "certctl", Namespace: "default", Chart: "certctl", ChartPath: "charts/certctl",
		Profile: "ha", Demo: false,
		Values:    map[string]any{"server": map[string]any{"replicas": 2.0, "tags": []any{"a", 1.5}}},
		ValueRefs: map[string]*Ref{"server.replicas": {File: "charts/certctl/values.yaml", Path: []any{"server", "replicas"}}},
	}}
	in.Skipped = []Skipped{{Path: "x.yaml", Reason: "no Kubernetes object"}}
	in.Carveouts = []CarveoutFact{
		{ID: "SEC-L3", Kind: "waiver", Source: "certgate.yaml:4", Owner: "o", Expires: "2027-01-31", ExpiresUnix: 1801353600, Ref: Ref{File: "certgate.yaml", Path: []any{"carveouts", 0}}},
		{ID: "SEC-H1", Kind: "waiver", Source: "a.env:2", Expires: "2027-01-31", ExpiresUnix: 1801353600, Ref: Ref{File: "a.env", Path: []any{"certgate:ignore", 2}}},
	}
	in.Probes = map[string]ProbeFacts{
		"db":   {Name: "db", Reachable: true, TLS: &tls, LatencyMS: 1.2, Timeout: "3s", Facts: map[string]any{"ok": true, "roles": []any{"x"}}},
		"acme": {Name: "acme", Skipped: "not configured", Timeout: "3s", Error: "e", Facts: map[string]any{"timed_out": true}},
	}
	in.Host = &HostFacts{
		Files: map[string]*FileFacts{"CERTCTL_TLS_CERT_PATH": {
			Path: "/c.pem", Exists: true, Mode: 0o644, Size: 10, Readable: true, Blocks: 1, BlockTypes: []string{"CERTIFICATE"},
			Certs: []CertFacts{{Subject: "CN=x", NotBefore: 1, NotAfter: 2, KeyType: "ECDSA"}},
		}},
		Pairs: map[string]*PairFacts{"CERTCTL_TLS_CERT_PATH": {Key: "CERTCTL_TLS_KEY_PATH", Checked: true, OK: true, KeyType: "ECDSA"}},
		OTEL:  OTELFacts{Set: true, Pairs: 2, MissingValue: []int{2}, BadEscape: []int{}, EmptyKey: []int{}},
	}
}

// The typed sections convert to exactly the JSON-shaped documents the
// loaders and the gate handed the policies as maps before they were typed.
func TestSectionsKeepTheirDocuments(t *testing.T) {
	in := &Input{}
	addSections(in)
	want := map[string]any{
		"releases": []any{map[string]any{
			"id": "charts/certctl:ha", "name": "certctl", "namespace": "default", "chart": "certctl", "chart_path": "charts/certctl",
			"profile": "ha", "demo": false,
			"values":     map[string]any{"server": map[string]any{"replicas": 2.0, "tags": []any{"a", 1.5}}},
			"value_refs": map[string]any{"server.replicas": map[string]any{"file": "charts/certctl/values.yaml", "doc": 0, "path": []any{"server", "replicas"}}},
		}},
		"skipped": []any{map[string]any{"path": "x.yaml", "reason": "no Kubernetes object"}},
		"carveouts": []any{
			map[string]any{"id": "SEC-L3", "kind": "waiver", "source": "certgate.yaml:4", "owner": "o", "expires": "2027-01-31", "expires_unix": int64(1801353600),
				"ref": map[string]any{"file": "certgate.yaml", "doc": 0, "path": []any{"carveouts", 0}}},
			map[string]any{"id": "SEC-H1", "kind": "waiver", "source": "a.env:2", "owner": "", "expires": "2027-01-31", "expires_unix": int64(1801353600),
				"ref": map[string]any{"file": "a.env", "doc": 0, "path": []any{"certgate:ignore", 2}}},
		},
		"probes": map[string]any{
			"db": map[string]any{"name": "db", "ran": true, "skipped": "", "reachable": true, "tls": true, "latency_ms": 1.2,
				"error": "", "timeout": "3s", "timed_out": false, "ok": true, "roles": []any{"x"}},
			"acme": map[string]any{"name": "acme", "ran": false, "skipped": "not configured", "reachable": false, "latency_ms": 0.0,
				"error": "e", "timeout": "3s", "timed_out": true},
		},
		"host": map[string]any{
			"files": map[string]any{"CERTCTL_TLS_CERT_PATH": map[string]any{
				"path": "/c.pem", "exists": true, "dir": false, "mode": 420, "size": 10, "readable": true, "error": "",
				"blocks": 1, "block_types": []any{"CERTIFICATE"}, "cert_errors": 0, "key_type": "",
				"certs": []any{map[string]any{"subject": "CN=x", "not_before": 1, "not_after": 2, "key_type": "ECDSA"}},
			}},
			"pairs": map[string]any{"CERTCTL_TLS_CERT_PATH": map[string]any{"key": "CERTCTL_TLS_KEY_PATH", "checked": true, "ok": true, "error": "", "key_type": "ECDSA"}},
			"otel":  map[string]any{"set": true, "pairs": 2, "missing_value": []any{2}, "bad_escape": []any{}, "empty_key": []any{}},
		},
	}
	terms, err := in.sectionTerms()
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != len(want) {
		t.Fatalf("%d sections, want %d", len(terms), len(want))
	}
	for _, kv := range terms {
		k := string(kv[0].Value.(ast.String))
		w, err := ast.InterfaceToValue(want[k])
		if err != nil {
			t.Fatal(err)
		}
		if kv[1].Value.Compare(w) != 0 {
			t.Errorf("input.%s:\n got  %v\n want %v", k, kv[1].Value, w)
		}
		got, _ := json.Marshal(kv[1].Value)
		wantJSON, _ := json.Marshal(w)
		if !bytes.Equal(got, wantJSON) {
			t.Errorf("input.%s as JSON:\n got  %s\n want %s", k, got, wantJSON)
		}
	}
}

// A nil list is an absent section, an empty one an empty section (input.carveouts
// is [] after a carve-out step that found none, absent without one).
func TestSectionsAbsentOrEmpty(t *testing.T) {
	in := &Input{}
	doc, err := in.Document()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"releases", "skipped", "carveouts", "probes", "host"} {
		if _, ok := doc.(map[string]any)[k]; ok {
			t.Errorf("input.%s is present in an input without it", k)
		}
	}
	in.Carveouts = []CarveoutFact{}
	if doc, err = in.Document(); err != nil {
		t.Fatal(err)
	}
	if c, ok := doc.(map[string]any)["carveouts"].([]any); !ok || len(c) != 0 {
		t.Errorf("input.carveouts = %#v, want []", doc.(map[string]any)["carveouts"])
	}
}
