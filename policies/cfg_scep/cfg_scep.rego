# METADATA
# title: SCEP profiles certctl accepts
# description: >-
#   With CERTCTL_SCEP_ENABLED true, certctl serves one SCEP profile per name of
#   CERTCTL_SCEP_PROFILES (comma-separated). A profile reads
#   CERTCTL_SCEP_PROFILE_<NAME>_CHALLENGE_PASSWORD, _RA_CERT_PATH, _RA_KEY_PATH,
#   _ISSUER_ID, _MTLS_ENABLED, _MTLS_CLIENT_CA_TRUST_BUNDLE_PATH, _INTUNE_ENABLED,
#   _INTUNE_CONNECTOR_CERT_PATH, _INTUNE_PER_DEVICE_RATE_LIMIT_24H (integer,
#   default 3), _INTUNE_CLOCK_SKEW_TOLERANCE (duration, default 60s) and
#   _INTUNE_CHALLENGE_VALIDITY (duration, default 60m), with <NAME> upper-cased,
#   and is served under its name lower-cased (the path ID, /scep/<id>). Without
#   profiles, the legacy CERTCTL_SCEP_CHALLENGE_PASSWORD, CERTCTL_SCEP_RA_CERT_PATH,
#   CERTCTL_SCEP_RA_KEY_PATH and CERTCTL_SCEP_ISSUER_ID (default iss-local) form
#   one profile at /scep. The server refuses to start when a profile has no
#   challenge password (the only authentication of SCEP enrolment), no RA
#   certificate or key path, or no issuer ID; when a path ID is not
#   [a-z0-9-]+ without a leading or trailing hyphen, or is listed twice; when
#   mTLS is on without a client CA trust bundle path or Intune is on without the
#   connector certificate path; when the Intune per-device limit or clock skew is
#   negative, or the skew is not below the challenge validity (checked even with
#   Intune off). An integer or duration that does not parse silently becomes its
#   default.
# custom:
#   id: CFG-SCEP
#   inputs: [env]
#   severity: error
#   remediation: >-
#     Give every SCEP profile a challenge password, an RA certificate and key path and
#     an issuer ID; name profiles with lower-case letters, digits and inner hyphens,
#     each once; set the client CA trust bundle path with mTLS and the connector
#     certificate path with Intune; keep the Intune limit and clock skew non-negative
#     and the skew below the challenge validity. Or set CERTCTL_SCEP_ENABLED=false.
#   docs: docs/policies.md#cfg-scep
package certgate.cfg_scep

import data.certgate.lib

enabled := "CERTCTL_SCEP_ENABLED"

list_var := "CERTCTL_SCEP_PROFILES"

prefix := "CERTCTL_SCEP_PROFILE_"

# Defaults of the typed per-profile variables, in nanoseconds where durations.
default_skew := 60000000000

default_validity := 3600000000000

# on: the environments certctl may run with SCEP on, as [index into
# lib.server_envs, "yes" | "maybe"].
on contains [i, s] if {
	some i, env in lib.server_envs
	s := lib.cond_on(env, enabled)
	s != "no"
}

# The suffixes of a profile's variables (CERTCTL_SCEP_PROFILE_<NAME>_<suffix>).
suffixes := [
	"CHALLENGE_PASSWORD", "RA_CERT_PATH", "RA_KEY_PATH", "ISSUER_ID",
	"MTLS_ENABLED", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH",
	"INTUNE_ENABLED", "INTUNE_CONNECTOR_CERT_PATH",
	"INTUNE_PER_DEVICE_RATE_LIMIT_24H", "INTUNE_CLOCK_SKEW_TOLERANCE", "INTUNE_CHALLENGE_VALIDITY",
]

# listed: each distinct profile of CERTCTL_SCEP_PROFILES of those environments,
# with the names of its variables by suffix (lib.profile_vars), built once.
listed contains [i, s, profile, names] if {
	some e in on
	[i, s] := e
	some profile in lib.profiles(lib.server_envs[i], list_var)
	names := lib.profile_vars(prefix, profile, suffixes)
}

# problems are the refusals: the conditions ([name, state] pairs, SCEP on
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

