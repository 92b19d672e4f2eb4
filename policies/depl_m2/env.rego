package certgate.depl_m2

import data.certgate.lib

# Environments: what a certctl server or agent would start with (certgate env,
# certgate exec, the startup gate, and the compose services and containers of a
# lint). certctl itself refuses its two published demo literals without a demo
# acknowledgement; certgate refuses every other well-known placeholder in a
# secret-bearing variable outside the demo. Values never reach a message.
#
# A value that a file rule of this package (compose.rego, manifests.rego)
# already reports as an error at the same place is not reported again.

env_ack := "CERTCTL_DEMO_MODE_ACK"

# certctl's own demo placeholders, refused by the server (every release) unless
# the demo is acknowledged.
env_demo_literals := {
	"CERTCTL_AUTH_SECRET": "change-me-in-production",
	"CERTCTL_CONFIG_ENCRYPTION_KEY": "change-me-32-char-encryption-key",
}

env_judged := [env | some env in input.envs; env.role in {"server", "agent"}]

# env_candidates are the variables, as [index into env_judged, name], whose
# known value may hold a placeholder. The rules below judge only these (on a
# real environment: none), so the startup gate does not pay the secret-name and
# placeholder regexes per variable and per rule. env_may_hold_placeholder looks
# at all values of an environment at once with plain substring tests (much
# cheaper than a case-insensitive regex over the same text); only when it finds
# one does a regex run per variable. Both match whatever is_placeholder matches
# (and certctl's literals), and a secret text is a part of its value, so no
# finding is lost.
env_candidates contains [i, name] if {
	some i, env in env_judged
	env_may_hold_placeholder(env)
	some name, var in env.vars
	var.known
	regex.match(`(?i)change-me-|replace-with-|change_me|changeme|<your[-_]`, var.value)
}

env_may_hold_placeholder(env) if {
	text := lower(concat("\n", [var.value | some var in env.vars]))
	some marker in ["change-me-", "replace-with-", "change_me", "changeme", "<your"]
	contains(text, marker)
}

is_placeholder(s) if is_error_placeholder(s)

is_placeholder(s) if is_warning_placeholder(s)

# env_certctl_literal: certctl's own check applies (a server reading one of its
# demo literals).
env_certctl_literal(env, name) if {
	env.role == "server"
	lib.known_value(env, name) == env_demo_literals[name]
}

# env_secret_text is the part of a secret-bearing variable that is the secret:
# the whole value, or the password of the database URL.
env_secret_text(env, name) := v if {
	lib.secret_var(name)
	name != "CERTCTL_DATABASE_URL"
	v := lib.known_value(env, name)
}

env_secret_text(env, "CERTCTL_DATABASE_URL") := lib.database_url_password(lib.known_value(env, "CERTCTL_DATABASE_URL"))

env_what(name) := "the password in CERTCTL_DATABASE_URL" if name == "CERTCTL_DATABASE_URL"

env_what(name) := name if name != "CERTCTL_DATABASE_URL"

# env_demo_source: the value comes from the demo (a demo profile's objects, the
# demo compose overlay).
env_demo_source(env, _) if env.labels.demo == "true"

env_demo_source(env, name) if {
	some file in input.files
	file.id == env.vars[name].ref.file
	file.role == "demo"
}

# env_demo: the environment runs as an acknowledged demo (the server reads the
# acknowledgement; an agent does not).
env_demo(env) if {
	env.role == "server"
	lib.demo_acked(env)
}

env_demo_unknown(env) if {
	env.role == "server"
	lib.demo_ack_unknown(env)
}

# Places where a file rule of this package already reports an error.
file_error_refs := {[file.id, i, path] | some [file, i, path, value] in compose_scalars; is_error_placeholder(value)} | {r |
	some [i, path, value, _] in manifest_scalars
	is_error_placeholder(value)
	o := input.manifests[i]
	r := [o.ref.file, o.ref.doc, array.concat(o.ref.path, path)]
}

env_reported_by_file(env, name) if {
	ref := env.vars[name].ref
	[ref.file, ref.doc, ref.path] in file_error_refs
}

env_reported_by_file(env, name) if {
	ref := env.vars[name].ref
	[ref.file, ref.doc, array.concat(ref.path, ["value"])] in file_error_refs
}

# certctl's demo literals.

env_deny contains f if {
	some [i, name] in env_candidates
	env := env_judged[i]
	env_certctl_literal(env, name)
	lib.is_not_true(env, env_ack)
	not env_reported_by_file(env, name)
	msg := sprintf("%s is certctl's published demo placeholder: the server refuses to start without a demo acknowledgement (%s); set it to a random secret (openssl rand -base64 32)", [name, env_ack])
	f := lib.finding(env, name, msg)
}

env_warn contains f if {
	some [i, name] in env_candidates
	env := env_judged[i]
	env_certctl_literal(env, name)
	env_demo_unknown(env)
	not env_reported_by_file(env, name)
	msg := sprintf("%s is certctl's published demo placeholder: the server refuses to start unless %s resolves to true at run time; set it to a random secret", [name, env_ack])
	f := lib.finding(env, name, msg)
}

# Other placeholders in secret-bearing variables.

env_deny contains f if {
	some [i, name] in env_candidates
	env := env_judged[i]
	not env_certctl_literal(env, name)
	is_placeholder(env_secret_text(env, name))
	not env_demo_source(env, name)
	not env_demo(env)
	not env_demo_unknown(env)
	not env_reported_by_file(env, name)
	msg := sprintf("%s holds a well-known placeholder value: certctl starts with it, but a published credential is no secret, so certgate refuses it outside the demo; set a random secret", [env_what(name)])
	f := lib.finding(env, name, msg)
}

env_warn contains f if {
	some [i, name] in env_candidates
	env := env_judged[i]
	not env_certctl_literal(env, name)
	is_placeholder(env_secret_text(env, name))
	not env_demo_source(env, name)
	env_demo_unknown(env)
	not env_reported_by_file(env, name)
	msg := sprintf("%s holds a well-known placeholder value: certgate refuses it unless %s resolves to true at run time (a demo); set a random secret", [env_what(name), env_ack])
	f := lib.finding(env, name, msg)
}

deny contains f if some f in env_deny

warn contains f if some f in env_warn

# Places an environment rule of this package reports: the file rules'
# well-known-placeholder warnings stand back there, since the environment rule
# knows the variable holds a secret and says what certctl does with it.
# A container variable's ref is its env entry; the file rules point at the
# entry's value.
env_reported_refs := {[f.ref.file, f.ref.doc, f.ref.path] | some f in (env_deny | env_warn); f.ref != null} | {[f.ref.file, f.ref.doc, array.concat(f.ref.path, ["value"])] |
	some f in (env_deny | env_warn)
	f.ref != null
}
