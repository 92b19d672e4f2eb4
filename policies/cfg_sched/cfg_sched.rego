# METADATA
# title: Scheduler intervals and job timeouts are long enough
# description: >-
#   certctl refuses to start when CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL is shorter
#   than one minute, or when any other scheduler interval or job timeout
#   (CERTCTL_SCHEDULER_JOB_PROCESSOR_INTERVAL, ..._AGENT_HEALTH_CHECK_INTERVAL,
#   ..._NOTIFICATION_PROCESS_INTERVAL, CERTCTL_SCHEDULER_RETRY_INTERVAL,
#   CERTCTL_NOTIFICATION_RETRY_INTERVAL, CERTCTL_JOB_TIMEOUT_INTERVAL,
#   CERTCTL_JOB_AWAITING_CSR_TIMEOUT, CERTCTL_JOB_AWAITING_APPROVAL_TIMEOUT) is shorter
#   than one second. Zero and negative durations are shorter, so they are refused too.
#   Values are Go durations (30s, 5m, 1h30m); one without a unit does not parse and
#   silently becomes certctl's default (CFG-DEFAULT says so).
# custom:
#   id: CFG-SCHED
#   inputs: [env]
#   severity: error
#   remediation: Set the renewal check interval to at least 1m and every other scheduler interval and job timeout to at least 1s, as Go durations with a unit (for example 1h, 30s), or remove them for certctl's defaults.
#   docs: docs/policies.md#cfg-sched
package certgate.cfg_sched

import data.certgate.lib

second := 1000000000

minute := 60000000000

# The shortest duration certctl accepts for each variable, in nanoseconds.
minimums := {
	"CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL": minute,
	"CERTCTL_SCHEDULER_JOB_PROCESSOR_INTERVAL": second,
	"CERTCTL_SCHEDULER_AGENT_HEALTH_CHECK_INTERVAL": second,
	"CERTCTL_SCHEDULER_NOTIFICATION_PROCESS_INTERVAL": second,
	"CERTCTL_SCHEDULER_RETRY_INTERVAL": second,
	"CERTCTL_NOTIFICATION_RETRY_INTERVAL": second,
	"CERTCTL_JOB_TIMEOUT_INTERVAL": second,
	"CERTCTL_JOB_AWAITING_CSR_TIMEOUT": second,
	"CERTCTL_JOB_AWAITING_APPROVAL_TIMEOUT": second,
}

# Patterns of what is certainly at least each minimum: a whole number of
# minutes or hours (a minute or more), or of seconds (for the one-second
# minimum). One regex, much cheaper than parse_duration, and true of almost
# every value the gate sees; only other values are parsed.
long_enough := {
	minute: `^[1-9][0-9]{0,5}[mh]$`,
	second: `^[1-9][0-9]{0,5}[smh]$`,
}

deny contains f if {
	some env in lib.server_envs
	some name, least in minimums
	var := env.vars[name] # not lib.known_value: one call less per variable on every start
	var.known
	v := var.value
	not regex.match(long_enough[least], v)
	d := lib.parse_duration(v)
	d < least
	shortest := lib.format_duration(least)
	msg := sprintf("%s=%q is shorter than %s: the server refuses to start; set it to %s or more (a Go duration with a unit), or remove it for certctl's default", [name, v, shortest, shortest])
	f := lib.finding(env, name, msg)
}
