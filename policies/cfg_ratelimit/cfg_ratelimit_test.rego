package certgate.cfg_ratelimit_test

import data.certgate.cfg_ratelimit

server(vars, release) := {"meta": {"certctl_version": release}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

test_capitalised_backend_denies if {
	f := cfg_ratelimit.deny with input as server({"CERTCTL_RATE_LIMIT_BACKEND": "Postgres"}, "2.1.0")
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_RATE_LIMIT_BACKEND"]
	contains(x.msg, `CERTCTL_RATE_LIMIT_BACKEND="Postgres"`)
	contains(x.msg, `write "postgres"`)
	contains(x.msg, "refuses to start")
}

test_unknown_backend_denies if {
	count(cfg_ratelimit.deny) == 1 with input as server({"CERTCTL_RATE_LIMIT_BACKEND": "redis"}, "2.2.0")
}

test_backends_pass if {
	every v in ["memory", "postgres", ""] {
		count(cfg_ratelimit.deny) == 0 with input as server({"CERTCTL_RATE_LIMIT_BACKEND": v}, "2.2.0")
	}
}

test_short_janitor_denies_from_214 if {
	f := cfg_ratelimit.deny with input as server({"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": "30s"}, "2.1.4")
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_RATE_LIMIT_JANITOR_INTERVAL"]
	contains(x.msg, "certctl 2.1.4 refuses to start")
	count(cfg_ratelimit.deny) == 1 with input as server({"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": "59.999s"}, "2.2.0")
	count(cfg_ratelimit.deny) == 1 with input as server({"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": "1ns"}, "2.1.7")
}

test_short_janitor_passes_before_214 if {
	count(cfg_ratelimit.deny) == 0 with input as server({"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": "30s"}, "2.1.3")
}

test_env_release_decides if {
	doc := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "release": "2.1.0", "vars": {"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": {"value": "30s", "known": true, "ref": null}}}]}
	count(cfg_ratelimit.deny) == 0 with input as doc
}

test_janitor_passes if {
	every v in ["1m", "60s", "5m", "1h", "0", "0s", "-30s", "", "30"] {
		count(cfg_ratelimit.deny) == 0 with input as server({"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL": v}, "2.2.0")
	}
}

test_agent_env_ignored if {
	doc := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "a", "role": "agent", "vars": {"CERTCTL_RATE_LIMIT_BACKEND": {"value": "redis", "known": true, "ref": null}}}]}
	count(cfg_ratelimit.deny) == 0 with input as doc
}
