package certgate.cfg_acme_dir_test

import data.certgate.cfg_acme_dir

var(v) := {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["X"]}}

static(url) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {"CERTCTL_ACME_DIRECTORY_URL": var(url)}}]}

probed(acme) := {"meta": {}, "envs": [{"id": "t", "role": "server", "vars": {}}], "probes": {"acme": acme}}

ok := {"ran": true, "configured": true, "reachable": true, "tls_verified": true, "verification_disabled": false, "cert_verifies": true, "new_nonce": true, "new_account": true, "new_order": true, "email_set": true, "email_valid": true, "error": ""}

all(doc) := x if {
	d := cfg_acme_dir.deny with input as doc
	w := cfg_acme_dir.warn with input as doc
	i := cfg_acme_dir.info with input as doc
	x := (d | w) | i
}

test_https_is_clean if {
	count(all(static("https://acme-v02.api.letsencrypt.org/directory"))) == 0
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
	count(all(probed(ok))) == 0
}

test_skipped_probe_is_clean if {
	count(all(probed({"ran": false, "reachable": false, "email_set": false}))) == 0
}

test_verify_failure_denies if {
	doc := probed(object.union(ok, {"reachable": false, "tls_verified": false, "cert_verifies": false, "tls_verify_error": "x509: certificate signed by unknown authority", "error": "get directory: tls"}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "TLS verification of the ACME directory failed")
	count(cfg_acme_dir.warn) == 0 with input as doc
}

test_unreachable_warns if {
	doc := probed(object.union(ok, {"reachable": false, "error": "connection refused"}))
	w := cfg_acme_dir.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "unreachable: connection refused")
	count(cfg_acme_dir.deny) == 0 with input as doc
}

test_unreachable_with_verification_off_warns if {
	doc := probed(object.union(ok, {"reachable": false, "verification_disabled": true, "tls_verify_error": "x509", "error": "timeout"}))
	count(cfg_acme_dir.warn) == 1 with input as doc
	count(cfg_acme_dir.deny) == 0 with input as doc
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
	contains(x.msg, "CERTCTL_ACME_INSECURE is unnecessary")
}

test_needed_insecure_flag_no_info if {
	count(cfg_acme_dir.info) == 0 with input as probed(object.union(ok, {"verification_disabled": true, "tls_verified": false, "cert_verifies": false}))
}

test_unloadable_ca_bundle_denies if {
	doc := probed(object.union(ok, {"reachable": false, "ca_error": "read CA certificates: open x: no such file", "error": "read CA certificates"}))
	f := cfg_acme_dir.deny with input as doc
	count(f) == 1
	some x in f
	contains(x.msg, "CA certificates cannot be loaded")
	count(cfg_acme_dir.warn) == 0 with input as doc
}
