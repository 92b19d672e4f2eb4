# METADATA
# title: Rate limiting uses a backend and janitor interval certctl accepts
# description: >-
#   certctl refuses to start when CERTCTL_RATE_LIMIT_BACKEND is not memory or postgres
#   (case-sensitive; empty means memory). From certctl 2.1.4 it also refuses a
#   CERTCTL_RATE_LIMIT_JANITOR_INTERVAL that is positive but shorter than one minute
#   (the janitor would hammer the database); zero or a negative value passes that
#   check, and a value that does not parse as a Go duration silently becomes 5m
#   (CFG-DEFAULT says so).
# custom:
#   id: CFG-RATELIMIT
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_RATE_LIMIT_BACKEND to memory or postgres (lower case) and CERTCTL_RATE_LIMIT_JANITOR_INTERVAL to at least 1m (for example 5m), or remove them for memory and 5m.
#   docs: docs/policies.md#cfg-ratelimit
package certgate.cfg_ratelimit

import data.certgate.lib

backend := "CERTCTL_RATE_LIMIT_BACKEND"

janitor := "CERTCTL_RATE_LIMIT_JANITOR_INTERVAL"

backends := {"memory", "postgres"}

# The janitor interval check exists from certctl 2.1.4.
janitor_releases := ">=2.1.4"

minute := 60000000000

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, backend)
	v != ""
	not v in backends
	msg := sprintf("%s=%q is not memory or postgres (case-sensitive): the server refuses to start; write %s, or remove it for memory", [backend, v, hint(v)])
	f := lib.finding(env, backend, msg)
}

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, janitor)
	d := lib.parse_duration(v)
	d > 0
	d < minute
	lib.applies(env, janitor_releases)
	msg := sprintf("%s=%q is shorter than 1m0s: certctl %s refuses to start (the janitor interval must be 0 or at least one minute); set it to 1m or more, or remove it for 5m", [janitor, v, lib.version(env)])
	f := lib.finding(env, janitor, msg)
}

hint(v) := sprintf("%q", [lower(trim_space(v))]) if lower(trim_space(v)) in backends

hint(v) := "memory or postgres" if not lower(trim_space(v)) in backends
