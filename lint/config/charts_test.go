package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/config"
)

func TestChartsBothProfileForms(t *testing.T) {
	c, err := config.Parse([]byte(`charts:
  - path: charts/certctl
    release_name: rel
    namespace: ns
    profiles:
      default: []
      ha: [charts/certctl/values-ha.yaml]
      demo:
        values: [charts/certctl/values-demo.yaml]
        set: [server.replicas=1]
        demo: true
`), "certgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Charts) != 1 {
		t.Fatalf("charts = %d", len(c.Charts))
	}
	ch := c.Charts[0]
	if ch.Path != "charts/certctl" || ch.ReleaseName != "rel" || ch.Namespace != "ns" || ch.Line != 2 {
		t.Errorf("chart = %+v", ch)
	}
	if got := ch.ProfileNames(); !slices.Equal(got, []string{"default", "demo", "ha"}) {
		t.Errorf("profiles = %v", got)
	}
	if p := ch.Profiles["ha"]; !slices.Equal(p.Values, []string{"charts/certctl/values-ha.yaml"}) || p.Demo {
		t.Errorf("ha = %+v", p)
	}
	if p := ch.Profiles["demo"]; !p.Demo || !slices.Equal(p.Set, []string{"server.replicas=1"}) || len(p.Values) != 1 {
		t.Errorf("demo = %+v", p)
	}
	if p := ch.Profiles["default"]; len(p.Values) != 0 {
		t.Errorf("default = %+v", p)
	}
}

func TestChartsRejected(t *testing.T) {
	cases := []struct{ src, want string }{
		{"charts:\n  - profiles: {a: []}\n", "without path"},
		{"charts:\n  - path: c\n    profile: {}\n", "field profile not found"},
		{"charts:\n  - path: c\n    profiles:\n      a: {values: [], sett: []}\n", "field sett not found"},
		{"charts:\n  - path: c\n    profiles:\n      a: values.yaml\n", "a profile is a list of values files"},
		{"charts:\n  - path: c\n    profiles:\n      a: {set: [novalue]}\n", "not key=value"},
		{"charts:\n  - path: ../outside\n", "inside the repository"},
		{"charts:\n  - just-a-string\n", "not a mapping"},
	}
	for _, c := range cases {
		_, err := config.Parse([]byte(c.src), "certgate.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "certgate.yaml") {
			t.Errorf("%q: err = %v, want %q", c.src, err, c.want)
		}
	}
}
