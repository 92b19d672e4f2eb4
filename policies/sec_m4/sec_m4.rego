# METADATA
# title: ACME insecure mode needs its acknowledgement
# description: >-
#   CERTCTL_ACME_INSECURE=true turns off TLS verification of the ACME directory. certctl
#   refuses to start unless CERTCTL_ACME_INSECURE_ACK=true acknowledges it, and an
#   acknowledgement without the insecure flag also fails closed. With both set the
#   server starts and logs a reminder at every boot.
# custom:
#   id: SEC-M4
#   inputs: [env]
#   severity: error
#   remediation: Remove CERTCTL_ACME_INSECURE and CERTCTL_ACME_INSECURE_ACK (trust the ACME CA instead), or set both to true for a test CA you control.
#   docs: docs/policies.md#sec-m4
package certgate.sec_m4

import data.certgate.lib

insecure := "CERTCTL_ACME_INSECURE"

ack := "CERTCTL_ACME_INSECURE_ACK"

deny contains f if {
	some env in lib.server_envs
	lib.is_true(env, insecure)
	lib.is_not_true(env, ack)
	msg := sprintf("%s is true but %s is not: the server refuses to start (ErrACMEInsecureWithoutAck)", [insecure, ack])
	f := lib.finding(env, insecure, msg)
}

deny contains f if {
	some env in lib.server_envs
	lib.is_true(env, ack)
	lib.is_not_true(env, insecure)
	msg := sprintf("%s is true but %s is not: an acknowledgement without the insecure flag fails closed (ErrACMEInsecureWithoutAck)", [ack, insecure])
	f := lib.finding(env, ack, msg)
}

warn contains f if {
	some env in lib.server_envs
	lib.is_true(env, insecure)
	lib.is_true(env, ack)
	msg := sprintf("%s and %s are true: TLS verification of the ACME directory is disabled (the server logs this at every start)", [insecure, ack])
	f := lib.finding(env, insecure, msg)
}
