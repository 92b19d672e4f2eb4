package certgate.cfg_db_tls_test

import data.certgate.cfg_db_tls

var(v) := {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["X"]}}

probed(host, tls, vars) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {k: var(v) | some k, v in vars}}], "probes": {"db": {"reachable": true, "tls": tls, "host": host}}}

static(url) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_DATABASE_URL": var(url)}}]}

test_plaintext_to_remote_host_denies if {
	f := cfg_db_tls.deny with input as probed("db.example.com", false, {})
	count(f) == 1
	some x in f
	contains(x.msg, "db.example.com")
	contains(x.msg, "not encrypted")
	contains(x.msg, "certctl itself would start")
}

test_plaintext_to_remote_looking_hosts_denies if {
	every h in ["10.0.0.5", "db.internal", "pg.certctl.svc.cluster.local.evil.example", "2001:db8::5"] {
		count(cfg_db_tls.deny) == 1 with input as probed(h, false, {})
	}
}

test_tls_to_remote_host_is_clean if {
	count(cfg_db_tls.deny) == 0 with input as probed("db.example.com", true, {})
}

test_plaintext_to_local_hosts_is_clean if {
	every h in ["localhost", "127.0.0.1", "::1", "/var/run/postgresql", "postgres", "certctl-postgresql", "pg.certctl.svc", "pg.certctl.svc.cluster.local"] {
		count(cfg_db_tls.deny) == 0 with input as probed(h, false, {})
	}
}

test_demo_ack_allows_plaintext if {
	count(cfg_db_tls.deny) == 0 with input as probed("db.example.com", false, {"CERTCTL_DEMO_MODE_ACK": "true"})
	count(cfg_db_tls.deny) == 1 with input as probed("db.example.com", false, {"CERTCTL_DEMO_MODE_ACK": "True"})
}

test_unreachable_is_not_judged if {
	count(cfg_db_tls.deny) == 0 with input as {"meta": {}, "envs": [], "probes": {"db": {"reachable": false, "host": "db.example.com"}}}
}

test_static_sslmode_disable_to_remote_warns if {
	w := cfg_db_tls.warn with input as static("postgres://certctl:$(POSTGRES_PASSWORD)@db.example.com:5432/certctl?sslmode=disable")
	count(w) == 1
	some x in w
	contains(x.msg, "db.example.com with sslmode=disable")
	not contains(x.msg, "POSTGRES_PASSWORD")
}

test_static_no_sslmode_is_require_and_clean if {
	# lib/pq: no sslmode is require, which never falls back to plaintext.
	count(cfg_db_tls.warn) == 0 with input as static("postgresql://u:p@10.0.0.5/certctl")
}

test_static_pgsslmode_disable_to_remote_warns if {
	w := cfg_db_tls.warn with input as {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_DATABASE_URL": var("postgres://u@db.example.com/c"), "PGSSLMODE": var("disable")}}]}
	count(w) == 1
	some x in w
	contains(x.msg, "sslmode=disable (from PGSSLMODE)")
	count(cfg_db_tls.warn) == 0 with input as {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_DATABASE_URL": var("postgres://u@db.example.com/c?sslmode=require"), "PGSSLMODE": var("disable")}}]}
}

test_static_prefer_and_allow_are_cfg_db_url_refusals if {
	count(cfg_db_tls.warn) == 0 with input as static("postgres://u@db.example.com/c?sslmode=prefer")
	count(cfg_db_tls.warn) == 0 with input as static("postgres://u@db.example.com/c?connect_timeout=5&sslmode=allow")
}

test_static_require_and_verify_are_clean if {
	every m in ["require", "verify-ca", "verify-full"] {
		count(cfg_db_tls.warn) == 0 with input as static(sprintf("postgres://u:p@db.example.com:5432/c?sslmode=%s", [m]))
	}
}

test_static_local_hosts_are_clean if {
	every u in [
		"postgres://certctl:$(POSTGRES_PASSWORD)@postgres:5432/certctl?sslmode=disable",
		"postgres://u:p@localhost/c",
		"postgres://u:p@127.0.0.1:5432/c?sslmode=disable",
		"postgres://u:p@[::1]:5432/c",
		"postgres://u:p@pg.certctl.svc.cluster.local/c",
		"postgres://u:p@certctl-postgresql:5432/c?sslmode=disable",
		"postgres:///c?host=/var/run/postgresql",
		"postgres:///c",
	] {
		count(cfg_db_tls.warn) == 0 with input as static(u)
	}
}

test_static_multi_host_is_a_cfg_db_url_refusal if {
	count(cfg_db_tls.warn) == 0 with input as static("postgres://u:p@postgres:5432,db2.example.com:5433/c?sslmode=disable")
}

test_static_query_host_is_used if {
	count(cfg_db_tls.warn) == 1 with input as static("postgres:///c?host=db.example.com&sslmode=disable")
	count(cfg_db_tls.warn) == 0 with input as static("postgres:///c?host=db.example.com")
}

test_static_keyword_form if {
	count(cfg_db_tls.warn) == 1 with input as static("host=db.example.com user=certctl sslmode=disable")
	count(cfg_db_tls.warn) == 0 with input as static("host=db.example.com user=certctl sslmode=verify-full")
	count(cfg_db_tls.warn) == 0 with input as static("host=/var/run/postgresql user=certctl sslmode=disable")
	count(cfg_db_tls.warn) == 0 with input as static("user=certctl dbname=certctl")
}

test_static_unknown_or_empty_url_is_not_judged if {
	count(cfg_db_tls.warn) == 0 with input as {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_DATABASE_URL": {"value": "", "known": false, "ref": null}}}]}
	count(cfg_db_tls.warn) == 0 with input as static("")
}

test_static_ignores_agents if {
	count(cfg_db_tls.warn) == 0 with input as {"meta": {}, "envs": [{"id": "t", "role": "agent", "vars": {"CERTCTL_DATABASE_URL": var("postgres://u@db.example.com/c")}}]}
}
