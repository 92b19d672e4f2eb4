package certgate.cfg_db_reach_test

import data.certgate.cfg_db_reach

doc(db) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_DATABASE_URL": {"value": "postgres://u@h/db", "known": true, "ref": {"file": "f", "doc": 0, "path": ["CERTCTL_DATABASE_URL"]}}}}], "probes": {"db": db}}

ok := {"ran": true, "configured": true, "host": "db.example.com", "port": 5432, "reachable": true, "tls": true, "superuser": false, "error": ""}

test_reachable_is_clean if {
	count(cfg_db_reach.deny) == 0 with input as doc(ok)
}

test_no_probe_is_clean if {
	count(cfg_db_reach.deny) == 0 with input as {"meta": {}, "envs": []}
}

test_not_configured_denies if {
	f := cfg_db_reach.deny with input as doc({"ran": true, "configured": false, "reachable": false, "error": "x"})
	count(f) == 1
	some x in f
	contains(x.msg, "CERTCTL_DATABASE_URL is only known at run time")
	x.ref.path == ["CERTCTL_DATABASE_URL"]
}

test_parse_error_denies_naming_the_variable if {
	f := cfg_db_reach.deny with input as doc({"ran": true, "configured": true, "parse_error": "invalid port", "reachable": false, "error": "x"})
	count(f) == 1
	some x in f
	contains(x.msg, "CERTCTL_DATABASE_URL does not parse")
	contains(x.msg, "invalid port")
}

test_wrong_password_explains_the_volume if {
	f := cfg_db_reach.deny with input as doc(object.union(ok, {"reachable": false, "sqlstate": "28P01", "error": "auth failed"}))
	count(f) == 1
	some x in f
	contains(x.msg, "SQLSTATE 28P01")
	contains(x.msg, "older POSTGRES_PASSWORD")
	contains(x.msg, "db.example.com:5432")
}

test_unreachable_denies if {
	f := cfg_db_reach.deny with input as doc(object.union(ok, {"reachable": false, "error": "connection refused"}))
	count(f) == 1
	some x in f
	contains(x.msg, "db.example.com:5432 is unreachable: connection refused")
	not contains(x.msg, "28P01")
}

test_timed_out_probe_without_facts_denies if {
	f := cfg_db_reach.deny with input as doc({"ran": true, "reachable": false, "error": "probe did not finish within 3s"})
	count(f) == 1
	some x in f
	contains(x.msg, "the database is unreachable: probe did not finish")
}

test_without_server_env_still_denies if {
	f := cfg_db_reach.deny with input as {"meta": {}, "envs": [], "probes": {"db": {"ran": true, "reachable": false, "error": "boom"}}}
	count(f) == 1
	some x in f
	x.ref == null
}

test_default_url_is_named if {
	f := cfg_db_reach.deny with input as doc({"ran": true, "configured": true, "default_url": true, "host": "localhost", "port": 5432, "reachable": false, "error": "connection refused"})
	count(f) == 1
	some x in f
	contains(x.msg, "CERTCTL_DATABASE_URL (unset: certctl uses postgres://localhost/certctl): localhost:5432 is unreachable: connection refused")
}

test_driver_error_denies if {
	f := cfg_db_reach.deny with input as doc({"ran": true, "configured": true, "driver_error": "sslrootcert: no such file", "reachable": false, "error": "lib/pq refuses the connection settings"})
	count(f) == 1
	some x in f
	contains(x.msg, "lib/pq v1.10.9) refuses the connection settings: sslrootcert: no such file")
	not contains(x.msg, "unreachable")
}

test_driver_error_stands_back_for_static_refusals if {
	d := doc({"ran": true, "configured": true, "driver_error": "unsupported sslmode", "reachable": false, "error": "x"})
	count(cfg_db_reach.deny) == 0 with input as d with data.certgate.cfg_db_url.deny as {{"msg": "sslmode=prefer"}}
	count(cfg_db_reach.deny) == 0 with input as d with data.certgate.cfg_pgenv.deny as {{"msg": "PGSYSCONFDIR"}}
}

test_tls_refused_explains_require if {
	f := cfg_db_reach.deny with input as doc(object.union(ok, {"reachable": false, "tls_refused": true, "sslmode": "require", "sslmode_from": "default", "error": "server refused TLS connection"}))
	count(f) == 1
	some x in f
	contains(x.msg, "db.example.com:5432 does not offer TLS, and sslmode=require (from default")
	contains(x.msg, "never falls back to plaintext")
	not contains(x.msg, "unreachable")
}
