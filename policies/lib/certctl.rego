# METADATA
# title: certctl value semantics
# description: Helpers that read environment values the way the certctl server reads them.
package certgate.lib

# Environments whose role is "server": the ones certctl's server would start with.
# An array, not a set: a set would hash every (large) environment object.
server_envs := [env | some env in input.envs; env.role == "server"]

# certctl reads exactly these spellings as true, case-sensitively.
true_spellings := {"true", "1", "yes"}

# The spellings certctl documents; anything else is almost certainly a mistake.
bool_spellings := {"true", "false", "1", "0", "yes", "no"}

# The boolean variables the environment rules read.
bool_vars := {
	"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY",
	"CERTCTL_ACME_INSECURE",
	"CERTCTL_ACME_INSECURE_ACK",
	"CERTCTL_DEMO_MODE_ACK",
}

# known_value is the value of a variable that is present and known at lint time.
known_value(env, name) := env.vars[name].value if env.vars[name].known

# The predicates below read env.vars directly rather than through known_value:
# every rule asks them about variables on every start, and each helper call
# costs the evaluator more than a lookup.

# open_env: the environment imports variables certgate cannot see (an envFrom of
# a Secret or ConfigMap outside the release), so an absent variable may be set.
open_env(env) if env.labels.env_from_unresolved

# is_unknown: the variable is set, but its value is only known at run time
# (an interpolated compose value, a Kubernetes secretKeyRef outside the release),
# or it is absent from an open environment.
is_unknown(env, name) if env.vars[name].known == false

is_unknown(env, name) if {
	not env.vars[name]
	open_env(env)
}

# is_unset: absent, or known and empty (certctl applies the default).
is_unset(env, name) if {
	not env.vars[name]
	not open_env(env)
}

is_unset(env, name) if {
	var := env.vars[name]
	var.known
	var.value == ""
}

# is_true: certctl will read the variable as true.
is_true(env, name) if {
	var := env.vars[name]
	var.known
	var.value in true_spellings
}

# is_not_true: certctl will certainly not read the variable as true: unset, or
# known and not one of the true spellings (the empty value included).
is_not_true(env, name) if {
	not env.vars[name]
	not open_env(env)
}

is_not_true(env, name) if {
	var := env.vars[name]
	var.known
	not var.value in true_spellings
}

# parse_int (Go's strconv.ParseInt, base 10, 64-bit) is in parse.rego.

# deny_empty_flag is "on", "off" or "unknown": how certctl will read
# CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY for the target release. An else
# chain: the first case that applies decides, the last is the unset flag.
deny_empty_flag(env) := "on" if {
	is_true(env, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY")
} else := "off" if {
	known_value(env, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY") != ""
} else := "unknown" if {
	is_unknown(env, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY")
} else := "on" if {
	deny_empty_default_on(env)
} else := "off"

# From 2.2.0 certctl refuses an empty bootstrap token by default.
deny_empty_default_on(env) if semver.compare(version(env), "2.2.0") >= 0

# ref points at the variable when it is set, else at the environment itself.
ref(env, name) := env.vars[name].ref if env.vars[name].ref

ref(env, name) := object.get(env, "ref", null) if not env.vars[name].ref

# is_maybe_empty: the value is unknown but may be empty at run time (compose's
# ${X:-}: "from the shell, possibly empty"). Rules that refuse an empty value
# warn about it.
is_maybe_empty(env, name) if env.vars[name].maybe_empty == true

# demo_acked: the server reads CERTCTL_DEMO_MODE_ACK as true, which relaxes
# several of its refusals (auth none off loopback, CORS *, placeholder secrets,
# server-side key generation).
demo_acked(env) if is_true(env, "CERTCTL_DEMO_MODE_ACK")

# note is what qualifies a variable's value in messages ("default of ${X};
# export X to override"), or "" when nothing does.
note(env, name) := env.vars[name].note if env.vars[name].note

note(env, name) := "" if not env.vars[name].note

with_note(env, name, msg) := msg if note(env, name) == ""

with_note(env, name, msg) := sprintf("%s (%s)", [msg, note(env, name)]) if note(env, name) != ""

# finding builds a finding about a variable of an environment; a variable whose
# value is qualified (a compose default) says so at the end of the message.
finding(env, name, msg) := {"msg": with_note(env, name, msg), "ref": ref(env, name), "subject": env.id}

# value_or(env, name, default) is the value certctl uses for a string variable:
# the known value, or the default when it is unset. Undefined when unknown.
value_or(env, name, dflt) := dflt if is_unset(env, name)

value_or(env, name, _) := v if {
	v := known_value(env, name)
	v != ""
}

# Loopback as certctl's auth check means it: exactly these three spellings.
# 0.0.0.0, ::, [::1], 127.0.0.2 and every other name are not loopback to it.
auth_loopback_hosts := {"127.0.0.1", "::1", "localhost"}

# listens_on_loopback: a listen host that only accepts connections from inside
# its own network namespace (127.0.0.0/8, ::1 in any spelling, localhost).
listens_on_loopback(host) if lower(host) in {"localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1"}

listens_on_loopback(host) if regex.match(`^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$`, host)

# byte_len is the length of s in bytes as Go's len() counts it (UTF-8), where
# Rego's count() counts characters.
byte_len(s) := count(hex.encode(s)) / 2

# demo_ack_unknown: whether the demo is acknowledged is only known at run time.
demo_ack_unknown(env) if is_unknown(env, "CERTCTL_DEMO_MODE_ACK")

# secret_var: a variable whose value is a credential (token, secret, password,
# key, the named API keys, the database URL with its password). Paths, files,
# directories, IDs and flags about secrets are not secrets themselves.
secret_var(name) if {
	regex.match(`TOKEN|SECRET|PASSWORD|PASSWD|_KEY$|_KEY_|API_KEYS|^CERTCTL_DATABASE_URL$`, name)
	not regex.match(`(_PATH|_FILE|_DIR|_ID|_DENY_EMPTY|_ENABLED|_MODE)$`, name)
}

# database_url_password is the password of a lib/pq connection string: the
# userinfo password of a URL, or the password= field of a key/value DSN.
database_url_password(url) := pw if {
	m := regex.find_all_string_submatch_n(`^[A-Za-z][A-Za-z0-9+.-]*://[^:@/]*:([^/]*)@`, url, 1)
	pw := m[0][1]
}

database_url_password(url) := pw if {
	not contains(url, "://")
	m := regex.find_all_string_submatch_n(`(?:^|\s)password=('(?:[^'\\]|\\.)*'|\S*)`, url, 1)
	pw := trim(m[0][1], "'")
}
