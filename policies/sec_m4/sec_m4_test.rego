package certgate.sec_m4_test

import data.certgate.sec_m4

server(vars) := {"meta": {"certctl_version": "2.1.0"}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

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
	contains(x.msg, "without the insecure flag")
}

test_both_warns if {
	doc := server({"CERTCTL_ACME_INSECURE": "1", "CERTCTL_ACME_INSECURE_ACK": "true"})
	count(sec_m4.deny) == 0 with input as doc
	w := sec_m4.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "TLS verification of the ACME directory is disabled")
}

test_unknown_ack_is_not_judged if {
	doc := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {
		"CERTCTL_ACME_INSECURE": {"value": "true", "known": true, "ref": null},
		"CERTCTL_ACME_INSECURE_ACK": {"value": "", "known": false, "ref": null},
	}}]}
	count(sec_m4.deny) == 0 with input as doc
	count(sec_m4.warn) == 0 with input as doc
}
