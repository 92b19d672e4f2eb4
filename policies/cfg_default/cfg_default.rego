# METADATA
# title: Numbers and durations that certctl silently replaces with its default
# description: >-
#   certctl reads integers with Go's strconv.Atoi and durations with time.ParseDuration,
#   and a value that does not parse is silently replaced by the default: the server
#   starts, but not with what the operator wrote. CERTCTL_SERVER_PORT=https listens on
#   8080, CERTCTL_DATABASE_MAX_CONNS=fifty opens up to 50 connections, and a duration
#   without a unit (60) is not a duration at all. Integers take an optional sign and
#   base-10 digits only (no spaces, units, exponents or hexadecimal); durations need a
#   unit on every number (ns, us, ms, s, m, h; 1h30m, 1.5s). CERTCTL_MAX_BODY_SIZE is
#   SEC-L3's and the SCEP and EST per-profile numbers are judged by their families.
# custom:
#   id: CFG-DEFAULT
#   inputs: [env]
#   severity: warning
#   remediation: Write integers as plain base-10 numbers and durations as Go durations with a unit (30s, 5m, 1h), or remove the variable to use the default on purpose.
#   docs: docs/policies.md#cfg-default
package certgate.cfg_default

import data.certgate.lib

# How certctl parses each variable and what it silently uses instead; "" is a
# default the specification does not give.
numbers := {
	"CERTCTL_SERVER_PORT": {"kind": "int", "default": "8080"},
	"CERTCTL_DATABASE_MAX_CONNS": {"kind": "int", "default": "50"},
	"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": {"kind": "duration", "default": "5m"},
	"CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_SCHEDULER_JOB_PROCESSOR_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_SCHEDULER_AGENT_HEALTH_CHECK_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_SCHEDULER_NOTIFICATION_PROCESS_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_SCHEDULER_RETRY_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_NOTIFICATION_RETRY_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_JOB_TIMEOUT_INTERVAL": {"kind": "duration", "default": ""},
	"CERTCTL_JOB_AWAITING_CSR_TIMEOUT": {"kind": "duration", "default": ""},
	"CERTCTL_JOB_AWAITING_APPROVAL_TIMEOUT": {"kind": "duration", "default": ""},
}

warn contains f if {
	some env in lib.server_envs
	some name, spec in numbers
	v := lib.known_value(env, name)
	v != ""
	not parses(spec.kind, v)
	msg := sprintf("%s=%q is not %s: certctl silently uses %s instead; %s", [name, v, what[spec.kind], default_text(spec.default), fix(spec.kind, v)])
	f := lib.finding(env, name, msg)
}

parses("int", v) if lib.parse_int(v)

parses("duration", v) if lib.parse_duration(v)

what := {"int": "a base-10 integer", "duration": "a Go duration"}

default_text("") := "certctl's built-in default"

default_text(d) := sprintf("its default, %s", [d]) if d != ""

# fix suggests what to write: a unit for a bare number, else the accepted form.
fix("duration", v) := sprintf("a duration needs a unit: write %ss or %sm", [v, v]) if lib.parse_int(v)

fix("duration", v) := "write a number with a unit (30s, 5m, 1h30m), or remove it for the default" if not lib.parse_int(v)

fix("int", _) := "write a plain number (digits only), or remove it for the default"
