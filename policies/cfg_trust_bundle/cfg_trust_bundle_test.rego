package certgate.cfg_trust_bundle_test

import data.certgate.cfg_trust_bundle

now := 1800000000

v(x) := {"value": x, "known": true, "ref": null}

name := "CERTCTL_EST_PROFILE_DEVICES_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH"

est_env(mtls) := {"id": "p", "role": "server", "vars": {
	"CERTCTL_EST_ENABLED": v("true"),
	"CERTCTL_EST_PROFILES": v("devices"),
	"CERTCTL_EST_PROFILE_DEVICES_MTLS_ENABLED": v(mtls),
	name: v("/est/ca.pem"),
}}

ca := {"subject": "CN=ca", "not_before": now - 86400, "not_after": now + 86400, "key_type": "ECDSA"}

bundle(extra) := object.union({"path": "/est/ca.pem", "exists": true, "dir": false, "readable": true, "error": "", "mode": 420, "blocks": 1, "block_types": ["CERTIFICATE"], "certs": [ca], "cert_errors": 0, "key_type": ""}, extra)

doc(mtls, facts) := {"meta": {"now_unix": now}, "envs": [est_env(mtls)], "host": {"files": {name: facts}, "pairs": {}}}

only(fs, text) if {
	count(fs) == 1
	some f in fs
	contains(f.msg, text)
}

test_valid_bundle_is_clean if {
	count(cfg_trust_bundle.deny) == 0 with input as doc("true", bundle({}))
}

test_mtls_off_is_not_judged if {
	count(cfg_trust_bundle.deny) == 0 with input as doc("false", bundle({"blocks": 0, "certs": []}))
}

test_unreadable_denies if {
	fs := cfg_trust_bundle.deny with input as doc("true", bundle({"exists": false, "readable": false, "error": "does not exist", "blocks": 0, "certs": []}))
	only(fs, "/est/ca.pem does not exist: the server refuses to start (it loads the mTLS client CA trust bundle of EST profile \"devices\")")
}

test_not_pem_denies if {
	fs := cfg_trust_bundle.deny with input as doc("true", bundle({"blocks": 0, "block_types": [], "certs": []}))
	only(fs, "is not PEM")
}

test_no_certificates_denies if {
	fs := cfg_trust_bundle.deny with input as doc("true", bundle({"blocks": 1, "block_types": ["PRIVATE KEY"], "certs": []}))
	only(fs, "holds no certificate (only PRIVATE KEY)")
}

test_unparsable_certificate_denies if {
	fs := cfg_trust_bundle.deny with input as doc("true", bundle({"blocks": 2, "cert_errors": 1}))
	only(fs, "1 CERTIFICATE block(s) that do not parse")
}

test_expired_certificate_denies if {
	old := object.union(ca, {"subject": "CN=old", "not_after": now - 86400})
	fs := cfg_trust_bundle.deny with input as doc("true", bundle({"blocks": 2, "certs": [ca, old]}))
	only(fs, "holds a certificate (CN=old) that expired on 2027-01-14")
}

test_scep_bundles_are_judged if {
	e := {"id": "p", "role": "server", "vars": {
		"CERTCTL_SCEP_ENABLED": v("1"),
		"CERTCTL_SCEP_PROFILES": v("iot"),
		"CERTCTL_SCEP_PROFILE_IOT_INTUNE_ENABLED": v("true"),
		"CERTCTL_SCEP_PROFILE_IOT_INTUNE_CONNECTOR_CERT_PATH": v("/intune.pem"),
		"CERTCTL_SCEP_PROFILE_IOT_MTLS_ENABLED": v("false"),
		"CERTCTL_SCEP_PROFILE_IOT_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH": v("/clients.pem"),
	}}
	empty := bundle({"blocks": 0, "certs": []})
	fs := cfg_trust_bundle.deny with input as {"meta": {"now_unix": now}, "envs": [e], "host": {
		"files": {
			"CERTCTL_SCEP_PROFILE_IOT_INTUNE_CONNECTOR_CERT_PATH": empty,
			"CERTCTL_SCEP_PROFILE_IOT_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH": empty,
		},
		"pairs": {},
	}}
	only(fs, "Intune connector certificate bundle of SCEP profile \"iot\"")
}
