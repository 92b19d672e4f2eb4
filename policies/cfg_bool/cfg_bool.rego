# METADATA
# title: Boolean variables use certctl's spellings
# description: >-
#   certctl reads true, 1 and yes as true and every other non-empty value as false,
#   case-sensitively: True, TRUE, on and y are all read as false. A spelling outside
#   true|false|1|0|yes|no almost always means the operator meant something else.
# custom:
#   id: CFG-BOOL
#   inputs: [env]
#   severity: error
#   remediation: Spell the value exactly true or false (lower case).
#   docs: docs/policies.md#cfg-bool
package certgate.cfg_bool

import data.certgate.lib

deny contains f if {
	some env in lib.server_envs
	some name in lib.bool_vars
	v := lib.known_value(env, name)
	v != ""
	not v in lib.bool_spellings
	msg := sprintf("%s=%q is not one of true|false|1|0|yes|no: certctl reads it as false", [name, v])
	f := lib.finding(env, name, msg)
}
