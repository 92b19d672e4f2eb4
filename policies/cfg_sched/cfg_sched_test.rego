package certgate.cfg_sched_test

import data.certgate.cfg_sched

server(name, v) := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}}}}]}

renewal := "CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL"

test_renewal_30s_denies if {
	f := cfg_sched.deny with input as server(renewal, "30s")
	count(f) == 1
	some x in f
	x.ref.path == [renewal]
	contains(x.msg, `CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL="30s" is shorter than 1m0s`)
	contains(x.msg, "refuses to start")
}

test_renewal_zero_and_negative_deny if {
	every v in ["0", "-1h", "59.9s", "0s"] {
		count(cfg_sched.deny) == 1 with input as server(renewal, v)
	}
}

test_renewal_minute_passes if {
	every v in ["1m", "60s", "1h", "60000ms", "", "60"] {
		count(cfg_sched.deny) == 0 with input as server(renewal, v)
	}
}

test_second_minimums_deny if {
	every name in [n | some n, least in cfg_sched.minimums; least == cfg_sched.second] {
		count(cfg_sched.deny) == 1 with input as server(name, "500ms")
	}
}

test_second_minimums_pass if {
	every name in [n | some n, least in cfg_sched.minimums; least == cfg_sched.second] {
		count(cfg_sched.deny) == 0 with input as server(name, "1s")
	}
}

test_job_timeout_message if {
	f := cfg_sched.deny with input as server("CERTCTL_JOB_TIMEOUT_INTERVAL", "-5m")
	some x in f
	contains(x.msg, "shorter than 1s")
}

test_nine_variables if {
	count(cfg_sched.minimums) == 9
}

test_unknown_not_judged if {
	doc := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {renewal: {"value": "", "known": false, "ref": null}}}]}
	count(cfg_sched.deny) == 0 with input as doc
}

test_agent_env_ignored if {
	doc := {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {renewal: {"value": "1s", "known": true, "ref": null}}}]}
	count(cfg_sched.deny) == 0 with input as doc
}
