package compose

import (
	"regexp"

	"github.com/certgate/certgate/lint"
)

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
	if r := lint.RoleFromVars(vars); r != "" {
		return r
	}
	return lint.RoleOther
}
