# METADATA
# title: EST profiles certctl accepts
# description: >-
#   With CERTCTL_EST_ENABLED true, certctl serves one EST profile per name of
#   CERTCTL_EST_PROFILES (comma-separated). A profile reads
#   CERTCTL_EST_PROFILE_<NAME>_ISSUER_ID, _PROFILE_ID, _ENROLLMENT_PASSWORD,
#   _MTLS_ENABLED, _MTLS_CLIENT_CA_TRUST_BUNDLE_PATH, _CHANNEL_BINDING_REQUIRED,
#   _ALLOWED_AUTH_MODES (comma-separated, lower-cased), _RATE_LIMIT_PER_PRINCIPAL_24H
#   (integer, default 0: no cap) and _SERVERKEYGEN_ENABLED, with <NAME> upper-cased,
#   and is served under its name lower-cased (the path ID,
#   /.well-known/est/<id>/). Without profiles, CERTCTL_EST_ISSUER_ID (default
#   iss-local) and CERTCTL_EST_PROFILE_ID form one profile at /.well-known/est/,
#   which certctl always accepts. The server refuses to start when a path ID is
#   not [a-z0-9-]+ without a leading or trailing hyphen, or is listed twice; when
#   a profile has no issuer ID (profile issuer IDs have no default); when mTLS is
#   on without a client CA trust bundle path, or channel binding is required
#   without mTLS; when an allowed auth mode is not mtls or basic, mtls is allowed
#   without mTLS on, or basic without an enrollment password; when the
#   per-principal rate limit is negative; when server-side key generation is on
#   without a profile ID. An integer that does not parse silently becomes its
#   default.
# custom:
#   id: CFG-EST
#   inputs: [env]
#   severity: error
#   remediation: >-
#     Give every EST profile an issuer ID; name profiles with lower-case letters,
#     digits and inner hyphens, each once; turn mTLS on with a client CA trust bundle
#     path wherever channel binding or the mtls auth mode is required; set an
#     enrollment password for the basic auth mode and a profile ID for server-side
#     key generation; keep the rate limit non-negative. Or set CERTCTL_EST_ENABLED=false.
#   docs: docs/policies.md#cfg-est
package certgate.cfg_est

import data.certgate.lib

enabled := "CERTCTL_EST_ENABLED"

list_var := "CERTCTL_EST_PROFILES"

prefix := "CERTCTL_EST_PROFILE_"

auth_modes_known := {"mtls", "basic"}

# on: the environments certctl may run with EST on, as [index into
# lib.server_envs, "yes" | "maybe"].
on contains [i, s] if {
	some i, env in lib.server_envs
	s := lib.cond_on(env, enabled)
	s != "no"
}

# The suffixes of a profile's variables (CERTCTL_EST_PROFILE_<NAME>_<suffix>).
suffixes := [
	"ISSUER_ID", "PROFILE_ID", "ENROLLMENT_PASSWORD",
	"MTLS_ENABLED", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH", "CHANNEL_BINDING_REQUIRED",
	"ALLOWED_AUTH_MODES", "RATE_LIMIT_PER_PRINCIPAL_24H", "SERVERKEYGEN_ENABLED",
]

# listed: each distinct profile of CERTCTL_EST_PROFILES of those environments,
# with the names of its variables by suffix (lib.profile_vars), built once, and
# its allowed auth modes as certctl reads them (none when unset or unknown),
# read once for the three checks that need them.
listed contains [i, s, profile, names, modes] if {
	some e in on
	[i, s] := e
	env := lib.server_envs[i]
	some profile in lib.profiles(env, list_var)
	names := lib.profile_vars(prefix, profile, suffixes)
	modes := {m | some m in auth_modes(lib.known_value(env, names.ALLOWED_AUTH_MODES))}
}

# problems are the refusals: the conditions ([name, state] pairs, EST on
# first) under which certctl refuses, the variable a finding points at, what
# is wrong and the fix.
problem(i, s, anchor, conds, what, fix) := {
	"i": i,
	"anchor": anchor,
	"conds": array.concat([[enabled, s]], conds),
	"what": what,
	"fix": fix,
}

