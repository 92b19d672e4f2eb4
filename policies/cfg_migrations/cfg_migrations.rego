# METADATA
# title: The migrations directory exists on the host
# description: >-
#   certctl runs its database migrations from CERTCTL_DATABASE_MIGRATIONS_PATH at
#   start-up and fails when the directory does not exist, unless
#   CERTCTL_MIGRATIONS_VIA_HOOK is true (read with strings.EqualFold, so TRUE counts
#   and 1 does not): then migrations run elsewhere and the path is not read. The
#   startup gate checks an explicitly set, absolute path on the host; the default
#   ./migrations, relative to the server's working directory, ships in certctl's
#   image and is not checked.
# custom:
#   id: CFG-MIGRATIONS
#   inputs: [host]
#   severity: error
#   remediation: Point CERTCTL_DATABASE_MIGRATIONS_PATH at the directory holding certctl's migrations (or unset it to use the image's ./migrations), or set CERTCTL_MIGRATIONS_VIA_HOOK=true when a hook runs them.
#   docs: docs/policies.md#cfg-migrations
package certgate.cfg_migrations

import data.certgate.lib

name := "CERTCTL_DATABASE_MIGRATIONS_PATH"

hook := "CERTCTL_MIGRATIONS_VIA_HOOK"

# via_hook: certctl's strings.EqualFold(v, "true").
via_hook(env) if lower(lib.known_value(env, hook)) == "true"

checked := facts if {
	input.host
	env := lib.probed_env
	startswith(lib.known_value(env, name), "/")
	not via_hook(env)
	facts := input.host.files[name]
}

deny contains f if {
	not checked.exists
	msg := sprintf("%s=%s %s: certctl cannot run its migrations and does not start. Point it at the migrations directory, unset it to use the image's ./migrations, or set %s=true when a hook runs them", [name, checked.path, checked.error, hook])
	f := lib.probe_finding(name, msg)
}

deny contains f if {
	checked.exists
	not checked.dir
	msg := sprintf("%s=%s is not a directory: certctl cannot run its migrations and does not start. Point it at the migrations directory", [name, checked.path])
	f := lib.probe_finding(name, msg)
}
