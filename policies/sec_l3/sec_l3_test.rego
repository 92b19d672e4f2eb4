package certgate.sec_l3_test

import data.certgate.sec_l3

server(v) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_MAX_BODY_SIZE": {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["CERTCTL_MAX_BODY_SIZE"]}}}}]}

test_10mb_denies if {
	f := sec_l3.deny with input as server("10MB")
	count(f) == 1
	some x in f
	contains(x.msg, "the server starts, but silently falls back to 1048576")
}

test_go_parse_int_semantics if {
	count(sec_l3.deny) == 0 with input as server("0000000000000000000001048576")
	count(sec_l3.deny) == 0 with input as server("+1048576")
	every v in [" 1048576", "1048576 ", "1_048_576", "0x100000", "1e6", "1 MiB"] {
		count(sec_l3.deny) == 1 with input as server(v)
	}
}

test_default_value_is_clean if {
	count(sec_l3.deny) == 0 with input as server("1048576")
	count(sec_l3.warn) == 0 with input as server("1048576")
}

test_empty_is_unset if {
	count(sec_l3.deny) == 0 with input as server("")
	count(sec_l3.warn) == 0 with input as server("")
}

test_zero_warns if {
	count(sec_l3.deny) == 0 with input as server("0")
	w := sec_l3.warn with input as server("0")
	some x in w
	contains(x.msg, "not positive")
}

test_negative_warns if {
	count(sec_l3.warn) == 1 with input as server("-1")
}

test_128mib_warns if {
	count(sec_l3.deny) == 0 with input as server("134217728")
	w := sec_l3.warn with input as server("134217728")
	some x in w
	contains(x.msg, "above 64 MiB")
}

test_exactly_64mib_is_clean if {
	count(sec_l3.warn) == 0 with input as server("67108864")
}

test_overflow_denies if {
	count(sec_l3.deny) == 1 with input as server("99999999999999999999")
}

test_unknown_not_judged if {
	doc := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_MAX_BODY_SIZE": {"value": "", "known": false, "ref": null}}}]}
	count(sec_l3.deny) == 0 with input as doc
}