deny contains f if {
	some p in problems
	lib.conds_hold(p.conds)
	msg := sprintf("%s: the server refuses to start. %s", [p.what, p.fix])
	f := lib.finding(lib.server_envs[p.i], p.anchor, msg)
}

warn contains f if {
	some p in problems
	names := lib.conds_uncertain(p.conds)
	msg := sprintf("%s: the server refuses to start if that holds at run time (%s known only then). %s", [p.what, concat(", ", names), p.fix])
	f := lib.finding(lib.server_envs[p.i], p.anchor, msg)
}

# anchor is the variable a finding points at: a when it is set, else b.
anchor(env, a, _) := a if env.vars[a]

anchor(env, a, b) := b if not env.vars[a]

# auth_modes reads an ALLOWED_AUTH_MODES value as certctl does: trimmed, split
# on commas, each item trimmed and lower-cased, empty items dropped.
auth_modes(v) := {m |
	some raw in split(trim_space(v), ",")
	m := lower(trim_space(raw))
	m != ""
}

# A path ID certctl cannot route.
problems contains p if {
	some e in on
	[i, s] := e
	some n in lib.profile_names(lib.server_envs[i], list_var)
	not lib.valid_path_id(lower(n))
	what := sprintf("%s lists %q, whose path ID %q is not [a-z0-9-]+ without a leading or trailing hyphen", [list_var, n, lower(n)])
	p := problem(i, s, list_var, [], what, "Name EST profiles with letters, digits and inner hyphens only.")
}

problems contains p if {
	some e in on
	[i, s] := e
	some id in lib.duplicate_path_ids(lib.server_envs[i], list_var)
	what := sprintf("%s lists the profile %q more than once (names are compared lower-cased)", [list_var, id])
	p := problem(i, s, list_var, [], what, "List each EST profile once.")
}

problems contains p if {
	some e in listed
	[i, s, profile, names, _] := e
	env := lib.server_envs[i]
	name := names.ISSUER_ID

	# A set value (the common case) ends the body at one builtin call (a
	# negated lookup would not do: OPA hoists the lookup out of the not);
	# cond_empty, which calls three helpers, judges what is left.
	object.get(env.vars, [name, "value"], "") == ""
	state := lib.cond_empty(env, name)
	state != "no"
	what := sprintf("EST profile %q: %s is empty or absent (every EST profile must name the issuer it enrols against; there is no default)", [profile.path_id, name])
	fix := sprintf("Set %s to the ID of a configured issuer, or drop the profile from %s.", [name, list_var])
	p := problem(i, s, anchor(env, name, list_var), [[name, state]], what, fix)
}

problems contains p if {
	some e in listed
	[i, s, profile, names, _] := e
	env := lib.server_envs[i]
	flag := names.MTLS_ENABLED
	env.vars[flag] # an absent switch is off: one lookup rather than cond_on
	on_state := lib.cond_on(env, flag)
	on_state != "no" # the switch first: when off, the path is not read
	path := names.MTLS_CLIENT_CA_TRUST_BUNDLE_PATH
	object.get(env.vars, [path, "value"], "") == "" # as above: a set path ends the body here
	path_state := lib.cond_empty(env, path)
	path_state != "no"
	conds := [[flag, on_state], [path, path_state]]
	what := sprintf("EST profile %q: %s is true and %s is empty or absent (the mTLS route /.well-known/est-mtls/%s/ would have no client CA to trust)", [profile.path_id, flag, path, profile.path_id])
	fix := sprintf("Set %s to the PEM bundle of the client CAs, or set %s=false.", [path, flag])
	p := problem(i, s, flag, conds, what, fix)
}

problems contains p if {
	some e in listed
	[i, s, profile, names, _] := e
	env := lib.server_envs[i]
	flag := names.CHANNEL_BINDING_REQUIRED
	env.vars[flag] # an absent switch is off: one lookup rather than cond_on
	on_state := lib.cond_on(env, flag)
	on_state != "no"
	mtls := names.MTLS_ENABLED
	off_state := lib.cond_off(env, mtls)
	off_state != "no"
	conds := [[flag, on_state], [mtls, off_state]]
	what := sprintf("EST profile %q: %s is true but %s is not (RFC 9266 channel binding needs mTLS)", [profile.path_id, flag, mtls])
	fix := sprintf("Set %s=true with a client CA trust bundle, or set %s=false.", [mtls, flag])
	p := problem(i, s, flag, conds, what, fix)
}

