package lint

import (
	"regexp"
	"strings"
)

// serverOnlyVars are read only by the certctl server: an environment that sets
// one is a server's, whatever its service or container is called.
var serverOnlyVars = []string{
	"CERTCTL_SERVER_TLS_CERT_PATH",
	"CERTCTL_SERVER_TLS_KEY_PATH",
	"CERTCTL_DATABASE_URL",
	"CERTCTL_AUTH_TYPE",
	"CERTCTL_AUTH_SECRET",
	"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY",
	"CERTCTL_DEMO_MODE_ACK",
	"CERTCTL_DEMO_MODE_ACK_TS",
	"CERTCTL_ACME_INSECURE",
	"CERTCTL_ACME_INSECURE_ACK",
	"CERTCTL_MAX_BODY_SIZE",
	"CERTCTL_RATE_LIMIT_BACKEND",
}

// agentOnlyVars are read only by the certctl agent.
var agentOnlyVars = []string{"CERTCTL_AGENT_ID", "CERTCTL_SERVER_URL"}

// RoleFromVars names the role an environment's variables reveal: server when it
// sets a server-only variable (checked first, since a server also reads the
// agent bootstrap token), agent when it sets an agent-only one, "" otherwise.
func RoleFromVars(vars map[string]Var) string {
	r, _ := roleFromVars(vars)
	return r
}

func roleFromVars(vars map[string]Var) (role, name string) {
	for _, k := range serverOnlyVars {
		if _, ok := vars[k]; ok {
			return RoleServer, k
		}
	}
	for _, k := range agentOnlyVars {
		if _, ok := vars[k]; ok {
			return RoleAgent, k
		}
	}
	return "", ""
}

var (
	agentImage  = regexp.MustCompile(`(^|/)certctl[-_/]agent$`)
	serverImage = regexp.MustCompile(`(^|/)certctl([-_/]server)?$`)

	serverService = regexp.MustCompile(`^(certctl[-_]?)?server$|^certctl$`)
	agentService  = regexp.MustCompile(`^(certctl[-_]?)?agent$`)
)

// NameRule says how RoleFromName reads names.
type NameRule int

const (
	// ServiceName reads one compose service name, which names the role only
	// when it is exactly a name certctl's own compose files use: server,
	// certctl, certctl-server, certctl_server or certctlserver for the server,
	// agent, certctl-agent, certctl_agent or certctlagent for the agent.
	ServiceName NameRule = iota
	// WorkloadNames reads a Kubernetes workload's and container's names,
	// which suggest the role when together they mention certctl and agent
	// (the agent) or else server (the server), in any case.
	WorkloadNames
)

// RoleFromName is the role names suggest, read by rule: the weakest evidence
// (RoleEvidence.NameRole); "" when they suggest none.
func RoleFromName(rule NameRule, names ...string) string {
	if rule == ServiceName {
		switch {
		case len(names) != 1:
			return ""
		case serverService.MatchString(names[0]):
			return RoleServer
		case agentService.MatchString(names[0]):
			return RoleAgent
		}
		return ""
	}
	joined := strings.ToLower(strings.Join(names, " "))
	switch {
	case !strings.Contains(joined, "certctl"):
		return ""
	case strings.Contains(joined, "agent"):
		return RoleAgent
	case strings.Contains(joined, "server"):
		return RoleServer
	}
	return ""
}

// RoleFromImage names the role a container image reveals: the certctl agent
// image (certctl-agent, certctl/agent, the chart's ghcr.io/certctl-io/certctl-agent)
// or the certctl server image (certctl-server, certctl/server, the chart's
// ghcr.io/certctl-io/certctl); "" for any other image. The registry, tag and
// digest do not matter.
func RoleFromImage(image string) string {
	repo := ImageRepository(image)
	switch {
	case repo == "":
		return ""
	case agentImage.MatchString(repo):
		return RoleAgent
	case serverImage.MatchString(repo):
		return RoleServer
	}
	return ""
}

