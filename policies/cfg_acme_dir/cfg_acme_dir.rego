# METADATA
# title: The ACME directory must be reachable over verified HTTPS
# description: >-
#   certctl issues certificates from the ACME directory in
#   CERTCTL_ACME_DIRECTORY_URL. A directory that is not https (loopback aside)
#   lets anyone on the path swap the CA. With the ACME probe (certgate exec
#   --probe acme), the gate fetches the directory with lego's client, trusting
#   what certctl trusts: Go's system roots, which SSL_CERT_FILE and
#   SSL_CERT_DIR of the server's environment replace (certctl never reads
#   LEGO_* variables). A TLS verification failure refuses the start (every
#   issuance would fail the same way), and so does a probe that errors or
#   does not finish within its timeout (a failed probe is never a pass) and
#   an extra --ca-certificates bundle that cannot be loaded. A certificate
#   that verifies only thanks to --ca-certificates is named as such (certctl
#   does not read that bundle); an SSL_CERT_FILE that Go silently ignores, a
#   directory missing newNonce, newAccount or newOrder, or an invalid
#   CERTCTL_ACME_EMAIL is a warning; and when verification was switched off
#   (CERTCTL_ACME_INSECURE) although the certificate verifies, the insecure
#   flag is unnecessary.
# custom:
#   id: CFG-ACME-DIR
#   inputs: [env, probe]
#   severity: error
#   remediation: Use the CA's https directory URL and make the server trust its CA (add it to the image's CA bundle, or point SSL_CERT_FILE or SSL_CERT_DIR at it) instead of CERTCTL_ACME_INSECURE; make sure the directory answers within --probe-timeout; set CERTCTL_ACME_EMAIL to a plain address such as pki@example.com.
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
	verify_failure
	msg := sprintf("%s: TLS verification of the ACME directory failed with the roots certctl trusts (%s%s): %s: certctl cannot issue from it; add the CA to the server's trust store (SSL_CERT_FILE, SSL_CERT_DIR or the image's CA bundle)", [name, roots, extras, acme.tls_verify_error])
	f := lib.probe_finding(name, msg)
}

deny contains f if {
	acme.ca_error
	msg := sprintf("%s: %s: the gate cannot judge the ACME directory's trust, so it refuses the start", [name, acme.ca_error])
	f := lib.probe_finding(name, msg)
}

# A probe that errors or times out refuses the start: a failed probe is never
# a pass.
deny contains f if {
	acme.ran == true
	acme.reachable == false
	not verify_failure
	not acme.ca_error
	msg := sprintf("%s: %s: the gate refuses the start (a failed probe is never a pass)", [name, failure])
	f := lib.probe_finding(name, msg)
}

failure := sprintf("the ACME directory did not answer within the probe's %s timeout (--probe-timeout): %s", [acme.timeout, acme.error]) if {
	acme.timed_out == true
}

failure := sprintf("the ACME directory is unreachable (probe timeout %s): %s", [acme.timeout, acme.error]) if {
	not acme.timed_out == true
}

# extras names the gate's --ca-certificates bundles, when given.
extras := sprintf(", plus --ca-certificates %s, an extra given to certgate", [concat(", ", acme.ca_certificates)]) if {
	count(acme.ca_certificates) > 0
} else := ""

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

warn contains f if {
	acme.ran == true
	acme.ssl_cert_file_error
	msg := sprintf("SSL_CERT_FILE=%s adds no root (%s): Go ignores it silently, so certctl trusts only the system certificate directories%s", [acme.ssl_cert_file, acme.ssl_cert_file_error, dir_note])
	f := lib.probe_finding("SSL_CERT_FILE", msg)
}

dir_note := sprintf(" (here SSL_CERT_DIR=%s)", [acme.ssl_cert_dir]) if {
	acme.ssl_cert_dir != ""
} else := ""

# roots names what the server trusts, as the probe saw it.
roots := object.get(acme, "roots", "Go's system roots")

info contains f if {
	acme.reachable == true
	acme.verified_with == "ca_certificates"
	msg := sprintf("%s: the ACME directory's certificate verifies only with --ca-certificates %s, an extra given to certgate: certctl does not read it and trusts %s, so that CA must be there when the server issues", [name, concat(", ", acme.ca_certificates), roots])
	f := lib.probe_finding(name, msg)
}

info contains f if {
	acme.reachable == true
	acme.verification_disabled == true
	acme.cert_verifies == true
	msg := sprintf("%s: the ACME directory's certificate verifies with %s%s, so CERTCTL_ACME_INSECURE is unnecessary: drop it and CERTCTL_ACME_INSECURE_ACK", [name, roots, extras])
	f := lib.probe_finding("CERTCTL_ACME_INSECURE", msg)
}

verify_failure if {
	acme.tls_verify_error
	acme.verification_disabled == false
}
