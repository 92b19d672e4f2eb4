package certgate.cfg_db_role_test

import data.certgate.cfg_db_role

doc(db) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {}}], "probes": {"db": db}}

test_superuser_warns if {
	w := cfg_db_role.warn with input as doc({"reachable": true, "superuser": true})
	count(w) == 1
	some x in w
	contains(x.msg, "superuser")
}

test_ordinary_role_is_clean if {
	count(cfg_db_role.warn) == 0 with input as doc({"reachable": true, "superuser": false})
}

test_unreachable_is_not_judged if {
	count(cfg_db_role.warn) == 0 with input as doc({"reachable": false})
}

test_no_probe_is_clean if {
	count(cfg_db_role.warn) == 0 with input as {"meta": {}, "envs": []}
}
