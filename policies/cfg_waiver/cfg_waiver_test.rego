package certgate.cfg_waiver_test

import data.certgate.cfg_waiver

day := 86400

# A carve-out whose last day is 2026-12-01 stops applying at 2026-12-02T00:00:00Z.
end := 1796169600

with_now(now, owner) := {
	"meta": {"now_unix": now},
	"carveouts": [{
		"id": "SEC-L3", "source": "certgate.yaml:4", "owner": owner,
		"expires": "2026-12-01", "expires_unix": end,
		"ref": {"file": "certgate.yaml", "doc": 0, "path": ["carveouts", 0]},
	}],
}

test_expired_denies if {
	f := cfg_waiver.deny with input as with_now(end, "team-a")
	count(f) == 1
	some x in f
	contains(x.msg, "expired after 2026-12-01")
	contains(x.msg, "team-a")
	x.ref.path == ["carveouts", 0]
}

test_active_does_not_deny if {
	count(cfg_waiver.deny) == 0 with input as with_now(end - 1, "team-a")
}

test_within_14_days_warns if {
	f := cfg_waiver.warn with input as with_now(end - (3 * day), "")
	count(f) == 1
	some x in f
	contains(x.msg, "in 3 day(s)")
	contains(x.msg, "no owner")
}

test_exactly_14_days_warns if {
	count(cfg_waiver.warn) == 1 with input as with_now(end - (14 * day), "team-a")
}

test_far_end_is_quiet if {
	count(cfg_waiver.warn) == 0 with input as with_now(end - (15 * day), "team-a")
	count(cfg_waiver.deny) == 0 with input as with_now(end - (15 * day), "team-a")
}

test_expired_does_not_also_warn if {
	count(cfg_waiver.warn) == 0 with input as with_now(end + day, "team-a")
}

test_no_carveouts_is_quiet if {
	count(cfg_waiver.deny) == 0 with input as {"meta": {"now_unix": end}}
	count(cfg_waiver.warn) == 0 with input as {"meta": {"now_unix": end}}
}
