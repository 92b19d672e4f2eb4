# METADATA
# title: Agent bootstrap token required
# description: >-
#   certctl agents register with the server using CERTCTL_AGENT_BOOTSTRAP_TOKEN. From
#   certctl 2.1.1, when CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY is effectively true
#   (explicitly, or by default from 2.2.0) an empty or absent token makes the server
#   refuse to start; while the flag is off an empty token lets any agent register
#   (warn-mode pass-through). An acknowledged demo (CERTCTL_DEMO_MODE_ACK=true)
#   bypasses the check in 2.2.0 only: 2.1.1 to 2.1.7 have no bypass. certctl 2.1.0
#   has no such check; certgate says there what the upgrade will refuse.
# custom:
#   id: SEC-H1
#   inputs: [env]
#   severity: error
#   releases: ">=2.1.1"
#   remediation: Set CERTCTL_AGENT_BOOTSTRAP_TOKEN to a random secret (for example openssl rand -hex 32) on the server and every agent.
#   docs: docs/policies.md#sec-h1
package certgate.sec_h1

import data.certgate.lib

releases := ">=2.1.1"

# The demo acknowledgement bypasses the check from this release on.
bypass_releases := ">=2.2.0"

token := "CERTCTL_AGENT_BOOTSTRAP_TOKEN"

flag := "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY"

ack := "CERTCTL_DEMO_MODE_ACK"

fix := "set it to a random secret (openssl rand -hex 32) on the server and every agent"

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

# bypassed: the demo acknowledgement lifts the check (2.2.0 only).
bypassed(env) if {
	lib.applies(env, bypass_releases)
	lib.demo_acked(env)
}

# bypass_unknown: whether the demo acknowledgement lifts the check is only known
# at run time.
bypass_unknown(env) if {
	lib.applies(env, bypass_releases)
	lib.is_unknown(env, ack)
}

# no_bypass says why a demo acknowledgement does not help, where it is set.
no_bypass(env) := sprintf("; %s does not bypass this check before certctl 2.2.0", [ack]) if {
	not lib.applies(env, bypass_releases)
	lib.demo_acked(env)
} else := ""

deny contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "on"
	not bypassed(env)
	not bypass_unknown(env)
	msg := sprintf("%s is empty or absent and %s: the server refuses to start (ErrAgentBootstrapTokenRequired)%s; %s", [token, why_on(env), no_bypass(env), fix])
	f := lib.finding(env, anchor(env), msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_maybe_empty(env, token)
	lib.deny_empty_flag(env) == "on"
	not bypassed(env)
	msg := sprintf("%s may be empty at run time and %s: the server refuses to start (ErrAgentBootstrapTokenRequired) unless it is exported non-empty", [token, why_on(env)])
	f := lib.finding(env, token, msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "off"
	msg := sprintf("%s is empty or absent: %s", [token, off_consequence(env)])
	f := lib.finding(env, anchor(env), msg)
}

off_consequence(env) := sprintf("the server runs in warn-mode pass-through (any agent can register) and refuses to start from v2.2.0, where %s defaults to true; %s", [flag, fix]) if {
	lib.is_unset(env, flag)
}

off_consequence(env) := sprintf("%s is false, so the server runs in warn-mode pass-through and any agent can register; %s", [flag, fix]) if {
	not lib.is_unset(env, flag)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "on"
	bypass_unknown(env)
	msg := sprintf("%s is empty or absent and %s: the server refuses to start unless %s resolves to true at run time", [token, why_on(env), ack])
	f := lib.finding(env, anchor(env), msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_unset(env, token)
	lib.deny_empty_flag(env) == "unknown"
	not bypassed(env)
	msg := sprintf("%s is empty or absent: the server refuses to start if %s resolves to true at run time; %s", [token, flag, fix])
	f := lib.finding(env, flag, msg)
}

# certctl 2.1.0 has no bootstrap-token check: say what upgrading will refuse.
info contains f if {
	some env in lib.server_envs
	not lib.applies(env, releases)
	lib.is_unset(env, token)
	msg := sprintf("%s is empty or absent: certctl %s lets any agent register; from 2.1.1 the server refuses to start when %s is true, and from 2.2.0 that is the default (a demo acknowledgement bypasses it only from 2.2.0); %s before upgrading", [token, lib.version(env), flag, fix])
	f := lib.finding(env, anchor(env), msg)
}
