package certgate.cfg_otel_test

import data.certgate.cfg_otel

v(x) := {"value": x, "known": true, "ref": null}

doc(on, otel) := {"meta": {}, "envs": [{"id": "p", "role": "server", "vars": {"CERTCTL_OTEL_ENABLED": v(on)}}], "host": {"files": {}, "pairs": {}, "otel": otel}}

clean := {"set": true, "pairs": 2, "missing_value": [], "bad_escape": [], "empty_key": []}

test_valid_attributes_are_clean if {
	count(cfg_otel.deny) == 0 with input as doc("true", clean)
	count(cfg_otel.warn) == 0 with input as doc("true", clean)
}

test_missing_value_denies if {
	fs := cfg_otel.deny with input as doc("true", object.union(clean, {"pairs": 3, "missing_value": [2, 3]}))
	count(fs) == 1
	some f in fs
	contains(f.msg, "has 3 item(s), of which item(s) 2, 3 have no \"=\"")
}

test_otel_off_is_not_judged if {
	count(cfg_otel.deny) == 0 with input as doc("True", object.union(clean, {"missing_value": [1]}))
}

test_bad_escape_warns if {
	ws := cfg_otel.warn with input as doc("1", object.union(clean, {"bad_escape": [1]}))
	count(ws) == 1
	some w in ws
	contains(w.msg, "item(s) 1 are not valid percent-encoding")
}

test_empty_key_warns if {
	ws := cfg_otel.warn with input as doc("yes", object.union(clean, {"empty_key": [2]}))
	count(ws) == 1
	some w in ws
	contains(w.msg, "item(s) 2 have an empty key")
}
