package certgate.lib_pq_test

import data.certgate.lib

env(vars) := {"id": "t", "role": "server", "vars": {k: x | some k, v in vars; x := var(v)}}

var(v) := {"value": v, "known": true, "ref": null} if is_string(v)

var(v) := {"value": "", "known": false, "ref": null} if v == null

test_pq_url_default_and_password if {
	lib.pq_url(env({})) == "postgres://localhost/certctl"
	lib.pq_url(env({"CERTCTL_DATABASE_URL": ""})) == "postgres://localhost/certctl"
	lib.pq_url(env({"CERTCTL_DATABASE_URL": "postgres://u:$(POSTGRES_PASSWORD)@h/d", "POSTGRES_PASSWORD": "pw"})) == "postgres://u:pw@h/d"
	lib.pq_url(env({"CERTCTL_DATABASE_URL": "postgres://u:$(POSTGRES_PASSWORD)@h/d"})) == "postgres://u:$(POSTGRES_PASSWORD)@h/d"
	lib.pq_url(env({"CERTCTL_DATABASE_URL": "postgres://u:$(POSTGRES_PASSWORD)@h/d", "POSTGRES_PASSWORD": null})) == "postgres://u:unknown@h/d"
	not lib.pq_url(env({"CERTCTL_DATABASE_URL": null}))
}

test_pq_parse_url if {
	lib.pq_parse("postgres://u:p%40x@db:5433/certctl?sslmode=prefer&target_session_attrs=any") == {"opts": {
		"user": "u", "password": "p@x", "host": "db", "port": "5433", "dbname": "certctl",
		"sslmode": "prefer", "target_session_attrs": "any",
	}}
	lib.pq_parse("postgresql://h") == {"opts": {"host": "h"}}
	lib.pq_parse("postgres://") == {"opts": {}}
}

test_pq_parse_url_first_query_value_and_empty_values if {
	lib.pq_parse("postgres://h/d?sslmode=&sslmode=disable") == {"opts": {"host": "h", "dbname": "d"}}
	lib.pq_parse("postgres://h/d?sslmode=require&sslmode=disable") == {"opts": {"host": "h", "dbname": "d", "sslmode": "require"}}
	lib.pq_parse("postgres://h/d?a;b=1&sslmode=%zz&x=a+b") == {"opts": {"host": "h", "dbname": "d", "x": "a b"}}
}

test_pq_parse_url_sorted_pairs_decide if {
	# host='/tmp' sorts before host='h': the URL's host wins.
	lib.pq_parse("postgres://h/d?host=/tmp").opts.host == "h"
	lib.pq_parse("postgres:///d?host=/tmp").opts.host == "/tmp"
}

test_pq_parse_url_hosts if {
	# net.SplitHostPort fails on two colons: the whole authority host is the host.
	lib.pq_parse("postgres://u@h1:5432,h2:5433/d").opts == {"user": "u", "host": "h1:5432,h2:5433", "dbname": "d"}
	lib.pq_parse("postgres://u@h1,h2/d").opts.host == "h1,h2"
	lib.pq_parse("postgres://[::1]:5432/d").opts.host == "::1"
	lib.pq_parse("postgres://[::1]/d").opts.host == "[::1]"
}

test_pq_parse_url_errors if {
	contains(lib.pq_parse("postgres://u:p@h:abc/d").error, "host[:port] is invalid")
	contains(lib.pq_parse("postgres://u:pa/ss@h/d").error, "host[:port] is invalid")
	contains(lib.pq_parse("postgres://u:p w@h/d").error, "user:password")
	contains(lib.pq_parse("postgres://u:p%zz@h/d").error, "user:password")
	contains(lib.pq_parse("postgres://h/d%zz").error, "path")
	contains(lib.pq_parse("postgres://h/d#%").error, "fragment")
	contains(lib.pq_parse("postgres://h/d\n").error, "control character")
	contains(lib.pq_parse("postgres://h x/d").error, "host[:port] is invalid")
}

test_pq_parse_kv if {
	lib.pq_parse("host=a  port = 5 x='a b\\'c' y=\\ z") == {"opts": {"host": "a", "port": "5", "x": "a b'c", "y": " z"}}
	lib.pq_parse("host=a host=b") == {"opts": {"host": "b"}}
	lib.pq_parse("a= b=c") == {"opts": {"a": "b=c"}}
	lib.pq_parse("a='x'b=c sslmode=") == {"opts": {"a": "x", "b": "c", "sslmode": ""}}
	lib.pq_parse("") == {"opts": {}}
}

test_pq_parse_kv_errors if {
	lib.pq_parse("a b=c").error
	lib.pq_parse("password='x").error
	lib.pq_parse("a=x\\").error
	lib.pq_parse("POSTGRES://h/d").error
}

test_pq_conn_env_defaults_and_url_precedence if {
	c := lib.pq_conn(env({"PGSSLMODE": "prefer", "PGHOST": "db", "CERTCTL_DATABASE_URL": "postgres://u@/certctl"}))
	c.opts.sslmode == "prefer"
	c.source.sslmode == "PGSSLMODE"
	c.opts.host == "db"
	c.opts.user == "u"
	c.source.user == "CERTCTL_DATABASE_URL"
	d := lib.pq_conn(env({"PGSSLMODE": "prefer", "CERTCTL_DATABASE_URL": "postgres://db/c?sslmode=verify-full"}))
	d.opts.sslmode == "verify-full"
	e := lib.pq_conn(env({}))
	e.opts == {"host": "localhost", "port": "5432", "dbname": "certctl"}
	lib.pq_source(e, "port") == "lib/pq's default"
}

test_pq_conn_unknown_env if {
	c := lib.pq_conn(env({"PGSSLMODE": null}))
	"sslmode" in c.unknown
	not lib.pq_sslmode(c)
	d := lib.pq_conn(env({"PGSSLMODE": null, "CERTCTL_DATABASE_URL": "postgres://h/d?sslmode=disable"}))
	lib.pq_sslmode(d) == "disable"
}

test_pq_sslmode_unix_socket if {
	lib.pq_sslmode(lib.pq_conn(env({"CERTCTL_DATABASE_URL": "host=/var/run/postgresql sslmode=require"}))) == "disable"
	lib.pq_sslmode(lib.pq_conn(env({}))) == ""
}

test_pq_conn_parse_error if {
	lib.pq_conn(env({"CERTCTL_DATABASE_URL": "postgres://u:p@h:x/d"})).error
}
