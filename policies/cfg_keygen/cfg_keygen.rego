# METADATA
# title: Key generation mode is one certctl accepts
# description: >-
#   CERTCTL_KEYGEN_MODE chooses where private keys are generated: agent (the
#   default: keys never leave the host that uses them) or server. certctl compares
#   case-sensitively and refuses any other value. From 2.2.0 it also refuses server
#   without a demo acknowledgement (CERTCTL_DEMO_MODE_ACK), because the server then
#   holds every private key.
# custom:
#   id: CFG-KEYGEN
#   inputs: [env]
#   severity: error
#   remediation: Leave CERTCTL_KEYGEN_MODE unset or set it to agent; use server only in an acknowledged demo.
#   docs: docs/policies.md#cfg-keygen
package certgate.cfg_keygen

import data.certgate.lib

name := "CERTCTL_KEYGEN_MODE"

ack := "CERTCTL_DEMO_MODE_ACK"

modes := {"agent", "server"}

# From this release on, server-side key generation needs a demo acknowledgement.
server_needs_demo := ">=2.2.0"

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, name)
	v != ""
	not v in modes
	msg := sprintf("%s=%q is not agent or server%s: the server refuses to start; set it to agent (the default) or leave it unset", [name, v, case_hint(v)])
	f := lib.finding(env, name, msg)
}

case_hint(v) := " (certctl compares case-sensitively)" if lower(v) in modes

case_hint(v) := "" if not lower(v) in modes

deny contains f if {
	some env in lib.server_envs
	lib.applies(env, server_needs_demo)
	lib.known_value(env, name) == "server"
	lib.is_not_true(env, ack)
	msg := sprintf("%s=server without a demo acknowledgement: certctl %s refuses to start (the server would hold every private key); use agent, or acknowledge a demo with %s", [name, lib.version(env), ack])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, server_needs_demo)
	lib.known_value(env, name) == "server"
	lib.is_unknown(env, ack)
	msg := sprintf("%s=server: certctl %s refuses to start unless %s resolves to true at run time; use agent", [name, lib.version(env), ack])
	f := lib.finding(env, name, msg)
}

info contains f if {
	some env in lib.server_envs
	not lib.applies(env, server_needs_demo)
	lib.known_value(env, name) == "server"
	not lib.is_true(env, ack)
	msg := sprintf("%s=server: certctl %s generates private keys on the server; from 2.2.0 the server refuses to start with it unless the demo is acknowledged (%s)", [name, lib.version(env), ack])
	f := lib.finding(env, name, msg)
}
