# METADATA
# title: The server's HTTPS listener is configured
# description: >-
#   certctl serves HTTPS only and has no self-signed fallback in any release: it
#   refuses to start when CERTCTL_SERVER_TLS_CERT_PATH or CERTCTL_SERVER_TLS_KEY_PATH
#   is empty or absent, or when CERTCTL_SERVER_PORT is outside 1-65535. A port that
#   is not an integer is silently replaced by the default 8080 (CFG-DEFAULT). The certctl image
#   sets neither CERTCTL_SERVER_HOST nor CERTCTL_SERVER_PORT, exposes 8443 and
#   health-checks https://localhost:8443/health, so a compose service or container
#   that keeps the default host 127.0.0.1 is unreachable from outside its container,
#   and one on another port than 8443 fails its health check. (Whether the files
#   exist and form a key pair is checked on the host, later.)
# custom:
#   id: CFG-LISTEN
#   inputs: [env]
#   severity: error
#   remediation: Set CERTCTL_SERVER_TLS_CERT_PATH and CERTCTL_SERVER_TLS_KEY_PATH to a mounted PEM certificate and key, CERTCTL_SERVER_PORT to a port in 1-65535, and in a container CERTCTL_SERVER_HOST=0.0.0.0 and CERTCTL_SERVER_PORT=8443.
#   docs: docs/policies.md#cfg-listen
package certgate.cfg_listen

import data.certgate.lib

host := "CERTCTL_SERVER_HOST"

port := "CERTCTL_SERVER_PORT"

default_host := "127.0.0.1"

default_port := 8080

image_port := 8443

tls_paths := {
	"CERTCTL_SERVER_TLS_CERT_PATH": "the PEM certificate",
	"CERTCTL_SERVER_TLS_KEY_PATH": "the PEM private key",
}

# Environments of a certctl server running from the certctl image.
containerised(env) if env.origin in {"compose-service", "container"}

# Port.

deny contains f if {
	some env in lib.server_envs
	v := lib.known_value(env, port)
	n := lib.parse_int(v)
	not in_range(n)
	msg := sprintf("%s=%s is outside 1-65535: the server refuses to start; set a port between 1 and 65535 (8443 in the certctl image)", [port, v])
	f := lib.finding(env, port, msg)
}

in_range(n) if {
	n >= 1
	n <= 65535
}

# TLS certificate and key paths.

deny contains f if {
	some env in lib.server_envs
	some name, what in tls_paths
	lib.is_unset(env, name)
	msg := sprintf("%s is empty or absent: the server refuses to start (it serves HTTPS only, with no self-signed fallback); set it to the path of %s", [name, what])
	f := lib.finding(env, name, msg)
}

warn contains f if {
	some env in lib.server_envs
	some name, what in tls_paths
	lib.is_maybe_empty(env, name)
	msg := sprintf("%s may be empty at run time: the server refuses to start unless it is exported non-empty (the path of %s)", [name, what])
	f := lib.finding(env, name, msg)
}

# Inside the certctl image.

deny contains f if {
	some env in lib.server_envs
	containerised(env)
	h := loopback_host(env)
	msg := sprintf("%s is %s: inside its container the server listens on loopback only and is unreachable from outside it; the certctl image sets neither %s nor %s and health-checks https://localhost:8443/health, so set %s=0.0.0.0 and %s=8443", [host, host_desc(env, h), host, port, host, port])
	f := lib.finding(env, host, msg)
}

loopback_host(env) := h if {
	h := lib.value_or(env, host, default_host)
	lib.listens_on_loopback(h)
}

host_desc(env, h) := sprintf("unset (certctl's default %s)", [h]) if lib.is_unset(env, host)

host_desc(env, h) := sprintf("%q", [h]) if not lib.is_unset(env, host)

warn contains f if {
	some env in lib.server_envs
	containerised(env)
	n := effective_port(env)
	n != image_port
	not port_in_host_finding(env)
	msg := sprintf("%s is %s: the certctl image exposes and health-checks port %d, so the container is reported unhealthy; set %s=%d", [port, port_desc(env, n), image_port, port, image_port])
	f := lib.finding(env, port, msg)
}

# The loopback host's error already asks for port 8443 when the port is unset.
port_in_host_finding(env) if {
	loopback_host(env)
	lib.is_unset(env, port)
}

# effective_port is the port certctl listens on: the value when it is an
# integer in range, else the default (unset, or a value that does not parse;
# CFG-DEFAULT says that the default applies).
effective_port(env) := default_port if lib.is_unset(env, port)

effective_port(env) := default_port if {
	v := lib.known_value(env, port)
	v != ""
	not lib.parse_int(v)
}

effective_port(env) := n if {
	n := lib.parse_int(lib.known_value(env, port))
	in_range(n)
}

port_desc(env, n) := sprintf("unset (certctl's default %d)", [n]) if lib.is_unset(env, port)

port_desc(env, n) := sprintf("%q, which does not parse (certctl's default %d applies)", [v, n]) if {
	v := lib.known_value(env, port)
	v != ""
	not lib.parse_int(v)
}

port_desc(env, n) := sprintf("%d", [n]) if lib.parse_int(lib.known_value(env, port))
