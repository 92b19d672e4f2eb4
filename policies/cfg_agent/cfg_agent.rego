# METADATA
# title: The agent can authenticate and reads what it is given
# description: >-
#   The certctl agent authenticates to the server with CERTCTL_API_KEY; without it every
#   call is rejected and the agent does nothing useful. It never reads
#   CERTCTL_AGENT_BOOTSTRAP_TOKEN (a server setting), so a token in an agent's
#   environment is a copied secret that only widens its exposure. The agent reads
#   CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY case-insensitively (1, t, true, yes, on); when
#   true it does not verify the server's certificate (the SEC-M3 carve-out exists for
#   development only): give it the server's CA with CERTCTL_SERVER_CA_BUNDLE_PATH instead.
# custom:
#   id: CFG-AGENT
#   inputs: [env]
#   severity: error
#   remediation: Give every agent its own non-admin API key in CERTCTL_API_KEY (registered among the server's named API keys), trust the server through CERTCTL_SERVER_CA_BUNDLE_PATH, and remove CERTCTL_AGENT_BOOTSTRAP_TOKEN from agents.
#   docs: docs/policies.md#cfg-agent
package certgate.cfg_agent

import data.certgate.lib

api_key := "CERTCTL_API_KEY"

token := "CERTCTL_AGENT_BOOTSTRAP_TOKEN"

skip_verify := "CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY"

deny contains f if {
	some env in lib.agent_envs
	lib.is_unset(env, api_key)
	msg := sprintf("%s is empty or absent: the agent cannot authenticate to the server; set it to the agent's own API key", [api_key])
	f := lib.finding(env, api_key, msg)
}

warn contains f if {
	some env in lib.agent_envs
	lib.is_maybe_empty(env, api_key)
	msg := sprintf("%s may be empty at run time: the agent cannot authenticate unless it is exported non-empty", [api_key])
	f := lib.finding(env, api_key, msg)
}

warn contains f if {
	some env in lib.agent_envs
	env.vars[token]
	msg := sprintf("%s is set on an agent: the agent never reads it (it is a server setting); remove it so the secret lives only where it is used", [token])
	f := lib.finding(env, token, msg)
}

warn contains f if {
	some env in lib.agent_envs
	lib.is_agent_true(env, skip_verify)
	msg := sprintf("%s=%q turns off verification of the server's certificate: the agent sends its API key to whoever answers; give it the server's CA in CERTCTL_SERVER_CA_BUNDLE_PATH and remove %s", [skip_verify, lib.known_value(env, skip_verify), skip_verify])
	f := lib.finding(env, skip_verify, msg)
}
