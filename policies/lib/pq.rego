package certgate.lib

# lib/pq v1.10.9, certctl's PostgreSQL driver: how it reads CERTCTL_DATABASE_URL
# and the PG* variables (NewConnector, ParseURL, parseOpts, parseEnviron). The
# database probe of the startup gate connects with the same resolution
# (server/probe_db.go).

pq_url_var := "CERTCTL_DATABASE_URL"

# pq_default_url is what certctl connects to when CERTCTL_DATABASE_URL is unset.
pq_default_url := "postgres://localhost/certctl"

# pq_panic_vars: present in the environment (even empty), each makes lib/pq
# panic ("setting PGSYSCONFDIR not supported") on the first connection.
pq_panic_vars := {
	"PGHOSTADDR", "PGSERVICE", "PGSERVICEFILE", "PGREALM", "PGREQUIRESSL", "PGSSLCRL",
	"PGREQUIREPEER", "PGKRBSRVNAME", "PGGSSLIB", "PGSYSCONFDIR", "PGLOCALEDIR",
}

# pq_env_keys: the PG* variables lib/pq reads as connection defaults (below
# the connection string) and the setting each one feeds.
pq_env_keys := {
	"PGHOST": "host", "PGPORT": "port", "PGDATABASE": "dbname", "PGUSER": "user",
	"PGPASSWORD": "password", "PGOPTIONS": "options", "PGAPPNAME": "application_name",
	"PGSSLMODE": "sslmode", "PGSSLCERT": "sslcert", "PGSSLKEY": "sslkey",
	"PGSSLROOTCERT": "sslrootcert", "PGSSLSNI": "sslsni", "PGCONNECT_TIMEOUT": "connect_timeout",
	"PGCLIENTENCODING": "client_encoding", "PGDATESTYLE": "datestyle", "PGTZ": "timezone",
	"PGGEQO": "geqo",
}

# pq_driver_settings: the settings lib/pq keeps for itself (isDriverSetting);
# every other setting is sent to the server in the startup packet.
pq_driver_settings := {
	"host", "port", "password", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslinline",
	"sslsni", "fallback_application_name", "connect_timeout", "disable_prepared_binary_result",
	"binary_parameters", "krbsrvname", "krbspn",
}

# pq_sslmodes: the sslmode values lib/pq accepts ("" and require are the same).
pq_sslmodes := {"", "require", "verify-ca", "verify-full", "disable"}

# pq_url(env) is the connection string certctl hands lib/pq: the known value
# of CERTCTL_DATABASE_URL with $(POSTGRES_PASSWORD) replaced, or the default
# when it is unset. Undefined when it is only known at run time.
pq_url(env) := u if {
	var := env.vars[pq_url_var]
	var.known
	var.value != ""
	u := pq_replace_password(env, var.value)
} else := pq_default_url if is_unset(env, pq_url_var)

pq_password_ref := "$(POSTGRES_PASSWORD)"

pq_replace_password(env, u) := u if {
	not contains(u, pq_password_ref)
} else := replace(u, pq_password_ref, pw) if {
	pw := known_value(env, "POSTGRES_PASSWORD")
	pw != ""
} else := u if {
	is_unset(env, "POSTGRES_PASSWORD")
} else := replace(u, pq_password_ref, "unknown") if {
	# An unknown password: any value that keeps the URL's shape stands for it.
	not known_value(env, "POSTGRES_PASSWORD")
}

pq_is_url(s) if startswith(s, "postgres://")

pq_is_url(s) if startswith(s, "postgresql://")

# pq_parse(s) parses a connection string as lib/pq does: {"opts": {...}} or
# {"error": reason}. The reason never quotes the string. The common URL form
# (postgres://user:password@host:port/db?k=v, no %-escapes, one host, no
# repeated or overriding query keys) takes a fast path of one match.
pq_parse(s) := {"opts": o} if {
	o := pq_fast_opts(s)
} else := {"error": e} if {
	pq_is_url(s)
	e := pq_url_error(s)
} else := {"opts": pq_url_opts(s)} if {
	pq_is_url(s)
} else := {"opts": pq_kv_opts(s)} if {
	regex.match(pq_kv_all, s)
} else := {"error": "it is neither a postgres:// URL nor a keyword/value list lib/pq can read (a keyword without its equals sign, an unterminated quote or a trailing backslash)"}

