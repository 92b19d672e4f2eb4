# METADATA
# title: The server's TLS certificate and key load as a pair on the host
# description: >-
#   certctl stats CERTCTL_SERVER_TLS_CERT_PATH and CERTCTL_SERVER_TLS_KEY_PATH and
#   loads them with tls.LoadX509KeyPair before it serves anything; a file that does
#   not exist or cannot be read, a file that is not PEM, a swapped pair (the key in
#   the certificate file) or a key that does not match the certificate makes it
#   refuse to start. There is no self-signed fallback. The startup gate checks this
#   on the host (certgate exec and certgate env; --no-host skips it when the gate
#   runs elsewhere than the server). A certificate that expires within 14 days, or
#   has expired, does not stop certctl, but clients will soon refuse it: a warning.
# custom:
#   id: CFG-TLS-FILES
#   inputs: [host]
#   severity: error
#   remediation: Point CERTCTL_SERVER_TLS_CERT_PATH at the PEM certificate (leaf first, then intermediates) and CERTCTL_SERVER_TLS_KEY_PATH at its PEM private key, both readable by the server's user; renew the certificate before it expires.
#   docs: docs/policies.md#cfg-tls-files
package certgate.cfg_tls_files

import data.certgate.lib

cert_var := "CERTCTL_SERVER_TLS_CERT_PATH"

key_var := "CERTCTL_SERVER_TLS_KEY_PATH"

# 14 days in seconds.
soon := 1209600

tls_read contains [hf, facts] if {
	some x in lib.host_read
	[hf, facts] := x
	hf.kind in {"tls_cert", "tls_key"}
}

deny contains f if {
	some x in tls_read
	[hf, facts] := x
	not facts.readable
	msg := sprintf("%s=%s %s: the server refuses to start (it loads %s before serving). Provide the file, readable by the server's user", [hf.name, facts.path, facts.error, hf.what])
	f := lib.probe_finding(hf.name, msg)
}

deny contains f if {
	input.host
	pair := input.host.pairs[cert_var]
	pair.checked
	not pair.ok
	msg := sprintf("%s and %s do not load as a matching X.509 key pair (%s): the server refuses to start. Point the certificate variable at the PEM certificate and the key variable at its own private key", [cert_var, key_var, pair.error])
	f := lib.probe_finding(cert_var, msg)
}

warn contains f if {
	some x in tls_read
	[hf, facts] := x
	hf.kind == "tls_cert"
	input.host.pairs[cert_var].ok
	leaf := facts.certs[0]
	left := leaf.not_after - input.meta.now_unix
	left < soon
	msg := sprintf("%s=%s: %s (%s); certctl starts, but clients refuse an expired certificate. Renew it", [cert_var, facts.path, expiry(left), leaf.subject])
	f := lib.probe_finding(cert_var, msg)
}

expiry(left) := sprintf("the certificate expired %d day(s) ago", [ceil((0 - left) / 86400)]) if left <= 0

expiry(left) := sprintf("the certificate expires in %d day(s), within 14 days", [ceil(left / 86400)]) if left > 0
