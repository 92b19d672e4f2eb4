package certgate.cfg_acme_dir_test

import data.certgate.cfg_acme_dir

var(v) := {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["X"]}}

static(url) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_ACME_DIRECTORY_URL": var(url)}}]}

probed(acme) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {}}], "probes": {"acme": acme}}

ok := {"ran": true, "configured": true, "reachable": true, "tls_verified": true, "verification_disabled": false, "cert_verifies": true, "verified_with": "server", "roots": "Go's system roots", "ssl_cert_file": "", "ssl_cert_dir": "", "ca_certificates": [], "new_nonce": true, "new_account": true, "new_order": true, "email_set": true, "email_valid": true, "error": "", "timeout": "3s", "timed_out": false}

results(doc) := x if {
	d := cfg_acme_dir.deny with input as doc
	w := cfg_acme_dir.warn with input as doc
	i := cfg_acme_dir.info with input as doc
	x := (d | w) | i
}

test_https_is_clean if {
	count(results(static("https://acme-v02.api.letsencrypt.org/directory"))) == 0
}

test_http_remote_denies if {
	f := cfg_acme_dir.deny with input as static("http://acme.example.com/directory")
	count(f) == 1
	some x in f
	contains(x.msg, "uses http to acme.example.com")
}

test_http_loopback_is_clean if {
	every u in ["http://localhost:14000/dir", "http://127.0.0.1:14000/dir", "http://[::1]:14000/dir"] {
		count(cfg_acme_dir.deny) == 0 with input as static(u)
	}
}

test_not_a_url_denies if {
	f := cfg_acme_dir.deny with input as static("acme.example.com/directory")
	count(f) == 1
	some x in f
	contains(x.msg, "not an absolute URL")
}

test_unknown_url_is_not_judged if {
	count(cfg_acme_dir.deny) == 0 with input as {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_ACME_DIRECTORY_URL": {"value": "", "known": false, "ref": null}}}]}
}

test_probe_pass_is_clean if {
	count(results(probed(ok))) == 0
}

test_skipped_probe_is_clean if {
	count(results(probed({"ran": false, "reachable": false, "email_set": false}))) == 0
}

test_verify_failure_denies if {
	doc := probed(object.union(ok, {"reachable": false, "tls_verified": false, "cert_verifies": false, "verified_with": "", "roots": "SSL_CERT_FILE=/etc/ca.pem and the system certificate directories", "tls_verify_error": "x509: certificate signed by unknown authority", "error": "get directory: tls"}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "TLS verification of the ACME directory failed with the roots certctl trusts (SSL_CERT_FILE=/etc/ca.pem and the system certificate directories)")
	contains(x.msg, "x509: certificate signed by unknown authority")
	contains(x.msg, "SSL_CERT_FILE, SSL_CERT_DIR or the image's CA bundle")
	not contains(x.msg, "LEGO")
	count(cfg_acme_dir.warn) == 0 with input as doc
}

test_verify_failure_names_the_extra_bundle if {
	doc := probed(object.union(ok, {"reachable": false, "tls_verified": false, "cert_verifies": false, "verified_with": "", "ca_certificates": ["/tmp/extra.pem"], "tls_verify_error": "x509: unknown authority", "error": "tls"}))
	some x in cfg_acme_dir.deny with input as doc
	contains(x.msg, "(Go's system roots, plus --ca-certificates /tmp/extra.pem, an extra given to certgate)")
}

test_unreachable_denies_naming_the_timeout if {
	doc := probed(object.union(ok, {"reachable": false, "error": "connection refused"}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "the ACME directory is unreachable (probe timeout 3s): connection refused")
	contains(x.msg, "refuses the start")
	count(cfg_acme_dir.warn) == 0 with input as doc
}

test_timeout_denies_naming_the_timeout if {
	doc := probed(object.union(ok, {"reachable": false, "timed_out": true, "timeout": "250ms", "error": "probe did not finish within 250ms"}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "did not answer within the probe's 250ms timeout (--probe-timeout)")
}

test_unreachable_with_verification_off_denies if {
	doc := probed(object.union(ok, {"reachable": false, "verification_disabled": true, "tls_verify_error": "x509", "error": "timeout"}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "unreachable")
}

test_reachable_does_not_deny if {
	count(cfg_acme_dir.deny) == 0 with input as probed(object.union(ok, {"timed_out": false}))
}

test_verified_only_by_extra_bundle_info if {
	doc := probed(object.union(ok, {"verified_with": "ca_certificates", "ca_certificates": ["/tmp/pebble.pem"]}))
	i := cfg_acme_dir.info with input as doc
	count(i) == 1
	some x in i
	contains(x.msg, "verifies only with --ca-certificates /tmp/pebble.pem, an extra given to certgate")
	count(cfg_acme_dir.deny) == 0 with input as doc
}

test_verified_by_server_roots_no_info if {
	count(cfg_acme_dir.info) == 0 with input as probed(object.union(ok, {"ca_certificates": ["/tmp/pebble.pem"]}))
}

test_ignored_ssl_cert_file_warns if {
	doc := probed(object.union(ok, {"ssl_cert_file": "/missing.pem", "ssl_cert_file_error": "no such file or directory"}))
	w := cfg_acme_dir.warn with input as doc
	count(w) == 1
	some x in w
	x.msg == "SSL_CERT_FILE=/missing.pem adds no root (no such file or directory): Go ignores it silently, so certctl trusts only the system certificate directories"
	some y in cfg_acme_dir.warn with input as probed(object.union(doc.probes.acme, {"ssl_cert_dir": "/certs"}))
	endswith(y.msg, "(here SSL_CERT_DIR=/certs)")
}

test_readable_ssl_cert_file_no_warning if {
	count(cfg_acme_dir.warn) == 0 with input as probed(object.union(ok, {"ssl_cert_file": "/ca.pem"}))
}

test_missing_endpoints_warn if {
	w := cfg_acme_dir.warn with input as probed(object.union(ok, {"new_nonce": false, "new_order": false}))
	count(w) == 2
	some x in w
	contains(x.msg, "no newNonce endpoint")
	some y in w
	contains(y.msg, "no newOrder endpoint")
}

test_invalid_email_warns if {
	w := cfg_acme_dir.warn with input as probed(object.union(ok, {"email_valid": false}))
	count(w) == 1
	some x in w
	x.msg == "CERTCTL_ACME_EMAIL is not a valid email address (want a plain address such as pki@example.com): the CA may refuse the account"
}

test_unnecessary_insecure_flag_info if {
	i := cfg_acme_dir.info with input as probed(object.union(ok, {"verification_disabled": true, "tls_verified": false}))
	count(i) == 1
	some x in i
	contains(x.msg, "verifies with Go's system roots, so CERTCTL_ACME_INSECURE is unnecessary")
}

test_needed_insecure_flag_no_info if {
	count(cfg_acme_dir.info) == 0 with input as probed(object.union(ok, {"verification_disabled": true, "tls_verified": false, "cert_verifies": false}))
}

test_unloadable_ca_bundle_denies if {
	e := "--ca-certificates x (an extra bundle for the gate's check) cannot be read: no such file"
	doc := probed(object.union(ok, {"reachable": false, "ca_error": e, "error": e}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "--ca-certificates x (an extra bundle for the gate's check) cannot be read")
	contains(x.msg, "refuses the start")
	count(cfg_acme_dir.warn) == 0 with input as doc
}
