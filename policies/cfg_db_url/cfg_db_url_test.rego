package certgate.cfg_db_url_test

import data.certgate.cfg_db_url

var(v) := {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["X"]}} if is_string(v)

var(v) := {"value": "", "known": false, "ref": null} if v == null

doc(vars) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {k: var(v) | some k, v in vars}}]}

url(u) := doc({"CERTCTL_DATABASE_URL": u})

one(fs, text) if {
	count(fs) == 1
	some x in fs
	contains(x.msg, text)
}

test_good_urls_pass if {
	every u in [
		"postgres://certctl:pw@db.example.com:5432/certctl?sslmode=verify-full",
		"postgres://certctl:pw@db/certctl",
		"postgresql://certctl@db/certctl?sslmode=disable&application_name=certctl&connect_timeout=5",
		"postgres://certctl@db/certctl?search_path=certctl&statement_timeout=30s&myapp.flag=1",
		"host=/var/run/postgresql dbname=certctl",
		"host=db user=certctl sslmode=require client_encoding=utf-8",
		"",
	] {
		count(cfg_db_url.deny) == 0 with input as url(u)
	}
	count(cfg_db_url.deny) == 0 with input as doc({})
}

test_unparsable_url_denies if {
	one(cfg_db_url.deny, "does not parse as lib/pq v1.10.9") with input as url("postgres://certctl:pw@db:notaport/certctl")
	one(cfg_db_url.deny, "neither a postgres:// URL nor a keyword/value list") with input as url("host=db password='x")
	one(cfg_db_url.deny, "does not parse") with input as url("POSTGRES://db/certctl")
}

test_password_that_breaks_the_url_denies_without_showing_it if {
	f := cfg_db_url.deny with input as doc({"CERTCTL_DATABASE_URL": "postgres://certctl:$(POSTGRES_PASSWORD)@db/certctl", "POSTGRES_PASSWORD": "se/cr?et"})
	one(f, "does not parse")
	every x in f {
		not contains(x.msg, "se/cr")
	}
	count(cfg_db_url.deny) == 0 with input as doc({"CERTCTL_DATABASE_URL": "postgres://certctl:$(POSTGRES_PASSWORD)@db/certctl", "POSTGRES_PASSWORD": null})
}

test_prefer_and_allow_deny if {
	every m in ["prefer", "allow", "Require", "verify_full"] {
		one(cfg_db_url.deny, sprintf("sslmode=%s (from CERTCTL_DATABASE_URL)", [m])) with input as url(sprintf("postgres://db/c?sslmode=%s", [m]))
	}
	one(cfg_db_url.deny, "sslmode=prefer") with input as url("host=db sslmode=prefer")
}

test_pgsslmode_feeds_the_url if {
	f := cfg_db_url.deny with input as doc({"CERTCTL_DATABASE_URL": "postgres://db/c", "PGSSLMODE": "prefer"})
	one(f, "sslmode=prefer (from PGSSLMODE)")
	some x in f
	x.ref.path == ["X"]
	count(cfg_db_url.deny) == 0 with input as doc({"CERTCTL_DATABASE_URL": "postgres://db/c?sslmode=require", "PGSSLMODE": "prefer"})
	count(cfg_db_url.deny) == 0 with input as doc({"CERTCTL_DATABASE_URL": "postgres://db/c", "PGSSLMODE": "verify-full"})
	count(cfg_db_url.deny) == 0 with input as doc({"CERTCTL_DATABASE_URL": "postgres://db/c", "PGSSLMODE": null})
	one(cfg_db_url.deny, "from PGSSLMODE") with input as doc({"PGSSLMODE": "allow"})
}

test_unknown_parameters_deny if {
	every p in ["target_session_attrs=read-write", "sslpassword=x", "pool_max_conns=10", "load_balance_hosts=random", "channel_binding=require"] {
		one(cfg_db_url.deny, "which lib/pq v1.10.9 does not know") with input as url(sprintf("postgres://db/c?sslmode=require&%s", [p]))
	}
	one(cfg_db_url.deny, "sets target_session_attrs") with input as url("host=db target_session_attrs=any")
}

test_unknown_parameter_message_hides_the_value if {
	f := cfg_db_url.deny with input as url("postgres://db/c?sslpassword=hunter2xyz")
	one(f, "sets sslpassword")
	every x in f {
		not contains(x.msg, "hunter2xyz")
	}
}

test_multi_host_denies if {
	one(cfg_db_url.deny, "names several hosts") with input as url("postgres://u@db1:5432,db2:5432/c")
	one(cfg_db_url.deny, "names several hosts (db1,db2") with input as url("postgres://u@db1,db2/c")
	one(cfg_db_url.deny, "names several hosts") with input as url("postgres:///c?host=db1,db2")
	one(cfg_db_url.deny, "from PGHOST") with input as doc({"CERTCTL_DATABASE_URL": "postgres:///c", "PGHOST": "a,b"})
}

test_settings_lib_pq_refuses if {
	one(cfg_db_url.deny, "client_encoding (from CERTCTL_DATABASE_URL) is not UTF8") with input as url("postgres://db/c?client_encoding=LATIN1")
	one(cfg_db_url.deny, "datestyle (from PGDATESTYLE)") with input as doc({"PGDATESTYLE": "German"})
	one(cfg_db_url.deny, "connect_timeout (from CERTCTL_DATABASE_URL) is not a whole number") with input as url("postgres://db/c?connect_timeout=5s")
	one(cfg_db_url.deny, "port (from PGPORT) is not a TCP port") with input as doc({"PGPORT": "pg"})
	one(cfg_db_url.deny, "port (from CERTCTL_DATABASE_URL)") with input as url("host=db port=70000")
	one(cfg_db_url.deny, "binary_parameters") with input as url("postgres://db/c?binary_parameters=true")
	count(cfg_db_url.deny) == 0 with input as url("postgres://db/c?binary_parameters=yes&datestyle=ISO,+MDY&client_encoding=UNICODE&connect_timeout=0")
}

test_unknown_url_is_not_judged if {
	count(cfg_db_url.deny) == 0 with input as doc({"CERTCTL_DATABASE_URL": null, "PGSSLMODE": "prefer"})
}

test_agent_is_not_judged if {
	count(cfg_db_url.deny) == 0 with input as {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {"CERTCTL_DATABASE_URL": var("postgres://db/c?sslmode=prefer")}}]}
}
