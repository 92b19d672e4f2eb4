package carveout

import "testing"

func TestMatchGlob(t *testing.T) {
	cases := []struct {
		pat, name string
		want      bool
	}{
		{"compose/*.yml", "compose/docker-compose.yml", true},
		{"compose/*.yml", "compose/sub/x.yml", false},
		{"**", "a/b/c", true},
		{"**/*.env", ".env", true},
		{"**/.env", ".env", true},
		{"**/.env", "deploy/prod/.env", true},
		{"charts/**/values*.yaml", "charts/certctl/values-ha.yaml", true},
		{"charts/**/values*.yaml", "charts/values.yaml", true},
		{"charts/**", "charts", true},
		{"charts/**/x", "charts/a/y", false},
		{"compose/docker-compose.demo.yml", "compose/docker-compose.demo.yml", true},
		{"compose/docker-compose.demo.yml", "compose/docker-compose.yml", false},
	}
	for _, c := range cases {
		if got := matchGlob(c.pat, c.name); got != c.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
	if validGlob("a/[") || validGlob("") || !validGlob("a/**/b*") {
		t.Error("validGlob")
	}
}
