package certgate.cfg_db_pool_test

import data.certgate.cfg_db_pool

server(v) := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_DATABASE_MAX_CONNS": {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["CERTCTL_DATABASE_MAX_CONNS"]}}}}]}

test_zero_denies if {
	f := cfg_db_pool.deny with input as server("0")
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_DATABASE_MAX_CONNS"]
	contains(x.msg, `CERTCTL_DATABASE_MAX_CONNS="0" is below 1`)
	contains(x.msg, "refuses to start")
}

test_negative_denies if {
	count(cfg_db_pool.deny) == 1 with input as server("-5")
	count(cfg_db_pool.deny) == 1 with input as server("-00")
}

test_positive_passes if {
	every v in ["1", "50", "+10", "0001", ""] {
		count(cfg_db_pool.deny) == 0 with input as server(v)
	}
}

test_unparsable_is_not_a_refusal if {
	every v in ["fifty", "10 ", "1e2", "0x10"] {
		count(cfg_db_pool.deny) == 0 with input as server(v)
	}
}

test_agent_env_ignored if {
	doc := {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {"CERTCTL_DATABASE_MAX_CONNS": {"value": "0", "known": true, "ref": null}}}]}
	count(cfg_db_pool.deny) == 0 with input as doc
}
