# METADATA
# title: Numbers and durations that certctl silently replaces with its default
# description: >-
#   certctl reads integers with Go's strconv.Atoi and durations with time.ParseDuration,
#   and a value that does not parse is silently replaced by the default: the server
#   starts, but not with what the operator wrote. CERTCTL_SERVER_PORT=https listens on
#   8080, CERTCTL_DATABASE_MAX_CONNS=fifty opens up to 50 connections, and a duration
#   without a unit (60) is not a duration at all. Integers take an optional sign and
#   base-10 digits only (no spaces, units, exponents or hexadecimal); durations need a
#   unit on every number (ns, us, ms, s, m, h; 1h30m, 1.5s). The request body cap is
#   SEC-L3's and the SCEP and EST per-profile numbers are judged by their families.
# custom:
#   id: CFG-DEFAULT
#   inputs: [env]
#   severity: warning
#   remediation: Write integers as plain base-10 numbers and durations as Go durations with a unit (30s, 5m, 1h), or remove the variable to use the default on purpose.
#   docs: docs/policies.md#cfg-default
package certgate.cfg_default

import data.certgate.lib

# What certctl silently uses instead of a value that does not parse; "" is a
# default the specification does not give.
ints := {
	"CERTCTL_SERVER_PORT": "8080",
	"CERTCTL_DATABASE_MAX_CONNS": "50",
}

durations := {
	"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": "5m",
	"CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL": "",
	"CERTCTL_SCHEDULER_JOB_PROCESSOR_INTERVAL": "",
	"CERTCTL_SCHEDULER_AGENT_HEALTH_CHECK_INTERVAL": "",
	"CERTCTL_SCHEDULER_NOTIFICATION_PROCESS_INTERVAL": "",
	"CERTCTL_SCHEDULER_RETRY_INTERVAL": "",
	"CERTCTL_NOTIFICATION_RETRY_INTERVAL": "",
	"CERTCTL_JOB_TIMEOUT_INTERVAL": "",
	"CERTCTL_JOB_AWAITING_CSR_TIMEOUT": "",
	"CERTCTL_JOB_AWAITING_APPROVAL_TIMEOUT": "",
}

# The loops read env.vars directly rather than through lib.known_value: the
# gate runs them on every start, and a function call per variable is most of
# their cost.
warn contains f if {
	some env in lib.server_envs
	some name, fallback in ints
	var := env.vars[name]
	var.known
	v := var.value
	v != ""
	not regex.match(`^[0-9]{1,18}$`, v) # the common form, without a call
	not lib.parses_int(v)
	msg := sprintf("%s=%q is not a base-10 integer: certctl silently uses %s instead; write a plain number (digits only), or remove it for the default", [name, v, default_text(fallback)])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	some name, fallback in durations
	var := env.vars[name]
	var.known
	v := var.value
	v != ""
	not regex.match(`^[1-9][0-9]{0,5}[smh]$`, v) # the common form, without a call
	not lib.parses_duration(v)
	msg := sprintf("%s=%q is not a Go duration: certctl silently uses %s instead; %s", [name, v, default_text(fallback), fix(v)])
	f := lib.finding(env, name, msg)
}

default_text("") := "certctl's built-in default"

default_text(d) := sprintf("its default, %s", [d]) if d != ""

# fix suggests what to write: a unit for a bare number, else the accepted form.
fix(v) := sprintf("a duration needs a unit: write %ss or %sm", [v, v]) if lib.parse_int(v)

fix(v) := "write a number with a unit (30s, 5m, 1h30m), or remove it for the default" if not lib.parse_int(v)
