# METADATA
# title: Request body cap must be a byte count
# description: >-
#   CERTCTL_MAX_BODY_SIZE caps request bodies (default 1 MiB, 1048576 bytes). certctl
#   reads it as a base-10 integer and silently falls back to 1 MiB when it does not
#   parse (10MB, 1e6, 1 MiB) or is not positive; a very large cap widens the
#   denial-of-service surface. certctl does not refuse to start over it; certgate
#   refuses a value that does not parse, so the cap written is the cap in force.
# custom:
#   id: SEC-L3
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_MAX_BODY_SIZE to a plain number of bytes between 1 and 67108864 (for example 1048576), or leave it unset for 1 MiB.
#   docs: docs/policies.md#sec-l3
package certgate.sec_l3

import data.certgate.lib

name := "CERTCTL_MAX_BODY_SIZE"

max_reasonable := 67108864

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, name)
	v != ""
	not lib.parse_int(v)
	msg := sprintf("%s=%q is not a base-10 byte count: the server starts, but silently falls back to 1048576 bytes (1 MiB); certgate refuses it so that the cap you set is the cap you get: write a plain number of bytes such as 10485760", [name, v])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	n := lib.parse_int(lib.known_value(env, name))
	n <= 0
	msg := sprintf("%s=%d is not positive: certctl coerces it to 1048576 bytes (1 MiB)", [name, n])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	n := lib.parse_int(lib.known_value(env, name))
	n > max_reasonable
	msg := sprintf("%s=%d is above 64 MiB (67108864 bytes): a larger request body cap widens the denial-of-service surface", [name, n])
	f := lib.finding(env, name, msg)
}
