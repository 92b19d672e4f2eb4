# METADATA
# title: The database connection must use TLS across a network
# description: >-
#   CERTCTL_DATABASE_URL carries the database password and certctl stores private
#   keys and tokens in that database. A connection to a host that is not local
#   (localhost, 127.0.0.1, ::1, a unix socket, a single-label service name such
#   as the compose service postgres, *.svc, *.svc.cluster.local) must use TLS. With the database probe, a connection the
#   server reports as plaintext (pg_stat_ssl) refuses the start unless the demo
#   is acknowledged (CERTCTL_DEMO_MODE_ACK); without a probe, sslmode=disable,
#   allow or prefer, or no sslmode at all (pgx then falls back to plaintext
#   silently) is a warning wherever the URL is known.
# custom:
#   id: CFG-DB-TLS
#   inputs: [env, probe]
#   severity: error
#   remediation: Enable TLS on the database server and set sslmode=verify-full (or at least require) in CERTCTL_DATABASE_URL; for a throwaway demo, acknowledge it with CERTCTL_DEMO_MODE_ACK.
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
	msg := sprintf("%s: the connection to %s is not encrypted (pg_stat_ssl reports no TLS): the database password and certctl's keys cross the network in clear text", [name, db.host])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	u := lib.known_value(env, name)
	u != ""
	mode := lib.db_sslmode(u)
	mode in {"", "disable", "allow", "prefer"}
	remote := {h | some h in lib.db_url_hosts(u); not lib.local_db_host(h)}
	count(remote) > 0
	msg := sprintf("%s points at %s with %s: the connection may be plaintext across the network; use sslmode=verify-full", [name, concat(", ", sort(remote)), describe(mode)])
	f := lib.finding(env, name, msg)
}

describe(mode) := "no sslmode (pgx falls back to plaintext when the server offers no TLS)" if mode == ""

describe(mode) := sprintf("sslmode=%s", [mode]) if mode != ""
