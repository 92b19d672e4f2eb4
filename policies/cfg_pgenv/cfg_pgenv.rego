# METADATA
# title: No PG* variable that makes certctl's database driver panic
# description: >-
#   certctl connects to PostgreSQL with lib/pq v1.10.9, which reads the libpq
#   environment variables as connection defaults and panics ("setting
#   PGSYSCONFDIR not supported") when any of PGHOSTADDR, PGSERVICE,
#   PGSERVICEFILE, PGREALM, PGREQUIRESSL, PGSSLCRL, PGREQUIREPEER,
#   PGKRBSRVNAME, PGGSSLIB, PGSYSCONFDIR or PGLOCALEDIR is present in the
#   server's environment, even with an empty value: the server cannot open its
#   database and does not start. Such variables often arrive with a base image
#   or a shared env file written for psql. The other PG* variables (PGHOST,
#   PGSSLMODE, ...) are connection defaults below CERTCTL_DATABASE_URL, judged
#   by CFG-DB-URL and CFG-DB-TLS.
# custom:
#   id: CFG-PGENV
#   inputs: [env]
#   severity: error
#   remediation: Remove the variable from the certctl server's environment (put the setting into CERTCTL_DATABASE_URL instead where lib/pq supports it).
#   docs: docs/policies.md#cfg-pgenv
package certgate.cfg_pgenv

import data.certgate.lib

deny contains f if {
	some env in lib.server_envs
	some name in lib.pq_panic_vars
	env.vars[name]
	msg := sprintf("%s is set: certctl's database driver (lib/pq v1.10.9) panics (\"setting %s not supported\") when it opens its first connection, even for an empty value, so the server does not start; remove %s from the server's environment", [name, name, name])
	f := lib.finding(env, name, msg)
}
