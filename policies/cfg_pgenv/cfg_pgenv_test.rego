package certgate.cfg_pgenv_test

import data.certgate.cfg_pgenv

doc(role, vars) := {"meta": {}, "envs": [{"id": "t", "role": role, "vars": vars}]}

known(v) := {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["X"]}}

test_each_panic_variable_denies if {
	every name in ["PGHOSTADDR", "PGSERVICE", "PGSERVICEFILE", "PGREALM", "PGREQUIRESSL", "PGSSLCRL", "PGREQUIREPEER", "PGKRBSRVNAME", "PGGSSLIB", "PGSYSCONFDIR", "PGLOCALEDIR"] {
		f := cfg_pgenv.deny with input as doc("server", {name: known("x")})
		count(f) == 1
		some x in f
		startswith(x.msg, sprintf("%s is set", [name]))
		contains(x.msg, "panics")
	}
}

test_empty_and_unknown_values_deny if {
	count(cfg_pgenv.deny) == 1 with input as doc("server", {"PGSYSCONFDIR": known("")})
	count(cfg_pgenv.deny) == 1 with input as doc("server", {"PGSYSCONFDIR": {"value": "", "known": false, "ref": null}})
}

test_several_deny_each if {
	count(cfg_pgenv.deny) == 2 with input as doc("server", {"PGSYSCONFDIR": known("/etc"), "PGSERVICE": known("x")})
}

test_supported_variables_pass if {
	count(cfg_pgenv.deny) == 0 with input as doc("server", {"PGHOST": known("db"), "PGSSLMODE": known("verify-full"), "PGPASSFILE": known("/p"), "PGDATA": known("/d")})
}

test_agent_is_not_judged if {
	count(cfg_pgenv.deny) == 0 with input as doc("agent", {"PGSYSCONFDIR": known("/etc")})
}