// ImageRepository is an image reference without its tag and digest, lower-cased.
func ImageRepository(image string) string {
	image = strings.ToLower(strings.TrimSpace(image))
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

// How a role was decided, strongest first (RoleDecision.By).
const (
	RoleByConfig   = "certgate.yaml"
	RoleByImage    = "image"
	RoleByVariable = "variable"
	RoleByLabel    = "label"
	RoleByName     = "name"
)

// RoleEvidence is what a loader knows about one workload (a compose service, a
// Kubernetes container).
type RoleEvidence struct {
	// Override is the role certgate.yaml's roles: gives it ("" when none).
	Override string
	// Image is the container image.
	Image string
	// Vars are its environment variables.
	Vars map[string]Var
	// Label is its app.kubernetes.io/component label ("" when none).
	Label string
	// NameRole is the role its names suggest ("" when they suggest none); the
	// weakest evidence.
	NameRole string
}

// RoleDecision is the role of a workload and why.
type RoleDecision struct {
	Role string
	// By is RoleByConfig, RoleByImage, RoleByVariable, RoleByLabel, RoleByName
	// or "" (nothing says certctl: RoleOther).
	By string
	// Evidence is the image, variable or label value that decided.
	Evidence string
	// LabelConflict is set when the component label names the other certctl
	// role than the image or variables: rules warn about it, the decision
	// stands.
	LabelConflict bool
}

// DecideRole decides a workload's role by the first of: certgate.yaml roles:,
// the image, server- or agent-only variables, the app.kubernetes.io/component
// label (server or agent), then names. Every loader uses it, so compose
// services and Kubernetes containers are judged alike.
func DecideRole(ev RoleEvidence) RoleDecision {
	label := ""
	if ev.Label == RoleServer || ev.Label == RoleAgent {
		label = ev.Label
	}
	var d RoleDecision
	switch {
	case ev.Override != "":
		return RoleDecision{Role: ev.Override, By: RoleByConfig, Evidence: "roles"}
	case RoleFromImage(ev.Image) != "":
		d = RoleDecision{Role: RoleFromImage(ev.Image), By: RoleByImage, Evidence: ev.Image}
	default:
		if r, name := roleFromVars(ev.Vars); r != "" {
			d = RoleDecision{Role: r, By: RoleByVariable, Evidence: name}
		}
	}
	if d.Role != "" {
		d.LabelConflict = label != "" && label != d.Role
		return d
	}
	if label != "" {
		return RoleDecision{Role: label, By: RoleByLabel, Evidence: ev.Label}
	}
	if ev.NameRole != "" {
		return RoleDecision{Role: ev.NameRole, By: RoleByName}
	}
	return RoleDecision{Role: RoleOther}
}

// DecideWorkloadRoles decides the roles of one workload's containers (a
// compose service is a workload of one container), in the order of evidence,
// and the workload's role: server when a container is the server, else agent
// when one is the agent, else other. Each container is decided by DecideRole,
// except that the component label names the role of the pod, not of every
// sidecar: once another container shows that role by stronger evidence
// (certgate.yaml, its image or its variables), the label no longer decides
// for a container the label alone made that role.
func DecideWorkloadRoles(evidence []RoleEvidence) (containers []RoleDecision, workload string) {
	containers = make([]RoleDecision, len(evidence))
	for i, ev := range evidence {
		containers[i] = DecideRole(ev)
	}
	for i := range containers {
		if containers[i].By != RoleByLabel {
			continue
		}
		for j := range containers {
			if j != i && containers[j].Role == containers[i].Role && containers[j].By != RoleByLabel && containers[j].By != RoleByName {
				ev := evidence[i]
				ev.Label = ""
				containers[i] = DecideRole(ev)
				break
			}
		}
	}
	workload = RoleOther
	for _, d := range containers {
		switch {
		case d.Role == RoleServer:
			workload = RoleServer
		case d.Role == RoleAgent && workload == RoleOther:
			workload = RoleAgent
		}
	}
	return containers, workload
}

// Labels records the decision on an environment's labels (role_by,
// role_evidence, role_conflict), for rules and reports.
func (d RoleDecision) Labels(labels map[string]string) {
	if d.By != "" {
		labels["role_by"] = d.By
	}
	if d.Evidence != "" {
		labels["role_evidence"] = d.Evidence
	}
	if d.LabelConflict {
		labels["role_conflict"] = "true"
	}
}
