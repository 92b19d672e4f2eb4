# METADATA
# title: Agent bootstrap token required
# description: >-
#   certctl agents register with the server using CERTCTL_AGENT_BOOTSTRAP_TOKEN. When
#   CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY is effectively true (explicitly, or by
#   default from certctl 2.2.0) an empty or absent token makes the server refuse to
#   start; before that, an empty token lets any agent register (warn-mode pass-through).
#   An acknowledged demo (CERTCTL_DEMO_MODE_ACK=true) bypasses the check.
# custom:
#   id: SEC-H1
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_AGENT_BOOTSTRAP_TOKEN to a random secret (for example openssl rand -hex 32) on the server and every agent.
#   docs: docs/policies.md#sec-h1
package certgate.sec_h1

import data.certgate.lib

token := "CERTCTL_AGENT_BOOTSTRAP_TOKEN"

flag := "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY"

ack := "CERTCTL_DEMO_MODE_ACK"

# Where the finding points: the token when it is there (empty), else the flag.
anchor(env) := token if env.vars[token]

anchor(env) := flag if {
	not env.vars[token]
	env.vars[flag]
}

anchor(env) := token if {
	not env.vars[token]
	not env.vars[flag]
}

why_on(env) := sprintf("%s is true", [flag]) if lib.is_true(env, flag)

why_on(env) := sprintf("certctl %s defaults %s to true", [lib.version(env), flag]) if lib.is_unset(env, flag)

deny contains f if {
	some env in lib.server_envs
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "on"
	lib.is_not_true(env, ack)
	msg := sprintf("%s is empty or absent and %s: the server refuses to start (ErrAgentBootstrapTokenRequired)", [token, why_on(env)])
	f := lib.finding(env, anchor(env), msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "off"
	msg := sprintf("%s is empty or absent: the server runs in warn-mode pass-through (any agent can register) and refuses to start from v2.2.0, where %s defaults to true", [token, flag])
	f := lib.finding(env, anchor(env), msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "on"
	lib.is_unknown(env, ack)
	msg := sprintf("%s is empty or absent and %s: the server refuses to start unless %s resolves to true at run time", [token, why_on(env), ack])
	f := lib.finding(env, anchor(env), msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "unknown"
	lib.is_not_true(env, ack)
	msg := sprintf("%s is empty or absent: the server refuses to start if %s resolves to true at run time", [token, flag])
	f := lib.finding(env, flag, msg)
}
