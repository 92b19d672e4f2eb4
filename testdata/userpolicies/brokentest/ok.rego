# METADATA
# title: Fine
# description: A rule that compiles; its test does not.
# custom:
#   id: CFG-USER-FINE
#   severity: info
#   remediation: Nothing to do.
package certgate.user.fine

import data.certgate.lib

info contains f if {
	some env in lib.server_envs
	lib.is_true(env, "CERTCTL_FINE")
	f := lib.finding(env, "CERTCTL_FINE", "CERTCTL_FINE is true")
}