# --- fast path: a URL whose every part reads as written. The userinfo holds
# no ":" in the password and no "%", the host is a plain name or IPv4
# address, the path one plain segment, every query pair one "=" between
# plain characters and a value; Go's url.Parse accepts all of them and
# unescaping changes nothing, so the settings are the parts themselves (empty
# ones dropped).
pq_fast_url := `^postgres(?:ql)?://(?:([A-Za-z0-9._~!$'()*+,;=-]*)(?::([A-Za-z0-9._~!$'()*+,;=-]*))?@)?([A-Za-z0-9._-]+)(?::([0-9]+))?(?:/([A-Za-z0-9._~-]*))?(?:\?([A-Za-z0-9._~-]+=[A-Za-z0-9._~-]+(?:&[A-Za-z0-9._~-]+=[A-Za-z0-9._~-]+)*))?$`

# pq_fast_groups: the setting each submatch of pq_fast_url holds.
pq_fast_groups := {"user": 1, "password": 2, "host": 3, "port": 4, "dbname": 5}

pq_fast_opts(s) := opts if {
	startswith(s, "postgres")
	g := regex.find_all_string_submatch_n(pq_fast_url, s, 1)[0]
	authority := {k: v | some k, n in pq_fast_groups; v := g[n]; v != ""}
	opts := pq_fast_query(authority, g[6])
}

pq_fast_query(authority, "") := authority

# A query without repeated keys (decode_object then holds one value per key)
# and without a setting the authority writes too.
pq_fast_query(authority, q) := object.union(authority, {kv[0]: kv[1]}) if {
	q != ""
	not contains(q, "&")
	kv := split(q, "=")
	not pq_fast_groups[kv[0]]
}

pq_fast_query(authority, q) := object.union(authority, query) if {
	contains(q, "&")
	values := urlquery.decode_object(q)
	count(values) == count(split(q, "&"))
	object.filter(values, pq_fast_groups) == {}
	query := {k: vs[0] | some k, vs in values}
}

# --- URL form: Go's net/url as lib/pq's ParseURL uses it.

pq_url_parts(s) := regex.find_all_string_submatch_n(`^postgres(?:ql)?://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$`, s, 1)[0]

pq_authority(s) := pq_url_parts(s)[1]

# pq_userinfo is the authority up to its last "@"; undefined without one.
pq_userinfo(s) := m[0][1] if {
	m := regex.find_all_string_submatch_n(`^([\s\S]*)@[^@]*$`, pq_authority(s), 1)
	count(m) == 1
}

pq_hostport(s) := regex.replace(pq_authority(s), `^[\s\S]*@`, "")

pq_escapes_ok(x) if regex.match(`^(?:[^%]|%[0-9A-Fa-f]{2})*$`, x)

# pq_url_error is the first reason Go's url.Parse refuses s, in its order.
pq_url_error(s) := "it contains a control character" if {
	regex.match(`[\x00-\x1f\x7f]`, s)
} else := "its host[:port] is invalid (a non-numeric port, a bracket out of place, or a character not allowed in a host name)" if {
	pq_bad_host(s)
} else := "its user:password part holds characters a URL does not allow there (percent-encode them) or a malformed %-escape" if {
	pq_bad_userinfo(s)
} else := "its path holds a malformed %-escape" if {
	pq_bad_escape(pq_url_parts(s)[2])
} else := "its fragment holds a malformed %-escape" if {
	pq_bad_escape(pq_url_parts(s)[4])
}

pq_bad_escape(x) if not pq_escapes_ok(x)

pq_bad_userinfo(s) if not regex.match(`^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$`, pq_userinfo(s))

pq_bad_userinfo(s) if pq_bad_escape(pq_userinfo(s))

