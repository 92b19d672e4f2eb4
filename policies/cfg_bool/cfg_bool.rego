# METADATA
# title: Boolean variables use certctl's spellings
# description: >-
#   The certctl server reads true, 1 and yes as true and every other non-empty value as
#   false, case-sensitively: True, TRUE, on and y are all read as false. A spelling
#   outside true|false|1|0|yes|no almost always means the operator meant something
#   else. This covers every boolean the server reads: the fixed ones and the per-profile
#   SCEP and EST switches (names ending in _ENABLED or _CHANNEL_BINDING_REQUIRED).
#   CERTCTL_MIGRATIONS_VIA_HOOK is the exception: it is true for true in any case and
#   false for everything else, 1 and yes included. The certctl agent reads its booleans
#   case-insensitively (1, t, true, yes, on are true; 0, f, false, no, off are false).
# custom:
#   id: CFG-BOOL
#   inputs: [env]
#   severity: error
#   remediation: Spell the value exactly true or false (lower case).
#   docs: docs/policies.md#cfg-bool
package certgate.cfg_bool

import data.certgate.lib

# The booleans of the server with fixed names (the hook variable aside).
server_bools := lib.bool_vars | {"CERTCTL_SCEP_ENABLED", "CERTCTL_EST_ENABLED", "CERTCTL_OTEL_ENABLED"}

hook := "CERTCTL_MIGRATIONS_VIA_HOOK"

# The booleans of the agent.
agent_bools := {"CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY"}

# The per-profile (or legacy single-profile) SCEP and EST switches, matched
# against all of an environment's names at once (one newline-separated string).
profile_bool_pattern := `(?m)^CERTCTL_(?:SCEP_[A-Z0-9_]+_ENABLED|EST_[A-Z0-9_]+_(?:ENABLED|CHANNEL_BINDING_REQUIRED))$`

# bools are the boolean variables of a server environment that it sets.
bools(env) := {name | some name in server_bools; env.vars[name]} | {name | some name in regex.find_n(profile_bool_pattern, concat("\n", object.keys(env.vars)), -1)}

deny contains f if {
	some env in lib.server_envs
	some name in bools(env)
	v := lib.known_value(env, name)
	v != ""
	not v in lib.bool_spellings
	msg := sprintf("%s=%q is not one of true|false|1|0|yes|no: certctl reads it as false; write true or false", [name, v])
	f := lib.finding(env, name, msg)
}

# CERTCTL_MIGRATIONS_VIA_HOOK: strings.EqualFold(v, "true").
deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, hook)
	v != ""
	not lower(v) in {"true", "false"}
	not v in {"0", "no"}
	msg := sprintf("%s=%q is read as false: certctl reads this variable as true only for true (in any case), so 1, yes and on are false and the server runs its database migrations itself; write true or false", [hook, v])
	f := lib.finding(env, hook, msg)
}

warn contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, hook)
	lower(v) in {"true", "false"}
	not v in {"true", "false"}
	msg := sprintf("%s=%q is read as %s (this variable alone ignores case); write %s%s", [hook, v, lower(v), lower(v), elsewhere(v)])
	f := lib.finding(env, hook, msg)
}

elsewhere(v) := sprintf(": every other certctl boolean reads %q as false", [v]) if lower(v) == "true"

elsewhere(v) := "" if lower(v) == "false"

deny contains f if {
	some env in lib.agent_envs
	some name in agent_bools
	v := lib.known_value(env, name)
	v != ""
	not lower(v) in lib.agent_bool_spellings
	msg := sprintf("%s=%q is not one of 1|t|true|yes|on|0|f|false|no|off: the agent reads it as false; write true or false", [name, v])
	f := lib.finding(env, name, msg)
}
