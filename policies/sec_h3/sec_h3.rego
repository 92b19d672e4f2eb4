# METADATA
# title: Demo acknowledgement expires after 24 hours
# description: >-
#   CERTCTL_DEMO_MODE_ACK=true relaxes production checks for a demo. To stop a forgotten
#   demo from being promoted to production, certctl (from 2.1.1) requires
#   CERTCTL_DEMO_MODE_ACK_TS, a unix epoch in seconds (surrounding spaces trimmed),
#   younger than 24 hours and at most one minute in the future; otherwise the next
#   start refuses. certctl compares with nanosecond precision, so a timestamp exactly
#   86,400 seconds old has already expired. certgate also warns when the
#   acknowledgement expires within the hour. certctl 2.1.0 does not check the
#   timestamp.
# custom:
#   id: SEC-H3
#   inputs: [env]
#   severity: error
#   releases: ">=2.1.1"
#   remediation: Re-acknowledge the demo at every start with CERTCTL_DEMO_MODE_ACK_TS=$(date +%s), or remove CERTCTL_DEMO_MODE_ACK for a production deployment.
#   docs: docs/policies.md#sec-h3
package certgate.sec_h3

import data.certgate.lib

releases := ">=2.1.1"

ack := "CERTCTL_DEMO_MODE_ACK"

ts := "CERTCTL_DEMO_MODE_ACK_TS"

max_age := 86400

max_skew := 60

# Warn when the acknowledgement expires within this many seconds.
expiry_notice := 3600

fix := "set it with CERTCTL_DEMO_MODE_ACK_TS=$(date +%s)"

acked_envs contains env if {
	some env in lib.server_envs
	lib.is_true(env, ack)
}

# The timestamp as certctl reads it: trimmed of surrounding white space, then
# parsed as a base-10 int64.
trimmed(env) := trim_space(lib.known_value(env, ts))

parsed(env) := lib.parse_int(trimmed(env))

# problem is why certctl refuses the timestamp (the branches exclude each
# other); undefined when it accepts it.
problem(env) := sprintf("%s is true but %s is missing", [ack, ts]) if lib.is_unset(env, ts)

problem(env) := sprintf("%s is blank (white space only)", [ts]) if {
	lib.known_value(env, ts) != ""
	trimmed(env) == ""
}

problem(env) := sprintf("%s=%q is not a unix epoch in seconds", [ts, lib.known_value(env, ts)]) if {
	trimmed(env) != ""
	not parsed(env)
}

problem(env) := sprintf("%s is %s old, 24h or more: the demo acknowledgement has expired", [ts, duration(age)]) if {
	age := input.meta.now_unix - parsed(env)
	age >= max_age
}

problem(env) := sprintf("%s is %s in the future, more than the 1 minute of clock skew allowed%s", [ts, duration(ahead), millis_hint(env)]) if {
	ahead := parsed(env) - input.meta.now_unix
	ahead > max_skew
}

deny contains f if {
	some env in acked_envs
	lib.applies(env, releases)
	msg := sprintf("%s: the server refuses to start (ErrDemoModeAckExpired); %s", [problem(env), fix])
	f := lib.finding(env, ts, msg)
}

warn contains f if {
	some env in acked_envs
	lib.applies(env, releases)
	lib.is_maybe_empty(env, ts)
	msg := sprintf("%s may be empty at run time: the server refuses to start (ErrDemoModeAckExpired) unless it is exported as a fresh unix epoch; %s", [ts, fix])
	f := lib.finding(env, ts, msg)
}

warn contains f if {
	some env in acked_envs
	lib.applies(env, releases)
	expires := parsed(env) + max_age
	left := expires - input.meta.now_unix
	left > 0
	left <= expiry_notice
	msg := sprintf("%s expires in %s: the next restart after %s UTC refuses to start (ErrDemoModeAckExpired); re-acknowledge the demo before restarting (%s)", [ts, duration(left), clock(expires), fix])
	f := lib.finding(env, ts, msg)
}

# certctl 2.1.0 does not check the timestamp: say what upgrading will refuse.
info contains f if {
	some env in acked_envs
	not lib.applies(env, releases)
	msg := sprintf("%s: certctl %s does not check the demo acknowledgement's timestamp, but from 2.1.1 the server refuses to start (ErrDemoModeAckExpired); %s", [problem(env), lib.version(env), fix])
	f := lib.finding(env, ts, msg)
}

millis_hint(env) := "; it has 13 digits and looks like milliseconds, certctl wants seconds" if {
	regex.match(`^[+]?[0-9]{13}$`, trimmed(env))
} else := ""

duration(s) := sprintf("%dh%02dm%02ds", [h, m, sec]) if {
	s < 8640000
	h := floor(s / 3600)
	m := floor((s - (h * 3600)) / 60)
	sec := (s - (h * 3600)) - (m * 60)
} else := sprintf("%d days", [floor(s / 86400)])

# clock is the UTC time of day of a unix epoch, HH:MM:SS.
clock(t) := sprintf("%02d:%02d:%02d", [h, m, s]) if {
	day := t % 86400
	h := floor(day / 3600)
	m := floor((day % 3600) / 60)
	s := day % 60
}
