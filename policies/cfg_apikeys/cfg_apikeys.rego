# METADATA
# title: Named API keys are well formed
# description: >-
#   CERTCTL_API_KEYS_NAMED lists named API keys as comma-separated name:key or
#   name:key:admin entries. certctl refuses to start when an entry does not have two
#   or three fields, the third field is not admin, a name is not made of letters,
#   digits, _ and -, a key is empty, the same name and key appear twice, or one name
#   is given both with and without admin. Messages name entries by position and
#   name, never by key.
# custom:
#   id: CFG-APIKEYS
#   inputs: [env]
#   severity: error
#   remediation: Write each entry as name:key or name:key:admin with a name of [A-Za-z0-9_-]+ and a non-empty key without colons, each (name, key) once and each name with one admin flag.
#   docs: docs/policies.md#cfg-apikeys
package certgate.cfg_apikeys

import data.certgate.lib

name := "CERTCTL_API_KEYS_NAMED"

refuses := "the server refuses to start"

# entries yields [position (1-based), fields] for each non-empty item.
entries(env) := [[i + 1, split(item, ":")] | some i, item in lib.list_items(lib.known_value(env, name))]

# well_formed yields [position, name, key, admin] for entries that certctl can
# compare with each other.
well_formed(env) := [[pos, fields[0], fields[1], admin_flag(fields)] |
	some [pos, fields] in entries(env)
	count(fields) in {2, 3}
	admin_flag(fields) != "invalid"
]

admin_flag(fields) := false if count(fields) == 2

admin_flag(fields) if {
	count(fields) == 3
	fields[2] == "admin"
}

admin_flag(fields) := "invalid" if {
	count(fields) == 3
	fields[2] != "admin"
}

valid_name(n) if regex.match(`^[A-Za-z0-9_-]+$`, n)

# who names an entry: its position, and its name when that is a valid name
# (an invalid one may be a misplaced key).
who(pos, fields) := sprintf("entry %d (%s)", [pos, fields[0]]) if valid_name(fields[0])

who(pos, fields) := sprintf("entry %d", [pos]) if not valid_name(fields[0])

deny contains f if {
	some env in lib.server_envs
	some [pos, fields] in entries(env)
	not count(fields) in {2, 3}
	msg := sprintf("%s: entry %d has %d colon-separated field(s), not name:key or name:key:admin: %s", [name, pos, count(fields), refuses])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	some env in lib.server_envs
	some [pos, fields] in entries(env)
	admin_flag(fields) == "invalid"
	msg := sprintf("%s: the third field of %s is not admin%s: %s; write admin or drop the field", [name, who(pos, fields), case_hint(fields[2]), refuses])
	f := lib.finding(env, name, msg)
}

case_hint(v) := sprintf(" (%q: certctl compares case-sensitively)", [v]) if {
	v != "admin"
	lower(v) == "admin"
}

case_hint(v) := "" if lower(v) != "admin"

deny contains f if {
	some env in lib.server_envs
	some [pos, fields] in entries(env)
	count(fields) in {2, 3}
	not valid_name(fields[0])
	msg := sprintf("%s: the name of entry %d is not made of letters, digits, _ and - only: %s", [name, pos, refuses])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	some env in lib.server_envs
	some [pos, fields] in entries(env)
	count(fields) in {2, 3}
	fields[1] == ""
	msg := sprintf("%s: the key of %s is empty: %s", [name, who(pos, fields), refuses])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	some env in lib.server_envs
	wf := well_formed(env)
	some [pos, n, key, _] in wf
	some [earlier, n2, key2, _] in wf
	earlier < pos
	n == n2
	key == key2
	msg := sprintf("%s: %s repeats the name and key of entry %d: %s; list each key once", [name, who(pos, [n]), earlier, refuses])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	some env in lib.server_envs
	wf := well_formed(env)
	admins := {n | some [_, n, _, true] in wf}
	plain := {n | some [_, n, _, false] in wf}
	some n in (admins & plain)
	valid_name(n)
	msg := sprintf("%s: the name %s is listed both with and without admin: %s; give every key of one name the same admin flag", [name, n, refuses])
	f := lib.finding(env, name, msg)
}
