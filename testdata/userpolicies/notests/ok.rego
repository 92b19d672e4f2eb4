# METADATA
# title: Untested
# description: A rule without a test.
# custom:
#   id: CFG-USER-UNTESTED
#   severity: info
#   remediation: Write a test.
package certgate.user.untested

import data.certgate.lib

info contains f if {
	some env in lib.server_envs
	lib.is_true(env, "CERTCTL_UNTESTED")
	f := lib.finding(env, "CERTCTL_UNTESTED", "CERTCTL_UNTESTED is true")
}
