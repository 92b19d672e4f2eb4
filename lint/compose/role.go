package compose

import "github.com/certgate/certgate/lint"

// serviceRole decides what a service runs by lint.DecideWorkloadRoles, as for
// any workload (of one container): certgate.yaml's roles: (override), then its
// image, then the variables it sets (server-only keys before agent keys,
// since a server also reads the agent bootstrap token), then its name
// (lint.ServiceName).
func serviceRole(service, override, image string, vars map[string]lint.Var) string {
	ds, _ := lint.DecideWorkloadRoles([]lint.RoleEvidence{{
		Override: override,
		Image:    image,
		Vars:     vars,
		NameRole: lint.RoleFromName(lint.ServiceName, service),
	}})
	return ds[0].Role
}
