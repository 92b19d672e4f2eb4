# METADATA
# title: The configuration encryption key is at least 32 bytes
# description: >-
#   CERTCTL_CONFIG_ENCRYPTION_KEY encrypts issuer and connector secrets stored in the
#   database. It is optional, but when it is set certctl refuses to start unless it
#   is at least 32 bytes long (bytes as UTF-8 encodes them, not characters).
# custom:
#   id: CFG-ENCKEY
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_CONFIG_ENCRYPTION_KEY to at least 32 random bytes (for example openssl rand -base64 32), or leave it unset.
#   docs: docs/policies.md#cfg-enckey
package certgate.cfg_enckey

import data.certgate.lib

name := "CERTCTL_CONFIG_ENCRYPTION_KEY"

min_bytes := 32

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, name)
	v != ""
	n := lib.byte_len(v)
	n < min_bytes
	msg := sprintf("%s is %d bytes long, less than %d: the server refuses to start; set it to at least %d random bytes (openssl rand -base64 32) or leave it unset", [name, n, min_bytes, min_bytes])
	f := lib.finding(env, name, msg)
}