# The legacy single profile (no CERTCTL_SCEP_PROFILES). Its issuer ID defaults
# to iss-local, so only these can be missing.
legacy_required := [
	["CERTCTL_SCEP_CHALLENGE_PASSWORD", "the shared secret is the only authentication of SCEP enrolment: without it any client reaching /scep could enrol", "Set CERTCTL_SCEP_CHALLENGE_PASSWORD to a random shared secret"],
	["CERTCTL_SCEP_RA_CERT_PATH", "RFC 8894 enrolment needs the RA certificate and key", "Set CERTCTL_SCEP_RA_CERT_PATH and CERTCTL_SCEP_RA_KEY_PATH to the RA pair"],
	["CERTCTL_SCEP_RA_KEY_PATH", "RFC 8894 enrolment needs the RA certificate and key", "Set CERTCTL_SCEP_RA_CERT_PATH and CERTCTL_SCEP_RA_KEY_PATH to the RA pair"],
]

problems contains p if {
	some e in on
	[i, s] := e
	env := lib.server_envs[i]
	none := lib.no_profiles(env, list_var)
	none != "no"
	some r in legacy_required
	[name, why, fix] := r
	what := sprintf("SCEP is on (%s) and %s names no profile, so certctl serves the legacy profile at /scep, but %s is empty or absent (%s)", [enabled, list_var, name, why])
	p := problem(i, s, anchor(env, name, enabled), [[list_var, none], [name, lib.cond_empty(env, name)]], what, sprintf("%s, or set %s=false.", [fix, enabled]))
}

# A path ID certctl cannot route.
problems contains p if {
	some e in on
	[i, s] := e
	some n in lib.profile_names(lib.server_envs[i], list_var)
	not lib.valid_path_id(lower(n))
	what := sprintf("%s lists %q, whose path ID %q is not [a-z0-9-]+ without a leading or trailing hyphen", [list_var, n, lower(n)])
	p := problem(i, s, list_var, [], what, "Name SCEP profiles with letters, digits and inner hyphens only.")
}

problems contains p if {
	some e in on
	[i, s] := e
	some id in lib.duplicate_path_ids(lib.server_envs[i], list_var)
	what := sprintf("%s lists the profile %q more than once (names are compared lower-cased)", [list_var, id])
	p := problem(i, s, list_var, [], what, "List each SCEP profile once.")
}

# Variables every profile needs.
required := [
	["CHALLENGE_PASSWORD", "the shared secret is the only authentication of SCEP enrolment: without it any client reaching /scep/%s could enrol", "Set %s to a random shared secret"],
	["RA_CERT_PATH", "RFC 8894 enrolment on /scep/%s needs the RA certificate and key", "Set %s to the profile's RA certificate"],
	["RA_KEY_PATH", "RFC 8894 enrolment on /scep/%s needs the RA certificate and key", "Set %s to the profile's RA private key"],
	["ISSUER_ID", "every SCEP profile must name the issuer /scep/%s enrols against", "Set %s to the ID of a configured issuer"],
]

problems contains p if {
	some e in listed
	[i, s, profile, names] := e
	env := lib.server_envs[i]
	some r in required
	name := names[r[0]]

	# A set value (the common case) ends the body at one builtin call (a
	# negated lookup would not do: OPA hoists the lookup out of the not);
	# cond_empty, which calls three helpers, judges what is left.
	object.get(env.vars, [name, "value"], "") == ""
	state := lib.cond_empty(env, name)
	state != "no"
	what := sprintf("SCEP profile %q: %s is empty or absent (%s)", [profile.path_id, name, sprintf(r[1], [profile.path_id])])
	fix := sprintf("%s, or drop the profile from %s.", [sprintf(r[2], [name]), list_var])
	p := problem(i, s, anchor(env, name, list_var), [[name, state]], what, fix)
}

