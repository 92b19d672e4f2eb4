package compose

import (
	"regexp"

	"github.com/certgate/certgate/lint"
)

var (
	serverService = regexp.MustCompile(`^(certctl[-_]?)?server$|^certctl$`)
	agentService  = regexp.MustCompile(`^(certctl[-_]?)?agent$`)
)

// detectRole names what a service runs, by lint.DecideRole: its image, then the
// variables it sets (server-only keys before agent keys, since a server also
// reads the agent bootstrap token), then its name. certgate.yaml's roles: is
// applied by the caller and wins over all of them.
func detectRole(service, image string, vars map[string]lint.Var) string {
	name := ""
	switch {
	case serverService.MatchString(service):
		name = lint.RoleServer
	case agentService.MatchString(service):
		name = lint.RoleAgent
	}
	return lint.DecideRole(lint.RoleEvidence{Image: image, Vars: vars, NameRole: name}).Role
}
