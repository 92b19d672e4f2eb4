# METADATA
# title: The server's authentication is one certctl accepts
# description: >-
#   certctl reads CERTCTL_AUTH_TYPE case-sensitively and accepts only api-key (the
#   default), none and oidc; jwt is refused with a message of its own. api-key needs
#   a non-empty CERTCTL_AUTH_SECRET even when named keys (CERTCTL_API_KEYS_NAMED) are
#   configured. none is refused unless the server listens on loopback (exactly
#   127.0.0.1, ::1 or localhost) or the demo is acknowledged (CERTCTL_DEMO_MODE_ACK).
#   Releases 2.1.0 to 2.1.7 accept oidc in their configuration check and then exit at
#   startup; 2.2.0 serves it.
# custom:
#   id: CFG-AUTH
#   inputs: [env]
#   severity: error
#   remediation: Use CERTCTL_AUTH_TYPE=api-key with CERTCTL_AUTH_SECRET set to a random secret (for example openssl rand -hex 32); keep none for a loopback listener or an acknowledged demo, and oidc for certctl 2.2.0 and later.
#   docs: docs/policies.md#cfg-auth
package certgate.cfg_auth

import data.certgate.lib

type := "CERTCTL_AUTH_TYPE"

secret := "CERTCTL_AUTH_SECRET"

host := "CERTCTL_SERVER_HOST"

ack := "CERTCTL_DEMO_MODE_ACK"

types := {"api-key", "none", "oidc"}

# The auth type certctl uses (its default is api-key); undefined when unknown.
effective_type(env) := lib.value_or(env, type, "api-key")

# The auth type.

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, type)
	v != ""
	not v in types
	msg := sprintf("%s=%q %s: the server refuses to start; set it to api-key, none or oidc", [type, v, type_problem(v)])
	f := lib.finding(env, type, msg)
}

type_problem(v) := "is not supported (certctl has no jwt authenticator; bearer tokens from an identity provider are oidc)" if v == "jwt"

type_problem(v) := "is not one of api-key|none|oidc (certctl compares case-sensitively)" if {
	v != "jwt"
	lower(v) in types
}

type_problem(v) := "is not one of api-key|none|oidc" if {
	v != "jwt"
	not lower(v) in types
}

# api-key needs its secret.

deny contains f if {
	some env in lib.server_envs
	effective_type(env) == "api-key"
	lib.is_unset(env, secret)
	msg := sprintf("%s is empty or absent while %s: the server refuses to start (named keys in CERTCTL_API_KEYS_NAMED do not replace it); set it to a random secret, for example openssl rand -hex 32", [secret, type_desc(env)])
	f := lib.finding(env, secret, msg)
}

warn contains f if {
	some env in lib.server_envs
	effective_type(env) == "api-key"
	lib.is_maybe_empty(env, secret)
	msg := sprintf("%s may be empty at run time while %s: the server refuses to start unless it is exported non-empty", [secret, type_desc(env)])
	f := lib.finding(env, secret, msg)
}

type_desc(env) := sprintf("%s is unset (certctl's default api-key)", [type]) if lib.is_unset(env, type)

type_desc(env) := sprintf("%s=%s", [type, lib.known_value(env, type)]) if not lib.is_unset(env, type)

# none only on loopback or in an acknowledged demo.

non_loopback_host(env) := h if {
	h := lib.value_or(env, host, "127.0.0.1")
	not h in lib.auth_loopback_hosts
}

deny contains f if {
	some env in lib.server_envs
	effective_type(env) == "none"
	h := non_loopback_host(env)
	lib.is_not_true(env, ack)
	msg := sprintf("%s=none while %s=%q is not loopback (exactly 127.0.0.1, ::1 or localhost): the server refuses to start without a demo acknowledgement; use api-key with %s, or listen on 127.0.0.1", [type, host, h, secret])
	f := lib.finding(env, type, msg)
}

warn contains f if {
	some env in lib.server_envs
	effective_type(env) == "none"
	h := non_loopback_host(env)
	lib.is_unknown(env, ack)
	msg := sprintf("%s=none while %s=%q is not loopback: the server refuses to start unless %s resolves to true at run time; use api-key with %s", [type, host, h, ack, secret])
	f := lib.finding(env, type, msg)
}

warn contains f if {
	some env in lib.server_envs
	effective_type(env) == "none"
	lib.is_unknown(env, host)
	lib.is_not_true(env, ack)
	msg := sprintf("%s=none while %s is only known at run time: the server refuses to start unless it resolves to 127.0.0.1, ::1 or localhost (or the demo is acknowledged)", [type, host])
	f := lib.finding(env, type, msg)
}

# oidc before 2.2.0: accepted by the configuration check, then the server exits.

deny contains f if {
	some env in lib.server_envs
	lib.applies(env, "<2.2.0")
	lib.known_value(env, type) == "oidc"
	msg := sprintf("%s=oidc passes certctl %s's configuration check, but the server then exits at startup (OIDC is served from 2.2.0); use api-key until you upgrade", [type, lib.version(env)])
	f := lib.finding(env, type, msg)
}
