package certgate.sec_m4_test

import data.certgate.sec_m4

at(version, vars) := {"meta": {"certctl_version": version}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

server(vars) := at("2.1.1", vars)

test_neither_is_clean if {
	count(sec_m4.deny) == 0 with input as server({})
	count(sec_m4.warn) == 0 with input as server({})
}

test_both_false_is_clean if {
	count(sec_m4.deny) == 0 with input as server({"CERTCTL_ACME_INSECURE": "false", "CERTCTL_ACME_INSECURE_ACK": "0"})
}

test_insecure_only_denies if {
	f := sec_m4.deny with input as server({"CERTCTL_ACME_INSECURE": "true"})
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_ACME_INSECURE"]
	contains(x.msg, "CERTCTL_ACME_INSECURE_ACK is not")
}

test_insecure_with_miscased_ack_denies if {
	count(sec_m4.deny) == 1 with input as server({"CERTCTL_ACME_INSECURE": "yes", "CERTCTL_ACME_INSECURE_ACK": "TRUE"})
}

test_ack_only_denies if {
	f := sec_m4.deny with input as server({"CERTCTL_ACME_INSECURE_ACK": "true"})
	count(f) == 1
	some x in f
	x.ref.path == ["CERTCTL_ACME_INSECURE_ACK"]
	contains(x.msg, "certctl itself starts with an acknowledgement alone, but certgate refuses it as a leftover acknowledgement")
	not contains(x.msg, "ErrACMEInsecureWithoutAck")
}

test_both_warns if {
	doc := server({"CERTCTL_ACME_INSECURE": "1", "CERTCTL_ACME_INSECURE_ACK": "true"})
	count(sec_m4.deny) == 0 with input as doc
	w := sec_m4.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "TLS verification of the ACME directory is disabled")
}

test_unknown_ack_warns if {
	doc := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "vars": {
		"CERTCTL_ACME_INSECURE": {"value": "true", "known": true, "ref": null},
		"CERTCTL_ACME_INSECURE_ACK": {"value": "", "known": false, "ref": null},
	}}]}
	count(sec_m4.deny) == 0 with input as doc
	w := sec_m4.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "unless CERTCTL_ACME_INSECURE_ACK resolves to true at run time")
}

test_unknown_insecure_with_ack_is_not_judged if {
	doc := {"meta": {"certctl_version": "2.2.0"}, "envs": [{"id": "t", "role": "server", "vars": {
		"CERTCTL_ACME_INSECURE": {"value": "", "known": false, "ref": null},
		"CERTCTL_ACME_INSECURE_ACK": {"value": "true", "known": true, "ref": null},
	}}]}
	count(sec_m4.deny) == 0 with input as doc
	count(sec_m4.warn) == 0 with input as doc
}

test_every_release_from_2_1_1 if {
	every v in ["2.1.1", "2.1.7", "2.2.0"] {
		count(sec_m4.deny) == 1 with input as at(v, {"CERTCTL_ACME_INSECURE": "true"})
		count(sec_m4.deny) == 1 with input as at(v, {"CERTCTL_ACME_INSECURE_ACK": "true"})
	}
}

test_2_1_0_has_no_gate_and_says_what_upgrading_refuses if {
	every vars in [{"CERTCTL_ACME_INSECURE": "true"}, {"CERTCTL_ACME_INSECURE_ACK": "true"}, {"CERTCTL_ACME_INSECURE": "true", "CERTCTL_ACME_INSECURE_ACK": "true"}] {
		count(sec_m4.deny) == 0 with input as at("2.1.0", vars)
		count(sec_m4.warn) == 0 with input as at("2.1.0", vars)
	}
	i := sec_m4.info with input as at("2.1.0", {"CERTCTL_ACME_INSECURE": "true"})
	count(i) == 1
	some x in i
	contains(x.msg, "from 2.1.1 the server refuses to start unless CERTCTL_ACME_INSECURE_ACK=true as well")
	count(sec_m4.info) == 0 with input as at("2.1.0", {})
	count(sec_m4.info) == 0 with input as at("2.1.1", {"CERTCTL_ACME_INSECURE": "true"})
}
