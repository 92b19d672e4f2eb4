package certgate.cfg_migrations_test

import data.certgate.cfg_migrations

v(x) := {"value": x, "known": true, "ref": null}

name := "CERTCTL_DATABASE_MIGRATIONS_PATH"

doc(vars, facts) := {"meta": {}, "envs": [{"id": "p", "role": "server", "vars": {k: v(x) | some k, x in vars}}], "host": {"files": {name: facts}, "pairs": {}}}

missing := {"path": "/srv/migrations", "exists": false, "dir": false, "error": "does not exist"}

present := {"path": "/srv/migrations", "exists": true, "dir": true, "error": "is a directory"}

test_existing_directory_is_clean if {
	count(cfg_migrations.deny) == 0 with input as doc({name: "/srv/migrations"}, present)
}

test_missing_directory_denies if {
	fs := cfg_migrations.deny with input as doc({name: "/srv/migrations"}, missing)
	count(fs) == 1
	some f in fs
	contains(f.msg, "CERTCTL_DATABASE_MIGRATIONS_PATH=/srv/migrations does not exist")
}

test_a_file_denies if {
	fs := cfg_migrations.deny with input as doc({name: "/srv/migrations"}, object.union(present, {"dir": false}))
	count(fs) == 1
	some f in fs
	contains(f.msg, "is not a directory")
}

test_hook_skips_the_check if {
	every h in ["true", "TRUE", "True"] {
		count(cfg_migrations.deny) == 0 with input as doc({name: "/srv/migrations", "CERTCTL_MIGRATIONS_VIA_HOOK": h}, missing)
	}
}

test_hook_reads_equalfold_only if {
	every h in ["1", "yes"] {
		count(cfg_migrations.deny) == 1 with input as doc({name: "/srv/migrations", "CERTCTL_MIGRATIONS_VIA_HOOK": h}, missing)
	}
}

test_relative_path_is_not_checked if {
	count(cfg_migrations.deny) == 0 with input as doc({name: "./migrations"}, object.union(missing, {"path": "./migrations"}))
}
