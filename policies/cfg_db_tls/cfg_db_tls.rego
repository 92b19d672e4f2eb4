# METADATA
# title: The database connection must use TLS across a network
# description: >-
#   CERTCTL_DATABASE_URL carries the database password and certctl stores private
#   keys and tokens in that database. A connection to a host that is not local
#   (localhost, 127.0.0.1, ::1, a unix socket, a single-label service name such
#   as the compose service postgres, *.svc, *.svc.cluster.local) should use TLS.
#   certctl's driver, lib/pq v1.10.9, uses TLS unless sslmode is disable (no
#   sslmode means require, which never falls back to plaintext); with
#   sslmode=disable (in the URL or PGSSLMODE) to a remote host certctl only logs
#   a warning and starts, so the static finding is a warning. With the database
#   probe, a connection the server reports as plaintext (pg_stat_ssl) across a
#   network refuses the start, certgate's own stance although certctl itself
#   would start, unless the demo is acknowledged (CERTCTL_DEMO_MODE_ACK).
# custom:
#   id: CFG-DB-TLS
#   inputs: [env, probe]
#   severity: error
#   remediation: Enable TLS on the database server and set sslmode=verify-full (or at least require) in CERTCTL_DATABASE_URL, and no PGSSLMODE=disable; for a throwaway demo, acknowledge it with CERTCTL_DEMO_MODE_ACK.
#   docs: docs/policies.md#cfg-db-tls
package certgate.cfg_db_tls

import data.certgate.lib

name := "CERTCTL_DATABASE_URL"

deny contains f if {
	db := input.probes.db
	db.reachable == true
	db.tls == false
	not lib.local_db_host(db.host)
	env := lib.probed_env
	not lib.is_true(env, "CERTCTL_DEMO_MODE_ACK")
	msg := sprintf("%s: the connection to %s is not encrypted (pg_stat_ssl reports no TLS): the database password and certctl's keys cross the network in clear text; certctl itself would start (it only logs a warning), certgate refuses", [name, db.host])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some i, env in lib.server_envs
	conn := lib.pq_conns[i]
	conn.opts.sslmode == "disable"
	lib.pq_sslmode(conn) == "disable"
	host := conn.opts.host
	not "host" in conn.unknown
	not contains(host, ",")
	not lib.local_db_host(host)
	src := lib.pq_source(conn, "sslmode")
	msg := sprintf("%s points at %s with sslmode=disable (from %s): certctl starts and only logs a warning, but the connection is plaintext across the network; use sslmode=verify-full", [name, host, src])
	f := lib.finding(env, src, msg)
}
