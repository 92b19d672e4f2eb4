# METADATA
# title: Auth type must be set
# description: The server needs an explicit auth type.
# custom:
#   id: CFG-AUTH-TYPE
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_AUTH_TYPE.
package certgate.user.auth_type

import data.certgate.lib

deny contains f if {
	some env in lib.server_envs
	lib.is_unset(env, "CERTCTL_AUTH_TYPE")
	f := lib.finding(env, "CERTCTL_AUTH_TYPE", "CERTCTL_AUTH_TYPE is not set")
}
