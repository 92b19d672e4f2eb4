package certgate.cfg_agent_test

import data.certgate.cfg_agent

var(v) := {"value": v, "known": true, "ref": null}

agent(vars) := {"meta": {}, "envs": [{"id": "a", "role": "agent", "ref": {"file": "f", "doc": 0, "path": []}, "vars": vars}]}

server(vars) := {"meta": {}, "envs": [{"id": "s", "role": "server", "vars": vars}]}

key := {"CERTCTL_API_KEY": var("Ag3agentApiKeyValue2024")}

test_missing_key_denies if {
	f := cfg_agent.deny with input as agent({})
	count(f) == 1
	some x in f
	contains(x.msg, "CERTCTL_API_KEY is empty or absent: the agent cannot authenticate")
	x.subject == "a"
}

test_empty_key_denies if {
	count(cfg_agent.deny) == 1 with input as agent({"CERTCTL_API_KEY": var("")})
}

test_key_passes if {
	count(cfg_agent.deny) == 0 with input as agent(key)
	count(cfg_agent.warn) == 0 with input as agent(key)
}

test_unknown_key_passes if {
	count(cfg_agent.deny) == 0 with input as agent({"CERTCTL_API_KEY": {"value": "", "known": false, "ref": null}})
	count(cfg_agent.warn) == 0 with input as agent({"CERTCTL_API_KEY": {"value": "", "known": false, "ref": null}})
}

test_maybe_empty_key_warns if {
	doc := agent({"CERTCTL_API_KEY": {"value": "", "known": false, "ref": null, "maybe_empty": true}})
	count(cfg_agent.deny) == 0 with input as doc
	w := cfg_agent.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "may be empty at run time")
}

test_bootstrap_token_warns_without_value if {
	w := cfg_agent.warn with input as agent(object.union(key, {"CERTCTL_AGENT_BOOTSTRAP_TOKEN": var("Tk9bootstrapTokenValue0815")}))
	count(w) == 1
	some x in w
	contains(x.msg, "the agent never reads it")
	not contains(x.msg, "Tk9bootstrapTokenValue0815")
}

test_unknown_bootstrap_token_warns if {
	count(cfg_agent.warn) == 1 with input as agent(object.union(key, {"CERTCTL_AGENT_BOOTSTRAP_TOKEN": {"value": "", "known": false, "ref": null}}))
}

test_skip_verify_warns if {
	every v in ["true", "TRUE", "1", "t", "on", "Yes"] {
		w := cfg_agent.warn with input as agent(object.union(key, {"CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY": var(v)}))
		count(w) == 1
		some x in w
		contains(x.msg, "CERTCTL_SERVER_CA_BUNDLE_PATH")
	}
}

test_skip_verify_false_passes if {
	every v in ["false", "0", "off", "F", ""] {
		count(cfg_agent.warn) == 0 with input as agent(object.union(key, {"CERTCTL_SERVER_TLS_INSECURE_SKIP_VERIFY": var(v)}))
	}
}

test_server_env_ignored if {
	count(cfg_agent.deny) == 0 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN": var("Tk9bootstrapTokenValue0815")})
	count(cfg_agent.warn) == 0 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN": var("Tk9bootstrapTokenValue0815")})
}
