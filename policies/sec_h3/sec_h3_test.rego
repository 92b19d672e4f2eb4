package certgate.sec_h3_test

import data.certgate.sec_h3

now := 1800000000

server(vars) := {"meta": {"certctl_version": "2.1.0", "now_unix": now}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

acked(ts) := server({"CERTCTL_DEMO_MODE_ACK": "true", "CERTCTL_DEMO_MODE_ACK_TS": ts})

one(ts) := x if {
	f := sec_h3.deny with input as acked(ts)
	count(f) == 1
	some x in f
}

test_missing if {
	f := sec_h3.deny with input as server({"CERTCTL_DEMO_MODE_ACK": "true"})
	some x in f
	contains(x.msg, "is missing")
	contains(x.msg, "$(date +%s)")
}

test_empty_is_missing if {
	contains(one("").msg, "is missing")
}

test_yesterday_is_unparsable if {
	x := one("yesterday")
	contains(x.msg, "is not a unix epoch in seconds")
	x.ref.path == ["CERTCTL_DEMO_MODE_ACK_TS"]
}

test_thirteen_digits_hint_millis if {
	x := one(sprintf("%d", [now * 1000]))
	contains(x.msg, "in the future")
	contains(x.msg, "looks like milliseconds")
}

test_one_hour_ago_passes if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("%d", [now - 3600]))
}

test_surrounding_spaces_pass if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("  %d ", [now - 3600]))
}

test_exactly_24h_passes if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("%d", [now - 86400]))
}

test_24h_and_one_second_fails if {
	x := one(sprintf("%d", [now - 86401]))
	contains(x.msg, "24h00m01s old")
	contains(x.msg, "expired")
}

test_30s_ahead_passes if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("%d", [now + 30]))
}

test_exactly_60s_ahead_passes if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("%d", [now + 60]))
}

test_10m_ahead_fails if {
	x := one(sprintf("%d", [now + 600]))
	contains(x.msg, "0h10m00s in the future")
	not contains(x.msg, "milliseconds")
}

test_very_old_in_days if {
	contains(one("1").msg, "days old")
}

test_no_ack_no_check if {
	count(sec_h3.deny) == 0 with input as server({"CERTCTL_DEMO_MODE_ACK_TS": "yesterday"})
	count(sec_h3.deny) == 0 with input as server({"CERTCTL_DEMO_MODE_ACK": "True"})
}

test_unknown_ts_not_judged if {
	doc := {"meta": {"now_unix": now}, "envs": [{"id": "t", "role": "server", "vars": {
		"CERTCTL_DEMO_MODE_ACK": {"value": "true", "known": true, "ref": null},
		"CERTCTL_DEMO_MODE_ACK_TS": {"value": "", "known": false, "ref": null},
	}}]}
	count(sec_h3.deny) == 0 with input as doc
}
