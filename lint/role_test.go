package lint_test

import (
	"reflect"
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

// The names compose's service-name patterns and manifest's name rule judged
// before they became lint.RoleFromName, with the role each gave.
var serviceNameCases = map[string]string{
	"server": "server", "agent": "agent", "certctl": "server",
	"certctl-server": "server", "certctl_server": "server", "certctlserver": "server",
	"certctl-agent": "agent", "certctl_agent": "agent", "certctlagent": "agent",
	"Server": "", "CERTCTL": "", "certctl-Server": "", "certctl--server": "", "certctl.server": "",
	"certctl-server-1": "", "my-certctl-agent": "", "server-certctl": "", "agent-server": "",
	"certctl-agent-server": "", "certctl-web": "", "web": "", "postgres": "", "": "",
}

var workloadNameCases = []struct{ workload, container, want string }{
	{"certctl-server", "app", "server"}, {"certctl", "server", "server"}, {"certctl", "agent", "agent"},
	{"certctl", "", ""}, {"certctl", "web", ""}, {"server", "x", ""}, {"agent", "", ""}, {"", "server", ""},
	{"CertCtl-Agent", "sidecar", "agent"}, {"CERTCTL", "SERVER", "server"}, {"certctl-server-agent", "", "agent"},
	{"certctl-server", "agent", "agent"}, {"web", "certctl", ""}, {"api", "certctl-server", "server"},
	{"my-certctl-agent-2", "main", "agent"}, {"certctlserver", "", "server"}, {"x", "y", ""}, {"", "", ""},
	{"serv", "certctl-er", ""}, {"cert", "ctl-server", ""},
}

func TestRoleFromName(t *testing.T) {
	for name, want := range serviceNameCases {
		if got := lint.RoleFromName(lint.ServiceName, name); got != want {
			t.Errorf("RoleFromName(ServiceName, %q) = %q, want %q", name, got, want)
		}
	}
	for _, c := range workloadNameCases {
		if got := lint.RoleFromName(lint.WorkloadNames, c.workload, c.container); got != c.want {
			t.Errorf("RoleFromName(WorkloadNames, %q, %q) = %q, want %q", c.workload, c.container, got, c.want)
		}
	}
	// A service rule reads one name: two say nothing.
	if got := lint.RoleFromName(lint.ServiceName, "certctl", "server"); got != "" {
		t.Errorf("RoleFromName(ServiceName, certctl, server) = %q, want none", got)
	}
}

func TestDecideWorkloadRoles(t *testing.T) {
	const server, agent = "ghcr.io/certctl-io/certctl:v2", "ghcr.io/certctl-io/certctl-agent:v2"
	serverVars := map[string]lint.Var{"CERTCTL_DATABASE_URL": {}}
	agentVars := map[string]lint.Var{"CERTCTL_AGENT_ID": {}}
	other := lint.RoleDecision{Role: "other"}
	byLabel := func(r string) lint.RoleDecision { return lint.RoleDecision{Role: r, By: lint.RoleByLabel, Evidence: r} }
	cases := []struct {
		name     string
		ev       []lint.RoleEvidence
		want     []lint.RoleDecision
		workload string
	}{
		{"no containers", nil, []lint.RoleDecision{}, "other"},
		{"override", []lint.RoleEvidence{{Override: "agent", Image: server}},
			[]lint.RoleDecision{{Role: "agent", By: lint.RoleByConfig, Evidence: "roles"}}, "agent"},
		{"no override", []lint.RoleEvidence{{Image: server}},
			[]lint.RoleDecision{{Role: "server", By: lint.RoleByImage, Evidence: server}}, "server"},
		{"image", []lint.RoleEvidence{{Image: agent}},
			[]lint.RoleDecision{{Role: "agent", By: lint.RoleByImage, Evidence: agent}}, "agent"},
		{"other image", []lint.RoleEvidence{{Image: "postgres:16"}}, []lint.RoleDecision{other}, "other"},
		{"server vars", []lint.RoleEvidence{{Image: "pki:1", Vars: serverVars}},
			[]lint.RoleDecision{{Role: "server", By: lint.RoleByVariable, Evidence: "CERTCTL_DATABASE_URL"}}, "server"},
		{"agent vars", []lint.RoleEvidence{{Vars: agentVars}},
			[]lint.RoleDecision{{Role: "agent", By: lint.RoleByVariable, Evidence: "CERTCTL_AGENT_ID"}}, "agent"},
		{"other vars", []lint.RoleEvidence{{Vars: map[string]lint.Var{"CERTCTL_LOG_LEVEL": {}}}}, []lint.RoleDecision{other}, "other"},
		{"label", []lint.RoleEvidence{{Label: "server"}}, []lint.RoleDecision{byLabel("server")}, "server"},
		{"other label", []lint.RoleEvidence{{Label: "database"}}, []lint.RoleDecision{other}, "other"},
		{"name", []lint.RoleEvidence{{NameRole: "agent"}}, []lint.RoleDecision{{Role: "agent", By: lint.RoleByName}}, "agent"},
		{"no name", []lint.RoleEvidence{{NameRole: ""}}, []lint.RoleDecision{other}, "other"},
		{"sidecar: the image shows the label's role, the label stops deciding",
			[]lint.RoleEvidence{{Image: server, Label: "server"}, {Image: "envoy:1", Label: "server"}},
			[]lint.RoleDecision{{Role: "server", By: lint.RoleByImage, Evidence: server}, other}, "server"},
		{"sidecar: variables show it too",
			[]lint.RoleEvidence{{Image: "envoy:1", Label: "agent"}, {Vars: agentVars, Label: "agent"}},
			[]lint.RoleDecision{other, {Role: "agent", By: lint.RoleByVariable, Evidence: "CERTCTL_AGENT_ID"}}, "agent"},
		{"sidecar: the name still decides once the label does not",
			[]lint.RoleEvidence{{Override: "server"}, {Label: "server", NameRole: "server"}},
			[]lint.RoleDecision{{Role: "server", By: lint.RoleByConfig, Evidence: "roles"}, {Role: "server", By: lint.RoleByName}}, "server"},
		{"no sidecar rule: only labels",
			[]lint.RoleEvidence{{Label: "server"}, {Label: "server"}},
			[]lint.RoleDecision{byLabel("server"), byLabel("server")}, "server"},
		{"no sidecar rule: a name is weaker than the label",
			[]lint.RoleEvidence{{Label: "server"}, {Label: "server", NameRole: "server"}},
			[]lint.RoleDecision{byLabel("server"), byLabel("server")}, "server"},
		{"no sidecar rule: the other container shows the other role",
			[]lint.RoleEvidence{{Image: agent, Label: "server"}, {Label: "server"}},
			[]lint.RoleDecision{{Role: "agent", By: lint.RoleByImage, Evidence: agent, LabelConflict: true}, byLabel("server")}, "server"},
		{"workload: agent without a server", []lint.RoleEvidence{{Image: "envoy:1"}, {Image: agent}},
			[]lint.RoleDecision{other, {Role: "agent", By: lint.RoleByImage, Evidence: agent}}, "agent"},
		{"workload: server over agent", []lint.RoleEvidence{{Image: agent}, {Image: server}, {}},
			[]lint.RoleDecision{{Role: "agent", By: lint.RoleByImage, Evidence: agent}, {Role: "server", By: lint.RoleByImage, Evidence: server}, other}, "server"},
	}
	for _, c := range cases {
		got, workload := lint.DecideWorkloadRoles(c.ev)
		if !reflect.DeepEqual(got, c.want) || workload != c.workload {
			t.Errorf("%s: DecideWorkloadRoles = %+v, %q; want %+v, %q", c.name, got, workload, c.want, c.workload)
		}
	}
}
