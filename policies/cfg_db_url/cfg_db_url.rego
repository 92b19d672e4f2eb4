# METADATA
# title: certctl's database driver can use the connection settings
# description: >-
#   certctl connects to PostgreSQL with lib/pq v1.10.9, not with libpq or pgx,
#   and reads CERTCTL_DATABASE_URL (certctl's default postgres://localhost/certctl
#   when unset) over the PG* variables (PGHOST, PGSSLMODE, ...) the way lib/pq
#   does. lib/pq refuses, and certctl does not start, when the URL does not
#   parse; when sslmode (from the URL or PGSSLMODE) is not disable, require,
#   verify-ca or verify-full (prefer and allow are libpq's, not lib/pq's); when
#   the URL names several hosts (lib/pq dials the list as one name); when
#   client_encoding is not UTF8, datestyle not ISO, MDY, connect_timeout not a
#   number, or the port not a number. Every parameter lib/pq does not know
#   itself (target_session_attrs, sslpassword, pool_max_conns, ...) is sent to
#   PostgreSQL as a run-time setting, and the server refuses the connection for
#   a name that is not one of its settings.
# custom:
#   id: CFG-DB-URL
#   inputs: [env]
#   severity: error
#   remediation: Write CERTCTL_DATABASE_URL for lib/pq - postgres://USER:PASSWORD@HOST:5432/DB?sslmode=verify-full with one host, sslmode disable, require, verify-ca or verify-full, and no libpq- or pgx-only parameters - and remove PG* variables that contradict it.
#   docs: docs/policies.md#cfg-db-url
package certgate.cfg_db_url

import data.certgate.lib

name := lib.pq_url_var

# What lib/pq sends the server itself, besides the settings it keeps.
startup_params := {"user", "dbname", "options", "application_name", "client_encoding", "datestyle", "timezone", "geqo", "extra_float_digits", "replication"}

# PostgreSQL settings a client commonly sets at connection start; a name with a
# dot is a custom setting the server accepts too.
server_settings := {
	"search_path", "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
	"idle_session_timeout", "transaction_timeout", "default_transaction_isolation",
	"default_transaction_read_only", "default_transaction_deferrable", "work_mem",
	"maintenance_work_mem", "temp_buffers", "temp_tablespaces", "default_tablespace",
	"role", "session_authorization", "intervalstyle", "lc_messages", "lc_monetary",
	"lc_numeric", "lc_time", "bytea_output", "xmlbinary", "xmloption", "standard_conforming_strings",
	"escape_string_warning", "synchronous_commit", "log_statement", "log_min_duration_statement",
	"log_min_messages", "client_min_messages", "jit", "enable_seqscan", "random_page_cost",
	"effective_cache_size", "plan_cache_mode", "row_security", "session_replication_role",
	"tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count", "tcp_user_timeout",
	"default_toast_compression", "array_nulls", "backslash_quote", "check_function_bodies",
	"cursor_tuple_fraction", "default_statistics_target", "gin_fuzzy_search_limit",
	"max_parallel_workers_per_gather", "parallel_setup_cost", "parallel_tuple_cost",
	"quote_all_identifiers", "track_activities", "vacuum_cost_delay", "vacuum_cost_limit",
	"deadlock_timeout", "log_lock_waits", "log_temp_files", "local_preload_libraries",
	"session_preload_libraries", "lo_compat_privileges", "password_encryption",
	"zero_damaged_pages", "ignore_system_indexes", "geqo_threshold", "from_collapse_limit",
	"join_collapse_limit", "constraint_exclusion", "enable_partition_pruning", "commit_delay",
	"commit_siblings", "huge_pages", "exit_on_error", "trace_notify", "debug_print_plan",
}

deny contains f if {
	some i, env in lib.server_envs
	conn := lib.pq_conns[i]
	msg := sprintf("%s does not parse as lib/pq v1.10.9 (certctl's database driver) reads it: %s; certctl cannot connect to its database and does not start", [name, conn.error])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	some i, env in lib.server_envs
	conn := lib.pq_conns[i]
	not "sslmode" in conn.unknown
	mode := conn.opts.sslmode
	not mode in lib.pq_sslmodes
	src := lib.pq_source(conn, "sslmode")
	msg := sprintf("sslmode=%s (from %s): lib/pq v1.10.9, certctl's database driver, supports only disable, require (its default), verify-ca and verify-full, and refuses any other mode (prefer and allow are libpq's), so certctl does not start; use sslmode=verify-full (or require)", [mode, src])
	f := lib.finding(env, src, msg)
}

deny contains f if {
	some i, env in lib.server_envs
	conn := lib.pq_conns[i]
	some key in (((object.keys(conn.source) - lib.pq_driver_settings) - startup_params) - server_settings)
	conn.source[key] == name
	not contains(key, ".")
	msg := sprintf("%s sets %s, which lib/pq v1.10.9 does not know: it sends it to PostgreSQL as a run-time setting and the server refuses the connection (unrecognized configuration parameter), so certctl does not start; remove %s from the URL", [name, key, key])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	some i, env in lib.server_envs
	conn := lib.pq_conns[i]
	not "host" in conn.unknown
	contains(conn.opts.host, ",")
	src := lib.pq_source(conn, "host")
	msg := sprintf("%s names several hosts (%s, from %s): lib/pq v1.10.9 connects to one host only and dials the list as one name, which does not resolve, so certctl does not start; name one host (a virtual IP or service in front of a cluster)", [name, conn.opts.host, src])
	f := lib.finding(env, src, msg)
}

deny contains f if {
	some i, env in lib.server_envs
	conn := lib.pq_conns[i]
	some key, v in conn.opts
	setting_reason[key]
	bad_setting(key, v, conn.opts.host)
	not key in conn.unknown
	src := lib.pq_source(conn, key)
	msg := sprintf("%s (from %s) %s: lib/pq v1.10.9, certctl's database driver, refuses the connection, so certctl does not start", [key, src, setting_reason[key]])
	f := lib.finding(env, src, msg)
}

setting_reason := {
	"client_encoding": "is not UTF8 (lib/pq works only in UTF8)",
	"datestyle": "is not ISO, MDY (lib/pq parses dates only in that style)",
	"connect_timeout": "is not a whole number of seconds",
	"port": "is not a TCP port number",
	"binary_parameters": "is neither yes nor no",
	"disable_prepared_binary_result": "is neither yes nor no",
}

# bad_setting: lib/pq refuses the setting before it talks to the server (host:
# the connection's host, a unix socket has no port).
bad_setting("client_encoding", v, _) if not regex.replace(lower(v), `[^a-z0-9]`, "") in {"utf8", "unicode"}

bad_setting("datestyle", v, _) if v != "ISO, MDY"

bad_setting("connect_timeout", v, _) if {
	v != "0"
	not regex.match(`^[+-]?[0-9]+$`, v)
}

bad_setting(key, v, _) if {
	key in {"binary_parameters", "disable_prepared_binary_result"}
	not v in {"yes", "no"}
}

bad_setting("port", v, host) if {
	not startswith(host, "/")
	not valid_port(v)
}

valid_port(v) if {
	regex.match(`^[0-9]{1,5}$`, v)
	n := to_number(v)
	n >= 1
	n <= 65535
}
