# certctl's per-profile variables (SCEP and EST), and a three-valued reading
# of the conditions under which certctl refuses to start: a condition holds
# ("yes"), certainly does not ("no"), or depends on a value only known at run
# time ("maybe": a compose ${X}, a Kubernetes secretKeyRef).
package certgate.lib

# profile_names are the names of a profile list variable (CERTCTL_SCEP_PROFILES,
# CERTCTL_EST_PROFILES) as certctl's loader reads it: the value trimmed with
# strings.TrimSpace, split on commas, each name trimmed the same way, empty
# names dropped. [] when the variable is unset; undefined when its value is only
# known at run time.
profile_names(env, list_var) := [] if is_unset(env, list_var)

profile_names(env, list_var) := names if {
	v := known_value(env, list_var)
	v != ""
	names := [n |
		some raw in split(trim_space(v), ",")
		n := trim_space(raw)
		n != ""
	]
}

# profiles are the distinct profiles of a list: certctl reads a profile's
# variables with its name upper-cased (CERTCTL_SCEP_PROFILE_<KEY>_*) and serves
# it under its name lower-cased (the path ID).
profiles(env, list_var) := {{"key": upper(n), "path_id": lower(n)} | some n in profile_names(env, list_var)}

# profile_var is the name of one variable of a profile, e.g.
# profile_var("CERTCTL_SCEP_PROFILE_", p, "ISSUER_ID").
profile_var(prefix, profile, suffix) := concat("", [prefix, profile.key, "_", suffix])

# profile_vars are the names of a profile's variables by suffix, e.g.
# {"ISSUER_ID": "CERTCTL_SCEP_PROFILE_<NAME>_ISSUER_ID"}: built once per profile
# for all its checks (building a name costs more than reading the variable).
# The names are made by one concat of every suffix and one split, not a concat
# per suffix (each builtin call with a built array costs about as much as the
# comprehension step); a profile key never holds a comma (the list is split on
# commas), so only a suffix with one takes the plain path below.
profile_vars(prefix, profile, suffixes) := {suffix: names[i] |
	base := concat("", [prefix, profile.key, "_"])
	names := split(concat("", [base, concat(concat("", [",", base]), suffixes)]), ",")
	some i, suffix in suffixes
} if {
	not contains(concat("", suffixes), ",")
} else := {suffix: concat("", [base, suffix]) |
	base := concat("", [prefix, profile.key, "_"])
	some suffix in suffixes
}

# valid_path_id: certctl serves a profile only under [a-z0-9-]+ without a
# leading or trailing hyphen.
valid_path_id(id) if regex.match(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`, id)

# duplicate_path_ids are the path IDs that two names of the list share once
# lower-cased ("corp,Corp").
duplicate_path_ids(env, list_var) := {id |
	ids := [lower(n) | some n in profile_names(env, list_var)]
	some j, id in ids
	some i, other in ids
	i < j
	other == id
}

# no_profiles: the list names no profile (certctl falls back to the legacy
# single-profile variables). Each of these three-valued readings is an else
# chain: the first case that applies decides.
no_profiles(env, list_var) := "yes" if {
	count(profile_names(env, list_var)) == 0
} else := "maybe" if {
	is_maybe_empty(env, list_var)
} else := "no"

# cond_on: certctl reads the boolean as true.
cond_on(env, name) := "yes" if {
	var := env.vars[name]
	var.known
	var.value in true_spellings
} else := "maybe" if {
	env.vars[name].known == false
} else := "no"

# cond_off: certctl reads the boolean as false (unset, empty or any spelling
# but true, 1, yes).
cond_off(env, name) := "yes" if {
	is_not_true(env, name)
} else := "maybe" if {
	env.vars[name].known == false
} else := "no"

# cond_empty: the value is empty or absent (certctl applies its default, here
# always the empty string); "maybe" for compose's ${X:-}.
cond_empty(env, name) := "yes" if {
	is_unset(env, name)
} else := "maybe" if {
	is_maybe_empty(env, name)
} else := "no"

# conds_hold: every condition ([name, state] pairs) holds.
conds_hold(conds) if {
	every c in conds {
		c[1] == "yes"
	}
}

# conds_uncertain are the names whose run-time values decide whether the
# conditions hold, when none certainly fails; undefined otherwise.
conds_uncertain(conds) := names if {
	every c in conds {
		c[1] != "no"
	}
	names := [c[0] | some c in conds; c[1] == "maybe"]
	count(names) > 0
}

# effective_duration is what certctl uses for a duration variable: the value
# parsed by time.ParseDuration, or the default (nanoseconds) when the variable
# is unset or does not parse. Undefined when the value is only known at run time.
effective_duration(env, name, fallback) := d if {
	is_unset(env, name)
	d := fallback
} else := d if {
	v := known_value(env, name)
	d := parse_or(v, fallback)
}

# parse_or is the duration v parses to, or fallback when it does not parse.
parse_or(v, fallback) := d if {
	d := parse_duration(v)
} else := fallback

duration_parses(v) if {
	_ := parse_duration(v)
}

int_parses(v) if {
	_ := parse_int(v)
}

# shown_duration says where an effective duration comes from, for messages:
# "X=90s", "X (unset: default 60s)", `X ("60" does not parse: default 60s)`.
shown_duration(env, name, _) := sprintf("%s=%s", [name, v]) if {
	v := known_value(env, name)
	duration_parses(v)
}

shown_duration(env, name, fallback) := sprintf("%s (unset: default %s)", [name, fallback]) if is_unset(env, name)

shown_duration(env, name, fallback) := sprintf("%s (%q does not parse: default %s)", [name, v, fallback]) if {
	v := known_value(env, name)
	v != ""
	not duration_parses(v)
}
