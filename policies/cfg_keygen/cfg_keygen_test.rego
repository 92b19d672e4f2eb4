package certgate.cfg_keygen_test

import data.certgate.cfg_keygen

at(version, m) := {"envs": [{"id": "t", "role": "server", "origin": "process", "vars": {k: {"value": v, "known": true, "ref": null} | some k, v in m}}], "meta": {"certctl_version": version, "now_unix": 0}}

msgs(set) := concat("\n", [f.msg | some f in set])

test_unknown_modes_deny_in_every_release if {
	every version in ["2.1.0", "2.1.7", "2.2.0"] {
		every v in ["Agent", "SERVER", "hsm", "none"] {
			d := cfg_keygen.deny with input as at(version, {"CERTCTL_KEYGEN_MODE": v})
			count(d) == 1
			contains(msgs(d), "is not agent or server")
		}
	}
	contains(msgs(cfg_keygen.deny), "case-sensitively") with input as at("2.2.0", {"CERTCTL_KEYGEN_MODE": "Agent"})
}

test_agent_and_unset_pass if {
	every m in [{"CERTCTL_KEYGEN_MODE": "agent"}, {"CERTCTL_KEYGEN_MODE": ""}, {}] {
		count(cfg_keygen.deny) == 0 with input as at("2.2.0", m)
		count(cfg_keygen.warn) == 0 with input as at("2.2.0", m)
		count(cfg_keygen.info) == 0 with input as at("2.1.0", m)
	}
}

test_server_without_demo_denies_on_2_2_0 if {
	d := cfg_keygen.deny with input as at("2.2.0", {"CERTCTL_KEYGEN_MODE": "server"})
	count(d) == 1
	contains(msgs(d), "CERTCTL_KEYGEN_MODE=server without a demo acknowledgement: certctl 2.2.0 refuses to start")
}

test_server_with_demo_passes_on_2_2_0 if {
	count(cfg_keygen.deny) == 0 with input as at("2.2.0", {"CERTCTL_KEYGEN_MODE": "server", "CERTCTL_DEMO_MODE_ACK": "true"})
}

test_server_boots_before_2_2_0_with_info if {
	every version in ["2.1.0", "2.1.7"] {
		count(cfg_keygen.deny) == 0 with input as at(version, {"CERTCTL_KEYGEN_MODE": "server"})
		i := cfg_keygen.info with input as at(version, {"CERTCTL_KEYGEN_MODE": "server"})
		count(i) == 1
		contains(msgs(i), "from 2.2.0 the server refuses to start")
	}
}

test_server_demo_unknown_warns if {
	doc := json.patch(at("2.2.0", {"CERTCTL_KEYGEN_MODE": "server"}), [{"op": "add", "path": "/envs/0/vars/CERTCTL_DEMO_MODE_ACK", "value": {"value": "", "known": false, "ref": null}}])
	count(cfg_keygen.deny) == 0 with input as doc
	count(cfg_keygen.warn) == 1 with input as doc
}
