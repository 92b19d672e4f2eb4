# METADATA
# title: No wildcard CORS origin outside the demo
# description: >-
#   CERTCTL_CORS_ORIGINS lists the browser origins allowed to call the API
#   (comma-separated, each item trimmed). certctl refuses to start when an item is
#   exactly *, unless the demo is acknowledged (CERTCTL_DEMO_MODE_ACK): any web page
#   could then drive the API with a user's credentials.
# custom:
#   id: CFG-CORS
#   inputs: [env]
#   severity: error
#   remediation: List the exact origins of your web console in CERTCTL_CORS_ORIGINS (for example https://certctl.example.com), or leave it unset.
#   docs: docs/policies.md#cfg-cors
package certgate.cfg_cors

import data.certgate.lib

name := "CERTCTL_CORS_ORIGINS"

ack := "CERTCTL_DEMO_MODE_ACK"

wildcard(env) if "*" in lib.list_items(lib.known_value(env, name))

deny contains f if {
	some env in lib.server_envs
	wildcard(env)
	lib.is_not_true(env, ack)
	msg := sprintf("%s=%q allows every origin (*): the server refuses to start without a demo acknowledgement; list the exact origins instead (https://certctl.example.com)", [name, lib.known_value(env, name)])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	wildcard(env)
	lib.is_unknown(env, ack)
	msg := sprintf("%s=%q allows every origin (*): the server refuses to start unless %s resolves to true at run time; list the exact origins instead", [name, lib.known_value(env, name), ack])
	f := lib.finding(env, name, msg)
}
