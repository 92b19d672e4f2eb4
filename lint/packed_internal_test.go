package lint

import (
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"gopkg.in/yaml.v3"
)

// TestPackedViewMatchesCrossView: a packed view unpacks to CrossView of the
// value, and converts to the OPA value CrossView converts to, for every type
// yaml.v3 decodes to and every kind CrossView knows.
func TestPackedViewMatchesCrossView(t *testing.T) {
	src := `
kind: Deployment
metadata: {name: d, namespace: ns, labels: {a: b}}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: d, n: 7, big: 18446744073709551615, neg: -9223372036854775808, f: 1.5, e: 1e300, t: true, z: null, s: ""}}
    spec:
      affinity: {podAntiAffinity: {x: [1, 2.25, "3", {k: [v]}]}}
      topologySpreadConstraints: [{maxSkew: 1}]
      containers: [{name: c, image: i}, {name: e}, 7]
`
	var m map[string]any
	if err := yaml.Unmarshal([]byte(src), &m); err != nil {
		t.Fatal(err)
	}
	lists := map[string]any{"kind": "List", "metadata": map[string]any{"name": []any{nil, false, int64(-1), uint64(math.MaxUint64), math.Inf(-1), math.NaN()}}}
	cases := []struct {
		v    map[string]any
		role string
	}{
		{m, ""},
		{m, RoleServer},
		{map[string]any{"kind": "Service", "metadata": map[string]any{"name": "s", "annotations": map[string]any{"x": "y"}}, "spec": map[string]any{"selector": map[string]any{"app": "d"}}}, ""},
		{map[string]any{"kind": "CronJob", "spec": "not a mapping"}, ""},
		{map[string]any{"kind": []any{1}}, ""},
		{lists, ""},
		{map[string]any{}, ""},
	}
	for i, c := range cases {
		p, ok := PackCrossView(c.v, c.role)
		if !ok {
			t.Fatalf("case %d: not packed", i)
		}
		want := CrossView(c.v, c.role)
		got, err := p.Value()
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if i == 5 { // NaN is not equal to itself
			got["metadata"].(map[string]any)["name"].([]any)[5] = 0.0
			want["metadata"].(map[string]any)["name"].([]any)[5] = 0.0
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case %d: unpacked\n %#v\nwant\n %#v", i, got, want)
		}
		if i == 5 {
			continue // InterfaceToValue refuses NaN and infinities
		}
		gv, err := p.astValue(termCache{})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		wv, err := ast.InterfaceToValue(want)
		if err != nil {
			t.Fatal(err)
		}
		if gv.Compare(wv) != 0 || gv.String() != wv.String() {
			t.Errorf("case %d: converted\n %v\nwant\n %v", i, gv, wv)
		}
	}
	// Every kind CrossView knows packs its own view.
	for kind := range crossKeepOf {
		v := map[string]any{"kind": kind, "metadata": map[string]any{"name": "n", "labels": map[string]any{"a": "b"}, "annotations": map[string]any{"c": "d"}}, "spec": m["spec"]}
		p, _ := PackCrossView(v, "")
		got, err := p.Value()
		if err != nil || !reflect.DeepEqual(got, CrossView(v, "")) {
			t.Errorf("%s: unpacked %v (%v), want %v", kind, got, err, CrossView(v, ""))
		}
	}
}

// TestKeepCrossView: an object keeps its packed view, or its view itself when
// it holds a value yaml.v3 never decodes to; either way CrossValue is the
// view and the cross partition converts it alike.
func TestKeepCrossView(t *testing.T) {
	for _, v := range []map[string]any{
		{"kind": "Pod", "metadata": map[string]any{"name": "p", "labels": map[string]any{"a": "b"}}},
		{"kind": "Pod", "metadata": map[string]any{"name": "p", "labels": map[string]any{"a": time.Unix(0, 0).UTC()}}},
	} {
		o := Object{Value: v, Labels: map[string]string{"kind": "Pod"}, Full: func() (map[string]any, error) { return v, nil }}
		want := CrossView(v, o.Role)
		o.KeepCrossView()
		if _, packable := PackCrossView(v, ""); packable != (o.View != "") || packable != (o.Value == nil) {
			t.Errorf("%v: View %q, Value %v", v, o.View, o.Value)
		}
		got, err := o.CrossValue()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%v: CrossValue %v (%v), want %v", v, got, err, want)
		}
		gv, err := o.crossTerm(termCache{})
		if err != nil {
			t.Fatal(err)
		}
		wv, err := ast.InterfaceToValue(want)
		if err != nil || gv.Compare(wv) != 0 {
			t.Errorf("%v: converted %v, want %v (%v)", v, gv, wv, err)
		}
	}
	if _, err := PackedView("\x08\x05").Value(); err == nil {
		t.Error("a truncated view unpacked")
	}
}

// TestPackVars: packed variables unpack to the same map and convert to the
// same OPA value, whatever their refs; a ref path element of another type
// leaves them unpacked.
func TestPackVars(t *testing.T) {
	base := []any{"spec", "template", "spec", "containers", 0}
	vars := map[string]Var{
		"CERTCTL_A":  {Value: "x", Known: true, Ref: &Ref{File: "s.yaml", Doc: 3, Path: append(slices.Clone(base), "env", 300)}},
		"CERTCTL_B":  {Known: false, MaybeEmpty: true, Ref: &Ref{File: "s.yaml", Doc: 3, Path: append(slices.Clone(base), "envFrom", 0)}},
		"CERTCTL_C":  {Value: "é\x00", Known: true, Note: "default of ${C}", Ref: &Ref{File: "other.yaml", Doc: -1, Path: []any{"data", "C"}}},
		"CERTCTL_D":  {Value: "", Known: true},
		"CERTCTL_E":  {Known: true, Ref: &Ref{File: "s.yaml", Doc: 3, Path: slices.Clone(base)}},
		"CERTCTL_F":  {Known: true, Ref: &Ref{File: "s.yaml", Doc: 4, Path: append(slices.Clone(base), "env", 1)}},
		"":           {Value: "empty name", Known: true, Ref: &Ref{File: "s.yaml", Doc: 3, Path: []any{"spec"}}},
		"CERTCTL_GG": {Value: strings.Repeat("v", 300), Known: true, Ref: &Ref{File: "s.yaml", Doc: 3, Path: []any{}}},
	}
	for _, envRef := range []*Ref{{File: "s.yaml", Doc: 3, Path: base}, nil} {
		e := Env{ID: "e", Origin: OriginContainer, Role: RoleServer, Ref: envRef, Vars: maps.Clone(vars), Labels: map[string]string{"a": "b"}}
		want := e.term()
		e.PackVars()
		if e.Vars != nil || e.packedVars == "" {
			t.Fatalf("not packed: %+v", e)
		}
		if got := e.Variables(); !reflect.DeepEqual(got, vars) {
			t.Errorf("unpacked\n %+v\nwant\n %+v", got, vars)
		}
		if got := e.term(); got.Value.Compare(want.Value) != 0 {
			t.Errorf("converted\n %v\nwant\n %v", got, want)
		}
	}
	odd := Env{Vars: map[string]Var{"X": {Ref: &Ref{Path: []any{1.5}}}}}
	odd.PackVars()
	if odd.Vars == nil || odd.packedVars != "" {
		t.Errorf("a ref path with a float was packed")
	}
	empty := Env{Vars: map[string]Var{}}
	empty.PackVars()
	if got := empty.Variables(); got == nil || len(got) != 0 {
		t.Errorf("no variables unpacked to %#v", got)
	}
}
