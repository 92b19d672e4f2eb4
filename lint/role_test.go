package lint_test

import (
	"testing"

	"github.com/certgate/certgate/lint"
)

func TestRoleFromImage(t *testing.T) {
	cases := map[string]string{
		"ghcr.io/certctl-io/certctl:2.2.0":          lint.RoleServer,
		"ghcr.io/certctl-io/certctl@sha256:abc":     lint.RoleServer,
		"certctl":                                   lint.RoleServer,
		"registry:5000/certctl":                     lint.RoleServer,
		"certctl-server:2.1.7":                      lint.RoleServer,
		"example.com/certctl/server:1":              lint.RoleServer,
		"ghcr.io/certctl-io/certctl-agent:2.2.0":    lint.RoleAgent,
		"certctl/agent":                             lint.RoleAgent,
		"CERTCTL-AGENT":                             lint.RoleAgent,
		"nginx:1.27":                                "",
		"ghcr.io/certctl-io/certctl-web:2.2.0":      "",
		"example.com/certctl-hardened/pki:7":        "",
		"":                                          "",
		"registry:5000/certctl-io/certctl-agent:v1": lint.RoleAgent,
	}
	for image, want := range cases {
		if got := lint.RoleFromImage(image); got != want {
			t.Errorf("RoleFromImage(%q) = %q, want %q", image, got, want)
		}
	}
}

func TestDecideRoleOrder(t *testing.T) {
	server := "ghcr.io/certctl-io/certctl:2.2.0"
	agentVars := map[string]lint.Var{"CERTCTL_SERVER_URL": {Value: "https://x", Known: true}}
	serverVars := map[string]lint.Var{"CERTCTL_DATABASE_URL": {Known: false}}
	cases := []struct {
		name string
		ev   lint.RoleEvidence
		want lint.RoleDecision
	}{
		{"config wins over image", lint.RoleEvidence{Override: "other", Image: server}, lint.RoleDecision{Role: "other", By: lint.RoleByConfig, Evidence: "roles"}},
		{"image wins over variables", lint.RoleEvidence{Image: server, Vars: agentVars}, lint.RoleDecision{Role: "server", By: lint.RoleByImage, Evidence: server}},
		{"variables", lint.RoleEvidence{Image: "pki:1", Vars: serverVars}, lint.RoleDecision{Role: "server", By: lint.RoleByVariable, Evidence: "CERTCTL_DATABASE_URL"}},
		{"label after variables", lint.RoleEvidence{Vars: agentVars, Label: "server"}, lint.RoleDecision{Role: "agent", By: lint.RoleByVariable, Evidence: "CERTCTL_SERVER_URL", LabelConflict: true}},
		{"label disagrees with image", lint.RoleEvidence{Image: server, Label: "agent"}, lint.RoleDecision{Role: "server", By: lint.RoleByImage, Evidence: server, LabelConflict: true}},
		{"label agrees", lint.RoleEvidence{Image: server, Label: "server"}, lint.RoleDecision{Role: "server", By: lint.RoleByImage, Evidence: server}},
		{"label alone", lint.RoleEvidence{Image: "pki:1", Label: "agent"}, lint.RoleDecision{Role: "agent", By: lint.RoleByLabel, Evidence: "agent"}},
		{"other labels say nothing", lint.RoleEvidence{Image: server, Label: "api"}, lint.RoleDecision{Role: "server", By: lint.RoleByImage, Evidence: server}},
		{"names last", lint.RoleEvidence{Image: "pki:1", Label: "api", NameRole: "server"}, lint.RoleDecision{Role: "server", By: lint.RoleByName}},
		{"nothing", lint.RoleEvidence{Image: "pki:1", Label: "api"}, lint.RoleDecision{Role: "other"}},
	}
	for _, c := range cases {
		if got := lint.DecideRole(c.ev); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
