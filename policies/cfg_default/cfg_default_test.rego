package certgate.cfg_default_test

import data.certgate.cfg_default

server(name, v) := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}}}}]}

test_port_name_warns_with_8080 if {
	f := cfg_default.warn with input as server("CERTCTL_SERVER_PORT", "https")
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_SERVER_PORT"]
	contains(x.msg, `CERTCTL_SERVER_PORT="https" is not a base-10 integer`)
	contains(x.msg, "its default, 8080")
}

test_port_spellings_warn if {
	every v in [" 8443", "8443 ", "8443.0", "0x20FB", "1e3", "99999999999999999999"] {
		count(cfg_default.warn) == 1 with input as server("CERTCTL_SERVER_PORT", v)
	}
}

test_port_numbers_pass if {
	every v in ["8443", "+8443", "008443", "0", "-1", "70000", ""] {
		count(cfg_default.warn) == 0 with input as server("CERTCTL_SERVER_PORT", v)
	}
}

test_max_conns_warns_with_50 if {
	f := cfg_default.warn with input as server("CERTCTL_DATABASE_MAX_CONNS", "fifty")
	some x in f
	contains(x.msg, "its default, 50")
}

test_janitor_warns_with_5m if {
	f := cfg_default.warn with input as server("CERTCTL_RATE_LIMIT_JANITOR_INTERVAL", "10 minutes")
	some x in f
	contains(x.msg, "is not a Go duration")
	contains(x.msg, "its default, 5m")
	contains(x.msg, "with a unit")
}

test_bare_number_duration_suggests_unit if {
	f := cfg_default.warn with input as server("CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL", "60")
	some x in f
	contains(x.msg, "certctl's built-in default")
	contains(x.msg, "write 60s or 60m")
}

test_every_duration_warns if {
	count(cfg_default.durations) == 10
	every name, _ in cfg_default.durations {
		count(cfg_default.warn) == 1 with input as server(name, "1d")
	}
}

test_durations_pass if {
	every v in ["1h", "30s", "1.5m", "0", "-5m", ""] {
		count(cfg_default.warn) == 0 with input as server("CERTCTL_JOB_TIMEOUT_INTERVAL", v)
	}
}

test_max_body_size_is_sec_l3s if {
	count(cfg_default.warn) == 0 with input as server("CERTCTL_MAX_BODY_SIZE", "10MB")
}

test_unknown_not_judged if {
	doc := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_SERVER_PORT": {"value": "", "known": false, "ref": null}}}]}
	count(cfg_default.warn) == 0 with input as doc
}

test_agent_env_ignored if {
	doc := {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {"CERTCTL_SERVER_PORT": {"value": "https", "known": true, "ref": null}}}]}
	count(cfg_default.warn) == 0 with input as doc
}
