package certgate.sec_h1_test

import data.certgate.sec_h1

at(version, vars) := {"envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}], "meta": {"certctl_version": version, "now_unix": 0}}

# server is a 2.1.x release: the check exists, the flag defaults to false and
# the demo acknowledgement does not bypass it.
server(vars) := at("2.1.1", vars)

on_22(vars) := at("2.2.0", vars)

with_unknown(doc, name) := object.union(doc, {"envs": [object.union(doc.envs[0], {"vars": object.union(doc.envs[0].vars, {name: {"value": "", "known": false, "ref": null}})})]})

# flag on x token empty x ack
test_flag_on_token_absent_denies if {
	f := sec_h1.deny with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true"})
	count(f) == 1
	some x in f
	contains(x.msg, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY is true")
	x.ref.path == ["CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY"]
}

test_flag_on_token_empty_denies_at_token if {
	f := sec_h1.deny with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "1", "CERTCTL_AGENT_BOOTSTRAP_TOKEN": ""})
	some x in f
	x.ref.path == ["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]
}

test_flag_on_token_set_passes if {
	count(sec_h1.deny) == 0 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true", "CERTCTL_AGENT_BOOTSTRAP_TOKEN": "s3cr3t"})
	count(sec_h1.warn) == 0 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true", "CERTCTL_AGENT_BOOTSTRAP_TOKEN": "s3cr3t"})
}

test_flag_on_demo_ack_bypasses_on_2_2_0 if {
	count(sec_h1.deny) == 0 with input as on_22({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true", "CERTCTL_DEMO_MODE_ACK": "true"})
}

test_flag_on_demo_ack_does_not_bypass_on_2_1_x if {
	every v in ["2.1.1", "2.1.4", "2.1.7"] {
		f := sec_h1.deny with input as at(v, {"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true", "CERTCTL_DEMO_MODE_ACK": "true"})
		count(f) == 1
		some x in f
		contains(x.msg, "CERTCTL_DEMO_MODE_ACK does not bypass this check before certctl 2.2.0")
	}
}

test_2_1_0_has_no_check_and_says_what_upgrading_refuses if {
	every vars in [{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true"}, {}] {
		count(sec_h1.deny) == 0 with input as at("2.1.0", vars)
		count(sec_h1.warn) == 0 with input as at("2.1.0", vars)
		i := sec_h1.info with input as at("2.1.0", vars)
		count(i) == 1
		some x in i
		contains(x.msg, "certctl 2.1.0 lets any agent register; from 2.1.1 the server refuses to start")
	}
	count(sec_h1.info) == 0 with input as at("2.1.0", {"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "x"})
	count(sec_h1.info) == 0 with input as on_22({})
}

test_maybe_empty_token_warns if {
	doc := json.patch(on_22({}), [{"op": "add", "path": "/envs/0/vars/CERTCTL_AGENT_BOOTSTRAP_TOKEN", "value": {"value": "", "known": false, "maybe_empty": true, "ref": null}}])
	count(sec_h1.deny) == 0 with input as doc
	w := sec_h1.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "unless it is exported non-empty")
	off := json.patch(at("2.1.4", {}), [{"op": "add", "path": "/envs/0/vars/CERTCTL_AGENT_BOOTSTRAP_TOKEN", "value": {"value": "", "known": false, "maybe_empty": true, "ref": null}}])
	count(sec_h1.warn) == 0 with input as off
}

test_flag_on_demo_ack_false_denies if {
	count(sec_h1.deny) == 1 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true", "CERTCTL_DEMO_MODE_ACK": "True"})
}

test_flag_off_token_empty_warns if {
	w := sec_h1.warn with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "false"})
	count(w) == 1
	some x in w
	contains(x.msg, "any agent can register")
	count(sec_h1.deny) == 0 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "false"})
}

test_flag_default_off_says_2_2_0_refuses if {
	w := sec_h1.warn with input as server({})
	count(w) == 1
	some x in w
	contains(x.msg, "refuses to start from v2.2.0, where CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY defaults to true")
}

test_flag_off_token_set_is_clean if {
	count(sec_h1.warn) == 0 with input as server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "false", "CERTCTL_AGENT_BOOTSTRAP_TOKEN": "x"})
}

test_unset_flag_2_1_warns if {
	count(sec_h1.deny) == 0 with input as server({})
	count(sec_h1.warn) == 1 with input as server({})
}

test_unset_flag_2_2_denies if {
	f := sec_h1.deny with input as on_22({})
	count(f) == 1
	some x in f
	contains(x.msg, "certctl 2.2.0 defaults CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY to true")
}

test_unset_flag_2_2_token_set_passes if {
	count(sec_h1.deny) == 0 with input as on_22({"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "x"})
}

test_unset_flag_2_2_demo_ack_passes if {
	count(sec_h1.deny) == 0 with input as on_22({"CERTCTL_DEMO_MODE_ACK": "yes"})
}

test_explicit_off_says_any_agent_can_register if {
	w := sec_h1.warn with input as on_22({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "false"})
	some x in w
	contains(x.msg, "is false, so the server runs in warn-mode pass-through and any agent can register")
	not contains(x.msg, "from v2.2.0")
}

test_explicit_off_on_2_2_warns_not_denies if {
	count(sec_h1.deny) == 0 with input as on_22({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "no"})
	count(sec_h1.warn) == 1 with input as on_22({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "no"})
}

test_unknown_token_is_not_empty if {
	doc := with_unknown(on_22({}), "CERTCTL_AGENT_BOOTSTRAP_TOKEN")
	count(sec_h1.deny) == 0 with input as doc
	count(sec_h1.warn) == 0 with input as doc
}

test_unknown_ack_warns_instead_of_denying if {
	doc := with_unknown(on_22({}), "CERTCTL_DEMO_MODE_ACK")
	count(sec_h1.deny) == 0 with input as doc
	w := sec_h1.warn with input as doc
	some x in w
	contains(x.msg, "unless CERTCTL_DEMO_MODE_ACK resolves to true")
}

test_unknown_ack_does_not_help_on_2_1_x if {
	doc := with_unknown(server({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "true"}), "CERTCTL_DEMO_MODE_ACK")
	count(sec_h1.deny) == 1 with input as doc
}

test_unknown_flag_warns if {
	doc := with_unknown(server({}), "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY")
	count(sec_h1.deny) == 0 with input as doc
	w := sec_h1.warn with input as doc
	some x in w
	contains(x.msg, "if CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY resolves to true")
}

test_agent_envs_are_not_judged if {
	doc := object.union(on_22({}), {"envs": [{"id": "a", "role": "agent", "vars": {}}]})
	count(sec_h1.deny) == 0 with input as doc
}

test_open_env_token_may_come_from_env_from if {
	doc := on_22({})
	open := object.union(doc, {"envs": [object.union(doc.envs[0], {"labels": {"env_from_unresolved": "Secret/certctl-env"}})]})
	count(sec_h1.deny) == 0 with input as open
	count(sec_h1.warn) == 0 with input as open
}