problems contains p if {
	some e in listed
	[i, s, profile, names, modes] := e
	name := names.ALLOWED_AUTH_MODES
	some mode in modes
	not mode in auth_modes_known
	what := sprintf("EST profile %q: %s lists %q, which is not an EST auth mode (mtls, basic)", [profile.path_id, name, mode])
	p := problem(i, s, name, [], what, "List only mtls and basic.")
}

problems contains p if {
	some e in listed
	[i, s, profile, names, modes] := e
	"mtls" in modes
	env := lib.server_envs[i]
	name := names.ALLOWED_AUTH_MODES
	mtls := names.MTLS_ENABLED
	state := lib.cond_off(env, mtls)
	state != "no"
	what := sprintf("EST profile %q: %s allows mtls but %s is not true", [profile.path_id, name, mtls])
	fix := sprintf("Set %s=true with a client CA trust bundle, or remove mtls from %s.", [mtls, name])
	p := problem(i, s, name, [[mtls, state]], what, fix)
}

problems contains p if {
	some e in listed
	[i, s, profile, names, modes] := e
	"basic" in modes
	env := lib.server_envs[i]
	name := names.ALLOWED_AUTH_MODES
	password := names.ENROLLMENT_PASSWORD
	object.get(env.vars, [password, "value"], "") == "" # a set password ends the body here
	state := lib.cond_empty(env, password)
	state != "no"
	what := sprintf("EST profile %q: %s allows basic but %s is empty or absent (HTTP Basic needs the profile's shared secret)", [profile.path_id, name, password])
	fix := sprintf("Set %s to a random shared secret, or remove basic from %s.", [password, name])
	p := problem(i, s, name, [[password, state]], what, fix)
}

problems contains p if {
	some e in listed
	[i, s, profile, names, _] := e
	name := names.RATE_LIMIT_PER_PRINCIPAL_24H
	var := lib.server_envs[i].vars[name] # a lookup, not a call: usually absent
	var.known
	v := var.value
	lib.parse_int(v) < 0
	what := sprintf("EST profile %q: %s=%s is negative", [profile.path_id, name, v])
	p := problem(i, s, name, [], what, "Set it to 0 (no cap, the default) or a positive count of enrolments per principal in 24 hours.")
}

problems contains p if {
	some e in listed
	[i, s, profile, names, _] := e
	env := lib.server_envs[i]
	flag := names.SERVERKEYGEN_ENABLED
	env.vars[flag] # an absent switch is off: one lookup rather than cond_on
	on_state := lib.cond_on(env, flag)
	on_state != "no"
	id := names.PROFILE_ID
	id_state := lib.cond_empty(env, id)
	id_state != "no"
	conds := [[flag, on_state], [id, id_state]]
	what := sprintf("EST profile %q: %s is true and %s is empty or absent (server-side key generation needs a certificate profile that pins the key algorithm)", [profile.path_id, flag, id])
	fix := sprintf("Set %s to a certificate profile ID, or set %s=false.", [id, flag])
	p := problem(i, s, flag, conds, what, fix)
}

# The per-principal rate limit when it does not parse: certctl silently uses 0
# (no cap).
warn contains f if {
	some e in listed
	[i, _, _, names, _] := e
	env := lib.server_envs[i]
	name := names.RATE_LIMIT_PER_PRINCIPAL_24H
	var := env.vars[name] # a lookup, not a call: usually absent
	var.known
	v := var.value
	v != ""
	not lib.int_parses(v)
	msg := sprintf("%s=%q is not a base-10 integer: certctl silently uses the default 0 (no per-principal cap). Write it as a plain number, or leave it unset.", [name, v])
	f := lib.finding(env, name, msg)
}
