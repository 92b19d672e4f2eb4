package compose

import (
	"regexp"

	"github.com/certgate/certgate/lint"
)

// serverOnly are variables only the certctl server reads: a service that sets
// one is a server whatever its name.
var serverOnly = []string{
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

// agentOnly are variables only the certctl agent reads.
var agentOnly = []string{"CERTCTL_AGENT_ID", "CERTCTL_SERVER_URL"}

var (
	serverService = regexp.MustCompile(`^(certctl[-_]?)?server$|^certctl$`)
	serverImage   = regexp.MustCompile(`certctl-server|/certctl(:|@|$)|^certctl(:|@|$)`)
	agentService  = regexp.MustCompile(`^(certctl[-_]?)?agent$`)
	agentImage    = regexp.MustCompile(`certctl-agent`)
)

// detectRole names what a service runs: its name or image first, then the
// variables it sets (server-only keys before agent keys, since a server also
// reads the agent bootstrap token).
func detectRole(service, image string, vars map[string]lint.Var) string {
	switch {
	case serverService.MatchString(service) || serverImage.MatchString(image):
		return lint.RoleServer
	case agentService.MatchString(service) || agentImage.MatchString(image):
		return lint.RoleAgent
	}
	for _, k := range serverOnly {
		if _, ok := vars[k]; ok {
			return lint.RoleServer
		}
	}
	for _, k := range agentOnly {
		if _, ok := vars[k]; ok {
			return lint.RoleAgent
		}
	}
	return lint.RoleOther
}