# A switch on without the file it needs.
switches := [
	["MTLS_ENABLED", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH", "the mTLS route /scep-mtls/%s would have no client CA to trust", "the PEM bundle of the client CAs"],
	["INTUNE_ENABLED", "INTUNE_CONNECTOR_CERT_PATH", "the Intune challenge validator of /scep/%s would have no trust anchor", "the Intune Certificate Connector's signing certificate bundle"],
]

problems contains p if {
	some e in listed
	[i, s, profile, names] := e
	env := lib.server_envs[i]
	some sw in switches
	flag := names[sw[0]]
	env.vars[flag] # an absent switch is off: one lookup rather than cond_on
	on_state := lib.cond_on(env, flag)
	on_state != "no" # the switch first: usually off, and then the path is not read
	path := names[sw[1]]
	object.get(env.vars, [path, "value"], "") == "" # as above: a set path ends the body here
	path_state := lib.cond_empty(env, path)
	path_state != "no"
	conds := [[flag, on_state], [path, path_state]]
	what := sprintf("SCEP profile %q: %s is true and %s is empty or absent (%s)", [profile.path_id, flag, path, sprintf(sw[2], [profile.path_id])])
	fix := sprintf("Set %s to %s, or set %s=false.", [path, sw[3], flag])
	p := problem(i, s, flag, conds, what, fix)
}

problems contains p if {
	some e in listed
	[i, s, profile, names] := e
	name := names.INTUNE_PER_DEVICE_RATE_LIMIT_24H
	var := lib.server_envs[i].vars[name] # a lookup, not a call: usually absent
	var.known
	v := var.value
	lib.parse_int(v) < 0
	what := sprintf("SCEP profile %q: %s=%s is negative", [profile.path_id, name, v])
	p := problem(i, s, name, [], what, "Set it to 0 (no per-device cap) or a positive count of enrolments per device in 24 hours (default 3).")
}

problems contains p if {
	some e in listed
	[i, s, profile, names] := e
	name := names.INTUNE_CLOCK_SKEW_TOLERANCE
	var := lib.server_envs[i].vars[name] # a lookup, not a call: usually absent
	var.known
	v := var.value
	lib.parse_duration(v) < 0
	what := sprintf("SCEP profile %q: %s=%s is negative (certctl checks it even with Intune off)", [profile.path_id, name, v])
	p := problem(i, s, name, [], what, "Set a tolerance of 0 or more (default 60s), or leave it unset.")
}

# certctl refuses a clock skew tolerance at or above a positive challenge
# validity, both as it reads them (defaults included), even with Intune off.
problems contains p if {
	some e in listed
	[i, s, profile, names] := e
	env := lib.server_envs[i]
	skew := names.INTUNE_CLOCK_SKEW_TOLERANCE
	validity := names.INTUNE_CHALLENGE_VALIDITY

	# With both unset the defaults (60s, 60m) hold; an absent variable of an
	# open environment is undefined below anyway.
	some n in [skew, validity]
	env.vars[n]
	va := lib.effective_duration(env, validity, default_validity)
	va > 0
	lib.effective_duration(env, skew, default_skew) >= va
	what := sprintf("SCEP profile %q: %s is not below %s (the tolerance would make the validity cap meaningless; certctl checks it even with Intune off)", [profile.path_id, lib.shown_duration(env, skew, "60s"), lib.shown_duration(env, validity, "60m")])
	fix := sprintf("Keep %s below %s.", [skew, validity])
	p := problem(i, s, anchor(env, skew, validity), [], what, fix)
}

# anchor is the variable a finding points at: a when it is set, else b.
anchor(env, a, _) := a if env.vars[a]

anchor(env, a, b) := b if not env.vars[a]

# Per-profile integers and durations that do not parse: certctl silently uses
# the default.
typed := [
	["INTUNE_PER_DEVICE_RATE_LIMIT_24H", "int", "3"],
	["INTUNE_CLOCK_SKEW_TOLERANCE", "duration", "60s"],
	["INTUNE_CHALLENGE_VALIDITY", "duration", "60m"],
]

kinds := {
	"int": "a base-10 integer",
	"duration": "a Go duration (a number with a unit: 90s, 5m, 1h)",
}

parses("int", v) if lib.int_parses(v)

parses("duration", v) if lib.duration_parses(v)

warn contains f if {
	some e in listed
	[i, _, _, names] := e
	env := lib.server_envs[i]
	some t in typed
	name := names[t[0]]
	var := env.vars[name] # a lookup, not a call: usually absent
	var.known
	v := var.value
	v != ""
	not parses(t[1], v)
	msg := sprintf("%s=%q is not %s: certctl silently uses the default %s. Correct the value, or leave it unset for the default.", [name, v, kinds[t[1]], t[2]])
	f := lib.finding(env, name, msg)
}
