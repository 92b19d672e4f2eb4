# METADATA
# title: CORS origins must be listed
# description: A server without CORS origins refuses browser clients.
# custom:
#   id: CFG-USER-CORS
#   severity: warning
#   remediation: Set CERTCTL_CORS_ORIGINS.
package certgate.user.cors

import data.certgate.lib

warn contains f if {
	some env in lib.server_envs
	lib.is_unset(env, "CERTCTL_CORS_ORIGINS")
	f := lib.finding(env, "CERTCTL_CORS_ORIGINS", "CERTCTL_CORS_ORIGINS is not set")
}

# never_tested is a branch no test reaches, for the coverage report.
warn contains f if {
	some env in lib.server_envs
	env.vars.CERTCTL_CORS_ORIGINS.value == "*"
	f := lib.finding(env, "CERTCTL_CORS_ORIGINS", "CERTCTL_CORS_ORIGINS allows every origin")
}
