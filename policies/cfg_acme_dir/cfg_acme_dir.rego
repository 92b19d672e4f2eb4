# METADATA
# title: The ACME directory must be reachable over verified HTTPS
# description: >-
#   certctl issues certificates from the ACME directory in
#   CERTCTL_ACME_DIRECTORY_URL. A directory that is not https (loopback aside)
#   lets anyone on the path swap the CA. With the ACME probe (certgate exec
#   --probe acme), the gate fetches the directory with lego's client: a TLS
#   verification failure refuses the start (every issuance would fail the same
#   way), and so does a CA bundle that cannot be loaded; an unreachable
#   directory, one missing newNonce, newAccount or newOrder, or an invalid
#   CERTCTL_ACME_EMAIL is a warning; and when verification was
#   switched off (CERTCTL_ACME_INSECURE) although the certificate verifies with
#   the configured roots, the insecure flag is unnecessary.
# custom:
#   id: CFG-ACME-DIR
#   inputs: [env, probe]
#   severity: error
#   remediation: Use the CA's https directory URL and trust its CA with LEGO_CA_CERTIFICATES (or certgate --ca-certificates) instead of CERTCTL_ACME_INSECURE; set CERTCTL_ACME_EMAIL to a plain address such as pki@example.com.
#   docs: docs/policies.md#cfg-acme-dir
package certgate.cfg_acme_dir

import data.certgate.lib

name := "CERTCTL_ACME_DIRECTORY_URL"

acme := input.probes.acme

deny contains f if {
	some env in lib.server_envs
	u := lib.known_value(env, name)
	u != ""
	not lib.url_parts(u)
	f := lib.finding(env, name, sprintf("%s is not an absolute URL: certctl cannot fetch the ACME directory", [name]))
}

deny contains f if {
	some env in lib.server_envs
	u := lib.known_value(env, name)
	p := lib.url_parts(u)
	p.scheme != "https"
	not lib.loopback_host(p.host)
	msg := sprintf("%s uses %s to %s: the ACME directory must be fetched over https (only loopback is exempt)", [name, p.scheme, p.host])
	f := lib.finding(env, name, msg)
}

deny contains f if {
	acme.ran == true
	acme.reachable == false
	acme.tls_verify_error
	acme.verification_disabled == false
	msg := sprintf("%s: TLS verification of the ACME directory failed (%s): certctl cannot issue from it; trust its CA with LEGO_CA_CERTIFICATES", [name, acme.tls_verify_error])
	f := lib.probe_finding(name, msg)
}

deny contains f if {
	acme.ca_error
	msg := sprintf("%s: the CA certificates cannot be loaded (%s): lego refuses to build its client, so certctl cannot issue", [name, acme.ca_error])
	f := lib.probe_finding("LEGO_CA_CERTIFICATES", msg)
}

warn contains f if {
	acme.ran == true
	acme.reachable == false
	not verify_failure
	not acme.ca_error
	f := lib.probe_finding(name, sprintf("%s: the ACME directory is unreachable: %s", [name, acme.error]))
}

warn contains f if {
	acme.reachable == true
	some key, endpoint in {"new_nonce": "newNonce", "new_account": "newAccount", "new_order": "newOrder"}
	acme[key] == false
	f := lib.probe_finding(name, sprintf("%s: the ACME directory has no %s endpoint: certctl cannot issue from it", [name, endpoint]))
}

warn contains f if {
	acme.email_valid == false
	f := lib.probe_finding("CERTCTL_ACME_EMAIL", "CERTCTL_ACME_EMAIL is not a valid email address (want a plain address such as pki@example.com): the CA may refuse the account")
}

info contains f if {
	acme.reachable == true
	acme.verification_disabled == true
	acme.cert_verifies == true
	msg := sprintf("%s: the ACME directory's certificate verifies with the configured roots, so CERTCTL_ACME_INSECURE is unnecessary: drop it and CERTCTL_ACME_INSECURE_ACK", [name])
	f := lib.probe_finding("CERTCTL_ACME_INSECURE", msg)
}

verify_failure if {
	acme.tls_verify_error
	acme.verification_disabled == false
}
