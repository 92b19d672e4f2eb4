# METADATA
# title: ACME insecure mode needs its acknowledgement
# description: >-
#   CERTCTL_ACME_INSECURE=true turns off TLS verification of the ACME directory. From
#   certctl 2.1.1 the server refuses to start unless CERTCTL_ACME_INSECURE_ACK=true
#   acknowledges it. certctl itself starts with an acknowledgement alone; certgate
#   refuses that too, as a leftover acknowledgement that would silently approve
#   insecure mode the day the flag is switched on. With both set the server starts
#   and logs a reminder at every boot. certctl 2.1.0 has no acknowledgement gate.
# custom:
#   id: SEC-M4
#   inputs: [env]
#   severity: error
#   releases: ">=2.1.1"
#   remediation: Remove CERTCTL_ACME_INSECURE and CERTCTL_ACME_INSECURE_ACK (trust the ACME CA instead), or set both to true for a test CA you control.
#   docs: docs/policies.md#sec-m4
package certgate.sec_m4

import data.certgate.lib

releases := ">=2.1.1"

insecure := "CERTCTL_ACME_INSECURE"

ack := "CERTCTL_ACME_INSECURE_ACK"

deny contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_true(env, insecure)
	lib.is_not_true(env, ack)
	msg := sprintf("%s is true but %s is not: the server refuses to start (ErrACMEInsecureWithoutAck); trust the ACME CA and remove %s, or set %s=true for a test CA you control", [insecure, ack, insecure, ack])
	f := lib.finding(env, insecure, msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_true(env, insecure)
	lib.is_unknown(env, ack)
	msg := sprintf("%s is true: the server refuses to start (ErrACMEInsecureWithoutAck) unless %s resolves to true at run time", [insecure, ack])
	f := lib.finding(env, insecure, msg)
}

deny contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_true(env, ack)
	lib.is_not_true(env, insecure)
	msg := sprintf("%s is true but %s is not: certctl itself starts with an acknowledgement alone, but certgate refuses it as a leftover acknowledgement that would silently approve insecure mode the day %s is switched on; remove %s", [ack, insecure, insecure, ack])
	f := lib.finding(env, ack, msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.applies(env, releases)
	lib.is_true(env, insecure)
	lib.is_true(env, ack)
	msg := sprintf("%s and %s are true: TLS verification of the ACME directory is disabled (the server logs this at every start)", [insecure, ack])
	f := lib.finding(env, insecure, msg)
}

# certctl 2.1.0 has no acknowledgement gate: say what upgrading will refuse.
info contains f if {
	some env in lib.server_envs
	not lib.applies(env, releases)
	lib.is_true(env, insecure)
	msg := sprintf("%s is true: certctl %s starts with TLS verification of the ACME directory disabled and no acknowledgement; from 2.1.1 the server refuses to start unless %s=true as well", [insecure, lib.version(env), ack])
	f := lib.finding(env, insecure, msg)
}
