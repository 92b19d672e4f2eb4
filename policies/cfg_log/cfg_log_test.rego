package certgate.cfg_log_test

import data.certgate.cfg_log

server(vars) := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

agent(vars) := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "a", "role": "agent", "vars": {name: {"value": v, "known": true, "ref": null} | some name, v in vars}}]}

test_upper_case_level_denies if {
	f := cfg_log.deny with input as server({"CERTCTL_LOG_LEVEL": "INFO"})
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_LOG_LEVEL"]
	contains(x.msg, `CERTCTL_LOG_LEVEL="INFO"`)
	contains(x.msg, "refuses to start")
	contains(x.msg, `write "info"`)
}

test_unknown_level_denies if {
	f := cfg_log.deny with input as server({"CERTCTL_LOG_LEVEL": "trace"})
	some x in f
	contains(x.msg, "write one of debug|info|warn|error")
}

test_padded_level_denies if {
	count(cfg_log.deny) == 1 with input as server({"CERTCTL_LOG_LEVEL": "warn "})
}

test_levels_pass if {
	every v in ["debug", "info", "warn", "error", ""] {
		count(cfg_log.deny) == 0 with input as server({"CERTCTL_LOG_LEVEL": v})
	}
}

test_format_denies if {
	every v in ["JSON", "logfmt", "Text"] {
		count(cfg_log.deny) == 1 with input as server({"CERTCTL_LOG_FORMAT": v})
	}
}

test_formats_pass if {
	every v in ["json", "text", ""] {
		count(cfg_log.deny) == 0 with input as server({"CERTCTL_LOG_FORMAT": v})
	}
}

test_both_deny_separately if {
	count(cfg_log.deny) == 2 with input as server({"CERTCTL_LOG_LEVEL": "Info", "CERTCTL_LOG_FORMAT": "yaml"})
}

test_unknown_not_judged if {
	doc := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_LOG_LEVEL": {"value": "", "known": false, "ref": null}}}]}
	count(cfg_log.deny) == 0 with input as doc
}

test_agent_env_ignored if {
	count(cfg_log.deny) == 0 with input as agent({"CERTCTL_LOG_LEVEL": "INFO"})
}
