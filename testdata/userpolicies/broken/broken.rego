# METADATA
# title: Broken
# description: Calls a helper the library does not have.
# custom:
#   id: CFG-USER-BROKEN
#   severity: error
#   remediation: Fix it.
package certgate.user.broken

import data.certgate.lib

deny contains f if {
	some env in lib.server_envs
	lib.no_such_helper(env)
	f := lib.finding(env, "CERTCTL_X", "never")
}
