package certgate.cfg_bool_test

import data.certgate.cfg_bool

server(name, v) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}}}}]}

test_capitalised_true_denies if {
	f := cfg_bool.deny with input as server("CERTCTL_ACME_INSECURE", "True")
	count(f) == 1
	some x in f
	contains(x.msg, "reads it as false")
	x.ref.path == ["CERTCTL_ACME_INSECURE"]
}

test_on_denies if {
	count(cfg_bool.deny) == 1 with input as server("CERTCTL_DEMO_MODE_ACK", "on")
}

test_known_spellings_pass if {
	every v in ["true", "false", "1", "0", "yes", "no", ""] {
		count(cfg_bool.deny) == 0 with input as server("CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY", v)
	}
}

test_non_boolean_variables_ignored if {
	count(cfg_bool.deny) == 0 with input as server("CERTCTL_AUTH_TYPE", "On")
}

test_agent_env_ignored if {
	doc := {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {"CERTCTL_ACME_INSECURE": {"value": "True", "known": true, "ref": null}}}]}
	count(cfg_bool.deny) == 0 with input as doc
}
