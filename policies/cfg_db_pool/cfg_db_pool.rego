# METADATA
# title: The database pool allows at least one connection
# description: >-
#   certctl refuses to start when CERTCTL_DATABASE_MAX_CONNS is below 1 (0 or negative).
#   A value that is not a base-10 integer silently becomes the default, 50
#   (CFG-DEFAULT says so).
# custom:
#   id: CFG-DB-POOL
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_DATABASE_MAX_CONNS to a positive integer within what the database allows (for example 50), or remove it for 50.
#   docs: docs/policies.md#cfg-db-pool
package certgate.cfg_db_pool

import data.certgate.lib

name := "CERTCTL_DATABASE_MAX_CONNS"

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, name)
	n := lib.parse_int(v)
	n < 1
	msg := sprintf("%s=%q is below 1: the server refuses to start; set it to a positive number of connections, or remove it for 50", [name, v])
	f := lib.finding(env, name, msg)
}
