# METADATA
# title: Log level and format are ones certctl knows
# description: >-
#   certctl refuses to start when CERTCTL_LOG_LEVEL is not debug, info, warn or error,
#   or CERTCTL_LOG_FORMAT is not json or text. Both are compared case-sensitively and
#   untrimmed: INFO, Info and "info " are refused. Empty means the default (info, json).
# custom:
#   id: CFG-LOG
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_LOG_LEVEL to debug, info, warn or error and CERTCTL_LOG_FORMAT to json or text, in lower case, or remove them for info and json.
#   docs: docs/policies.md#cfg-log
package certgate.cfg_log

import data.certgate.lib

# The values certctl accepts for each variable, and its default.
allowed := {
	"CERTCTL_LOG_LEVEL": {"values": {"debug", "info", "warn", "error"}, "list": "debug|info|warn|error", "default": "info"},
	"CERTCTL_LOG_FORMAT": {"values": {"json", "text"}, "list": "json|text", "default": "json"},
}

deny contains f if {
	some env in lib.server_envs
	some name, spec in allowed
	v := lib.known_value(env, name)
	v != ""
	not v in spec.values
	msg := sprintf("%s=%q is not one of %s (case-sensitive): the server refuses to start; write %s, or remove it for %s", [name, v, spec.list, hint(v, spec), spec.default])
	f := lib.finding(env, name, msg)
}

# hint suggests the accepted spelling the operator most likely meant.
hint(v, spec) := sprintf("%q", [lower(trim_space(v))]) if lower(trim_space(v)) in spec.values

hint(v, spec) := sprintf("one of %s", [spec.list]) if not lower(trim_space(v)) in spec.values
