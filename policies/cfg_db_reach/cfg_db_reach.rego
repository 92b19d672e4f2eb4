# METADATA
# title: The database must be reachable with the configured credentials
# description: >-
#   certctl cannot start without its PostgreSQL database. The startup gate's
#   database probe (certgate exec --probe db) connects with CERTCTL_DATABASE_URL
#   exactly as the server will ($(POSTGRES_PASSWORD) substituted) and refuses the
#   start when the URL does not parse, the database cannot be reached in time, or
#   the server rejects the login. SQLSTATE 28P01 (password authentication
#   failed) usually means the data volume was initialised with an older
#   POSTGRES_PASSWORD: PostgreSQL reads that variable only on first start.
# custom:
#   id: CFG-DB-REACH
#   inputs: [probe]
#   severity: error
#   remediation: Fix CERTCTL_DATABASE_URL (host, port, user, password) so that it reaches the database; after changing POSTGRES_PASSWORD on an initialised volume, run ALTER ROLE ... PASSWORD in the database (or recreate the volume).
#   docs: docs/policies.md#cfg-db-reach
package certgate.cfg_db_reach

import data.certgate.lib

name := "CERTCTL_DATABASE_URL"

db := input.probes.db

# where names the database without credentials.
where := sprintf("%s:%v", [db.host, db.port]) if db.host

where := "the database" if not db.host

deny contains f if {
	db.configured == false
	f := lib.probe_finding(name, sprintf("%s is not set (or only known at run time): the database probe has nothing to connect to and certctl cannot start", [name]))
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
	f := lib.probe_finding(name, sprintf("%s: %s is unreachable: %s", [name, where, db.error]))
}

# failed: the probe ran against a parsed URL and did not get through.
failed if {
	object.get(db, "configured", true) != false
	not db.parse_error
	db.reachable == false
}
