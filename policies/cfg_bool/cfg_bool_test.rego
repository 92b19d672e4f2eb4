package certgate.cfg_bool_test

import data.certgate.cfg_bool

server(name, v) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}}}}]}

agent(name, v) := {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}}}}]}

hook := "CERTCTL_MIGRATIONS_VIA_HOOK"

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
	count(cfg_bool.deny) == 0 with input as server("CERTCTL_SCEP_PROFILES", "On")
}

test_fixed_server_booleans_deny if {
	every name in ["CERTCTL_SCEP_ENABLED", "CERTCTL_EST_ENABLED", "CERTCTL_OTEL_ENABLED", "CERTCTL_ACME_INSECURE_ACK"] {
		count(cfg_bool.deny) == 1 with input as server(name, "TRUE")
		count(cfg_bool.deny) == 0 with input as server(name, "yes")
	}
}

test_profile_booleans_deny if {
	every name in [
		"CERTCTL_SCEP_PROFILE_CORP_MTLS_ENABLED",
		"CERTCTL_SCEP_PROFILE_CORP_INTUNE_ENABLED",
		"CERTCTL_EST_PROFILE_DEVICES_MTLS_ENABLED",
		"CERTCTL_EST_PROFILE_DEVICES_SERVERKEYGEN_ENABLED",
		"CERTCTL_EST_PROFILE_DEVICES_CHANNEL_BINDING_REQUIRED",
	] {
		count(cfg_bool.deny) == 1 with input as server(name, "enabled")
		count(cfg_bool.deny) == 0 with input as server(name, "true")
	}
}

test_profile_lookalikes_ignored if {
	count(cfg_bool.deny) == 0 with input as server("CERTCTL_EST_PROFILE_DEVICES_ISSUER_ID", "On")
	count(cfg_bool.deny) == 0 with input as server("CERTCTL_SCEP_PROFILE_CORP_CHANNEL_BINDING_REQUIRED", "On")
}

test_hook_one_is_false if {
	every v in ["1", "yes", "on", "y"] {
		f := cfg_bool.deny with input as server(hook, v)
		count(f) == 1
		some x in f
		contains(x.msg, "is read as false")
		contains(x.msg, "true only for true (in any case)")
	}
}

test_hook_upper_case_true_warns if {
	count(cfg_bool.deny) == 0 with input as server(hook, "TRUE")
	w := cfg_bool.warn with input as server(hook, "TRUE")
	count(w) == 1
	some x in w
	contains(x.msg, `CERTCTL_MIGRATIONS_VIA_HOOK="TRUE" is read as true`)
	contains(x.msg, "every other certctl boolean reads")
}

test_hook_upper_case_false_warns if {
	w := cfg_bool.warn with input as server(hook, "False")
	some x in w
	contains(x.msg, "is read as false")
	not contains(x.msg, "every other")
}

test_hook_plain_spellings_pass if {
	every v in ["true", "false", "0", "no", ""] {
		count(cfg_bool.deny) == 0 with input as server(hook, v)
		count(cfg_bool.warn) == 0 with input as server(hook, v)
	}
}

test_agent_env_ignores_server_booleans if {
	count(cfg_bool.deny) == 0 with input as agent("CERTCTL_ACME_INSECURE", "True")
}

test_agent_booleans_are_case_insensitive if {
	every v in ["TRUE", "True", "t", "F", "on", "OFF", "Yes", "no", "1", "0", ""] {
		count(cfg_bool.deny) == 0 with input as agent("CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY", v)
	}
}

test_agent_odd_spelling_denies if {
	f := cfg_bool.deny with input as agent("CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY", "enabled")
	count(f) == 1
	some x in f
	contains(x.msg, "the agent reads it as false")
}

test_server_does_not_judge_agent_booleans if {
	count(cfg_bool.deny) == 0 with input as server("CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY", "enabled")
}

test_unknown_not_judged if {
	doc := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {hook: {"value": "", "known": false, "ref": null}}}]}
	count(cfg_bool.deny) == 0 with input as doc
}
