package certgate.sec_h3_test

import data.certgate.sec_h3

now := 1800000000

at(version, vars) := {"meta": {"certctl_version": version, "now_unix": now}, "envs": [{"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

server(vars) := at("2.1.1", vars)

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

test_exactly_24h_is_expired if {
	x := one(sprintf("%d", [now - 86400]))
	contains(x.msg, "24h00m00s old, 24h or more: the demo acknowledgement has expired")
}

test_one_second_short_of_24h_passes_with_a_warning if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("%d", [now - 86399]))
}

test_24h_and_one_second_fails if {
	x := one(sprintf("%d", [now - 86401]))
	contains(x.msg, "24h00m01s old")
	contains(x.msg, "expired")
}

test_blank_is_refused if {
	every v in [" ", "   ", "\t"] {
		x := one(v)
		contains(x.msg, "CERTCTL_DEMO_MODE_ACK_TS is blank (white space only): the server refuses to start")
	}
}

test_leading_zeros_parse_as_go_does if {
	count(sec_h3.deny) == 0 with input as acked(sprintf("0000000000000000000000%d", [now - 60]))
	count(sec_h3.deny) == 0 with input as acked(sprintf("+%d", [now]))
	contains(one("1e9").msg, "is not a unix epoch in seconds")
}

test_expiring_within_the_hour_warns if {
	# now is 2027-01-15T08:00:00Z; acknowledged 23h15m ago, it expires at 08:45:00.
	doc := acked(sprintf("%d", [(now - 86400) + 2700]))
	count(sec_h3.deny) == 0 with input as doc
	w := sec_h3.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "CERTCTL_DEMO_MODE_ACK_TS expires in 0h45m00s: the next restart after 08:45:00 UTC refuses to start")
	count(sec_h3.warn) == 1 with input as acked(sprintf("%d", [(now - 86400) + 3600]))
	count(sec_h3.warn) == 1 with input as acked(sprintf("%d", [(now - 86400) + 1]))
}

test_fresh_acknowledgement_does_not_warn if {
	count(sec_h3.warn) == 0 with input as acked(sprintf("%d", [(now - 86400) + 3601]))
	count(sec_h3.warn) == 0 with input as acked(sprintf("%d", [now]))
	count(sec_h3.warn) == 0 with input as acked(sprintf("%d", [now - 86400]))
}

test_every_release_from_2_1_1 if {
	every v in ["2.1.1", "2.1.7", "2.2.0"] {
		count(sec_h3.deny) == 1 with input as at(v, {"CERTCTL_DEMO_MODE_ACK": "true"})
	}
}

test_2_1_0_does_not_check_and_says_what_upgrading_refuses if {
	doc := at("2.1.0", {"CERTCTL_DEMO_MODE_ACK": "true", "CERTCTL_DEMO_MODE_ACK_TS": sprintf("%d", [now - 90000])})
	count(sec_h3.deny) == 0 with input as doc
	count(sec_h3.warn) == 0 with input as doc
	i := sec_h3.info with input as doc
	count(i) == 1
	some x in i
	contains(x.msg, "certctl 2.1.0 does not check the demo acknowledgement's timestamp, but from 2.1.1 the server refuses to start")
	count(sec_h3.info) == 0 with input as at("2.1.0", {"CERTCTL_DEMO_MODE_ACK": "true", "CERTCTL_DEMO_MODE_ACK_TS": sprintf("%d", [now])})
}

test_maybe_empty_ts_warns if {
	doc := {"meta": {"certctl_version": "2.2.0", "now_unix": now}, "envs": [{"id": "t", "role": "server", "vars": {
		"CERTCTL_DEMO_MODE_ACK": {"value": "true", "known": true, "ref": null},
		"CERTCTL_DEMO_MODE_ACK_TS": {"value": "", "known": false, "maybe_empty": true, "ref": null},
	}}]}
	count(sec_h3.deny) == 0 with input as doc
	w := sec_h3.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "unless it is exported as a fresh unix epoch")
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
	doc := {"meta": {"certctl_version": "2.2.0", "now_unix": now}, "envs": [{"id": "t", "role": "server", "vars": {
		"CERTCTL_DEMO_MODE_ACK": {"value": "true", "known": true, "ref": null},
		"CERTCTL_DEMO_MODE_ACK_TS": {"value": "", "known": false, "ref": null},
	}}]}
	count(sec_h3.deny) == 0 with input as doc
}
