# METADATA
# title: The database must be reachable with the configured credentials
# description: >-
#   certctl cannot start without its PostgreSQL database. The startup gate's
#   database probe (certgate exec --probe db) connects as certctl's driver,
#   lib/pq v1.10.9, will: CERTCTL_DATABASE_URL (POSTGRES_PASSWORD
#   substituted for its placeholder; certctl's default postgres://localhost/certctl when unset) over
#   the PG* variables, the same sslmode semantics (no sslmode is require, which
#   never falls back to plaintext), every parameter lib/pq does not know sent to
#   the server. It refuses the start when lib/pq refuses the settings, the
#   server offers no TLS where TLS is required, the database cannot be reached
#   in time (a probe that errors or times out is never a pass), or the server
#   rejects the login. SQLSTATE 28P01 (password authentication failed) usually
#   means the data volume was initialised with an older POSTGRES_PASSWORD:
#   PostgreSQL reads that variable only on first start.
# custom:
#   id: CFG-DB-REACH
#   inputs: [probe]
#   severity: error
#   remediation: Fix CERTCTL_DATABASE_URL (host, port, user, password, sslmode) so that certctl reaches the database; after changing POSTGRES_PASSWORD on an initialised volume, run ALTER ROLE ... PASSWORD in the database (or recreate the volume).
#   docs: docs/policies.md#cfg-db-reach
package certgate.cfg_db_reach

import data.certgate.lib

name := "CERTCTL_DATABASE_URL"

db := input.probes.db

# where names the database without credentials.
where := sprintf("%s:%v", [db.host, db.port]) if db.host

where := "the database" if not db.host

# target names the URL the probe used: the variable, or certctl's default.
target := sprintf("%s (unset: certctl uses postgres://localhost/certctl)", [name]) if db.default_url == true

target := name if not db.default_url == true

deny contains f if {
	db.configured == false
	f := lib.probe_finding(name, sprintf("%s is only known at run time: the database probe has nothing to connect to", [name]))
}

# lib/pq refuses the settings before it talks to the server; CFG-DB-URL and
# CFG-PGENV say why from the environment, so this finding stands back when
# they report.
deny contains f if {
	db.driver_error
	not static_refusal
	msg := sprintf("%s: certctl's database driver (lib/pq v1.10.9) refuses the connection settings: %s; certctl cannot connect and does not start", [target, db.driver_error])
	f := lib.probe_finding(name, msg)
}

static_refusal if count(data.certgate.cfg_db_url.deny) > 0

static_refusal if count(data.certgate.cfg_pgenv.deny) > 0

deny contains f if {
	failed
	db.tls_refused == true
	msg := sprintf("%s: %s does not offer TLS, and sslmode=%s (from %s; no sslmode means require for lib/pq v1.10.9, certctl's driver) never falls back to plaintext: certctl cannot connect and does not start; enable TLS on the database server, or set sslmode=disable for a database on this host", [target, where, db.sslmode, db.sslmode_from])
	f := lib.probe_finding(name, msg)
}

deny contains f if {
	db.parse_error
	f := lib.probe_finding(name, sprintf("%s does not parse as a PostgreSQL connection string: %s", [name, db.parse_error]))
}

deny contains f if {
	failed
	db.sqlstate == "28P01"
	msg := sprintf("%s: %s rejected the password (SQLSTATE 28P01); the common cause is a data volume initialised with an older POSTGRES_PASSWORD (PostgreSQL reads it only on first start), so changing the variable later does not change the role's password", [name, where])
	f := lib.probe_finding(name, msg)
}

deny contains f if {
	failed
	object.get(db, "sqlstate", "") != "28P01"
	not db.tls_refused == true
	f := lib.probe_finding(name, sprintf("%s: %s is unreachable: %s", [target, where, db.error]))
}

# failed: the probe ran against settings lib/pq accepts and did not get through.
failed if {
	object.get(db, "configured", true) != false
	not db.parse_error
	not db.driver_error
	db.reachable == false
}