# Hosts: only an IPv6 literal is bracketed; a port is digits after the last
# ":"; %-escapes only for non-ASCII bytes (and %25 in a zone).
pq_host_chars := `^(?:[A-Za-z0-9!"$&'()*+,\-.:;<=>\[\]_~]|%25|%[89A-Fa-f][0-9A-Fa-f]|[^\x00-\x7f])*$`

pq_bad_host(s) if {
	h := pq_hostport(s)
	indexof(h, "[") > 0
}

pq_bad_host(s) if {
	h := pq_hostport(s)
	startswith(h, "[")
	not regex.match(`^\[[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:%25[^\]]*)?\](?::[0-9]*)?$`, h)
}

pq_bad_host(s) if {
	h := pq_hostport(s)
	not startswith(h, "[")
	contains(h, ":")
	not regex.match(`:[0-9]*$`, h)
}

pq_bad_host(s) if not regex.match(pq_host_chars, pq_hostport(s))

# pq_unescape: a %-escaped URL part, "+" kept (path and userinfo mode).
pq_unescape(x) := urlquery.decode(replace(x, "+", "%2B"))

# pq_split_host is Go's net.SplitHostPort: [host, port], or [whole, ""] when
# it fails (lib/pq then uses the whole authority host as the host).
pq_split_host(h) := [m[0][1], m[0][2]] if {
	m := regex.find_all_string_submatch_n(`^\[([^\[\]]*)\]:([^:\[\]]*)$`, h, 1)
	count(m) == 1
}

pq_split_host(h) := [m[0][1], m[0][2]] if {
	m := regex.find_all_string_submatch_n(`^([^:\[\]]*):([^:\[\]]*)$`, h, 1)
	count(m) == 1
}

pq_split_host(h) := [h, ""] if {
	not regex.match(`^\[([^\[\]]*)\]:([^:\[\]]*)$`, h)
	not regex.match(`^([^:\[\]]*):([^:\[\]]*)$`, h)
}

# pq_url_pairs: every [key, value] ParseURL writes, before lib/pq reads them
# back (empty values are dropped).
pq_url_pairs(s) := [p |
	some p in array.concat(pq_authority_pairs(s), pq_query_pairs(pq_url_parts(s)[3]))
	p[1] != ""
]

pq_authority_pairs(s) := array.concat(pq_user_pairs(s), array.concat(host_pairs, db_pairs)) if {
	hp := pq_split_host(pq_unescape(pq_hostport(s)))
	host_pairs := [["host", hp[0]], ["port", hp[1]]]
	path := pq_unescape(pq_url_parts(s)[2])
	db_pairs := [["dbname", substring(path, 1, -1)] | path != ""]
}

pq_user_pairs(s) := [] if not pq_userinfo(s)

pq_user_pairs(s) := [["user", pq_unescape(parts[0])], ["password", pq_unescape(pw)]] if {
	parts := split(pq_userinfo(s), ":")
	pw := concat(":", array.slice(parts, 1, count(parts)))
}

# pq_query_pairs is url.Values.Get over Go's ParseQuery: the first value of
# each key; pairs with ";" or a malformed escape are skipped, as Go skips them.
pq_query_pairs(raw) := [[k, v] |
	some i, pair in split(raw, "&")
	kv := pq_query_pair(pair)
	k := kv[0]
	not pq_earlier_key(raw, i, k)
	v := kv[1]
]

pq_query_pair(pair) := [urlquery.decode(kv[0]), urlquery.decode(v)] if {
	pair != ""
	not contains(pair, ";")
	kv := split(pair, "=")
	v := concat("=", array.slice(kv, 1, count(kv)))
	pq_escapes_ok(kv[0])
	pq_escapes_ok(v)
}

pq_earlier_key(raw, i, k) if {
	some j, pair in split(raw, "&")
	j < i
	pq_query_pair(pair)[0] == k
}

# pq_url_opts: ParseURL sorts its key='value' pairs and lib/pq reads them in
# that order, so of two values for one key (the URL's host and ?host=...) the
# one whose pair sorts last wins.
pq_url_opts(s) := {k: v |
	pairs := pq_url_pairs(s)
	some p in pairs
	k := p[0]
	not pq_outsorted(pairs, k, pq_kv_line(p))
	v := p[1]
}

