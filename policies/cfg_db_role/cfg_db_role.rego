# METADATA
# title: certctl should not connect to its database as a superuser
# description: >-
#   A superuser role can read and change every database on the server, load
#   extensions and run programs as the PostgreSQL operating system user. certctl
#   needs only to own its schema; the database probe reports the role's rolsuper.
# custom:
#   id: CFG-DB-ROLE
#   inputs: [probe]
#   severity: warning
#   remediation: Create an ordinary role that owns the certctl database (CREATE ROLE certctl LOGIN PASSWORD ...; ALTER DATABASE certctl OWNER TO certctl) and use it in CERTCTL_DATABASE_URL.
#   docs: docs/policies.md#cfg-db-role
package certgate.cfg_db_role

import data.certgate.lib

warn contains f if {
	db := input.probes.db
	db.reachable == true
	db.superuser == true
	msg := "CERTCTL_DATABASE_URL connects as a PostgreSQL superuser: a compromised certctl would own every database on that server"
	f := lib.probe_finding("CERTCTL_DATABASE_URL", msg)
}
