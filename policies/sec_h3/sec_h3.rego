# METADATA
# title: Demo acknowledgement expires after 24 hours
# description: >-
#   CERTCTL_DEMO_MODE_ACK=true relaxes production checks for a demo. To stop a forgotten
#   demo from being promoted to production, certctl requires CERTCTL_DEMO_MODE_ACK_TS,
#   a unix epoch in seconds, no older than 24 hours and at most one minute in the
#   future; otherwise the next start refuses.
# custom:
#   id: SEC-H3
#   inputs: [env]
#   severity: error
#   remediation: Re-acknowledge the demo at every start with CERTCTL_DEMO_MODE_ACK_TS=$(date +%s), or remove CERTCTL_DEMO_MODE_ACK for a production deployment.
#   docs: docs/policies.md#sec-h3
package certgate.sec_h3

import data.certgate.lib

ack := "CERTCTL_DEMO_MODE_ACK"

ts := "CERTCTL_DEMO_MODE_ACK_TS"

max_age := 86400

max_skew := 60

fix := "set it with CERTCTL_DEMO_MODE_ACK_TS=$(date +%s)"

acked_envs contains env if {
	some env in lib.server_envs
	lib.is_true(env, ack)
}

# The timestamp as certctl parses it: surrounding spaces allowed, base 10.
parsed(env) := lib.parse_int(trim_space(lib.known_value(env, ts)))

deny contains f if {
	some env in acked_envs
	lib.is_unset(env, ts)
	msg := sprintf("%s is true but %s is missing: the server refuses to start (ErrDemoModeAckExpired); %s", [ack, ts, fix])
	f := lib.finding(env, ts, msg)
}

deny contains f if {
	some env in acked_envs
	v := lib.known_value(env, ts)
	trim_space(v) != ""
	not parsed(env)
	msg := sprintf("%s=%q is not a unix epoch in seconds: the server refuses to start (ErrDemoModeAckExpired); %s", [ts, v, fix])
	f := lib.finding(env, ts, msg)
}

deny contains f if {
	some env in acked_envs
	age := input.meta.now_unix - parsed(env)
	age > max_age
	msg := sprintf("%s is %s old, more than 24h: the demo acknowledgement has expired and the server refuses to start (ErrDemoModeAckExpired); %s", [ts, duration(age), fix])
	f := lib.finding(env, ts, msg)
}

deny contains f if {
	some env in acked_envs
	ahead := parsed(env) - input.meta.now_unix
	ahead > max_skew
	msg := sprintf("%s is %s in the future, more than the 1 minute of clock skew allowed: the server refuses to start (ErrDemoModeAckExpired)%s; %s", [ts, duration(ahead), millis_hint(env), fix])
	f := lib.finding(env, ts, msg)
}

millis_hint(env) := "; it has 13 digits and looks like milliseconds, certctl wants seconds" if {
	regex.match(`^[+]?[0-9]{13}$`, trim_space(lib.known_value(env, ts)))
} else := ""

duration(s) := sprintf("%dh%02dm%02ds", [h, m, sec]) if {
	s < 8640000
	h := floor(s / 3600)
	m := floor((s - (h * 3600)) / 60)
	sec := (s - (h * 3600)) - (m * 60)
} else := sprintf("%d days", [floor(s / 86400)])