pq_outsorted(pairs, k, line) if {
	some q in pairs
	q[0] == k
	pq_kv_line(q) > line
}

pq_kv_line(p) := sprintf("%s='%s'", [p[0], replace(replace(p[1], `\`, `\\`), `'`, `\'`)])

# --- key=value form: lib/pq's parseOpts (libpq's conninfo_parse).

# pq_space is unicode.IsSpace.
pq_space := `[\t\n\v\f\r\x{85}\p{Z}]`

pq_kv_token := sprintf(`%s*([^=\t\n\v\f\r\x{85}\p{Z}]*)%s*=%s*(?:'((?:[^'\\]|\\[\s\S])*)'|((?:[^\t\n\v\f\r\x{85}\p{Z}'\\]|\\[\s\S])(?:[^\t\n\v\f\r\x{85}\p{Z}\\]|\\[\s\S])*)|$)`, [pq_space, pq_space, pq_space])

pq_kv_all := sprintf(`^(?:%s)*%s*$`, [pq_kv_token, pq_space])

pq_kv_matches(s) := regex.find_all_string_submatch_n(pq_kv_token, s, -1)

# pq_kv_opts: the last value of each key wins.
pq_kv_opts(s) := {k: v |
	ms := pq_kv_matches(s)
	some i, m in ms
	k := m[1]
	not pq_kv_later(ms, i, k)
	v := regex.replace(concat("", [m[2], m[3]]), `\\([\s\S])`, "$1")
}

pq_kv_later(ms, i, k) if {
	some j, m in ms
	j > i
	m[1] == k
}

# --- resolution: defaults, PG* variables, then the connection string.

# pq_conn(env) is the connection lib/pq resolves for a server environment:
# {"error": reason} when the connection string does not parse, else
# {"opts": settings, "source": {setting: variable}, "unknown": {setting}}
# (unknown: a PG* variable only known at run time feeds it). Undefined when
# CERTCTL_DATABASE_URL itself is only known at run time. Rules read
# pq_conns, which resolves each server environment once.
pq_conn(env) := pq_resolve(pq_parse(pq_url(env)), object.filter(env.vars, pq_env_keys))

# pq_conns[i] is pq_conn(server_envs[i]).
pq_conns := {i: c | some i, env in server_envs; c := pq_conn(env)}

pq_conn_defaults := {"host": "localhost", "port": "5432"}

# pq_resolve(p, pg): the parsed connection string p over pg, the PG* variables
# present ({name: var}).
pq_resolve(p, pg) := {"error": p.error} if {
	p.error
} else := {"opts": object.union(pq_conn_defaults, p.opts), "source": {k: pq_url_var | some k, _ in p.opts}, "unknown": set()} if {
	count(pg) == 0
} else := {"opts": object.union(object.union(pq_conn_defaults, from_env), p.opts), "source": object.union(env_source, url_source), "unknown": unknown} if {
	from_env := {pq_env_keys[name]: var.value | some name, var in pg; var.known}
	env_source := {pq_env_keys[name]: name | some name, var in pg; var.known}
	url_source := {k: pq_url_var | some k, _ in p.opts}
	unknown := {pq_env_keys[name] | some name, var in pg; var.known == false; not p.opts[pq_env_keys[name]]}
}

# pq_source(conn, key) names where a setting came from.
pq_source(conn, key) := conn.source[key]

pq_source(conn, key) := "lib/pq's default" if not conn.source[key]

# pq_sslmode(conn) is the effective sslmode ("" is require); "disable" over a
# unix socket. Undefined when a run-time value decides it.
pq_sslmode(conn) := "disable" if startswith(conn.opts.host, "/")

pq_sslmode(conn) := object.get(conn.opts, "sslmode", "") if {
	not startswith(conn.opts.host, "/")
	not "sslmode" in conn.unknown
	not "host" in conn.unknown
}
