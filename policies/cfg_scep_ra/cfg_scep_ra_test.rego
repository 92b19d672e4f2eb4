package certgate.cfg_scep_ra_test

import data.certgate.cfg_scep_ra

now := 1800000000

v(x) := {"value": x, "known": true, "ref": null}

legacy_env := {"id": "p", "role": "server", "vars": {
	"CERTCTL_SCEP_ENABLED": v("true"),
	"CERTCTL_SCEP_RA_CERT_PATH": v("/scep/ra.crt"),
	"CERTCTL_SCEP_RA_KEY_PATH": v("/scep/ra.key"),
}}

profile_env := {"id": "p", "role": "server", "vars": {
	"CERTCTL_SCEP_ENABLED": v("yes"),
	"CERTCTL_SCEP_PROFILES": v(" Corp "),
	"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH": v("/scep/corp.crt"),
	"CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH": v("/scep/corp.key"),
}}

cert(path, not_after) := {"path": path, "exists": true, "dir": false, "readable": true, "error": "", "mode": 420, "blocks": 1, "certs": [{"subject": "CN=ra", "not_before": now - 86400, "not_after": not_after, "key_type": "RSA"}], "cert_errors": 0, "key_type": ""}

key(path, mode) := {"path": path, "exists": true, "dir": false, "readable": true, "error": "", "mode": mode, "blocks": 1, "certs": [], "cert_errors": 0, "key_type": "RSA"}

pair(key_var, extra) := object.union({"key": key_var, "checked": true, "ok": true, "error": "", "key_type": "RSA"}, extra)

legacy(cert_f, key_f, p) := {"meta": {"now_unix": now}, "envs": [legacy_env], "host": {
	"files": {"CERTCTL_SCEP_RA_CERT_PATH": cert_f, "CERTCTL_SCEP_RA_KEY_PATH": key_f},
	"pairs": {"CERTCTL_SCEP_RA_CERT_PATH": p},
}}

good := legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 384), pair("CERTCTL_SCEP_RA_KEY_PATH", {}))

only(fs, text) if {
	count(fs) == 1
	some f in fs
	contains(f.msg, text)
}

test_valid_legacy_pair_is_clean if {
	count(cfg_scep_ra.deny) == 0 with input as good
}

test_scep_off_is_not_judged if {
	off := json.patch(good, [{"op": "replace", "path": "/envs/0/vars/CERTCTL_SCEP_ENABLED/value", "value": "TRUE"}])
	bad := json.patch(off, [{"op": "replace", "path": "/host/files/CERTCTL_SCEP_RA_KEY_PATH/mode", "value": 420}])
	count(cfg_scep_ra.deny) == 0 with input as bad
}

test_key_mode_0644_denies if {
	fs := cfg_scep_ra.deny with input as legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 420), pair("CERTCTL_SCEP_RA_KEY_PATH", {}))
	only(fs, "CERTCTL_SCEP_RA_KEY_PATH=/scep/ra.key has mode 0644")
}

test_key_mode_0400_is_clean if {
	count(cfg_scep_ra.deny) == 0 with input as legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 256), pair("CERTCTL_SCEP_RA_KEY_PATH", {}))
}

test_missing_key_denies if {
	missing := {"path": "/scep/ra.key", "exists": false, "readable": false, "error": "does not exist", "certs": []}
	fs := cfg_scep_ra.deny with input as legacy(cert("/scep/ra.crt", now + 86400), missing, pair("CERTCTL_SCEP_RA_KEY_PATH", {"checked": false, "ok": false}))
	only(fs, "CERTCTL_SCEP_RA_KEY_PATH=/scep/ra.key does not exist")
}

test_mismatch_denies if {
	fs := cfg_scep_ra.deny with input as legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 384), pair("CERTCTL_SCEP_RA_KEY_PATH", {"ok": false, "error": "tls: private key does not match public key"}))
	only(fs, "do not load as a matching X.509 key pair (tls: private key does not match public key)")
}

test_ed25519_key_denies if {
	fs := cfg_scep_ra.deny with input as legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 384), pair("CERTCTL_SCEP_RA_KEY_PATH", {"key_type": "Ed25519"}))
	only(fs, "holds a Ed25519 key")
}

test_ecdsa_key_is_clean if {
	count(cfg_scep_ra.deny) == 0 with input as legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 384), pair("CERTCTL_SCEP_RA_KEY_PATH", {"key_type": "ECDSA"}))
}

test_expired_cert_denies if {
	fs := cfg_scep_ra.deny with input as legacy(cert("/scep/ra.crt", now), key("/scep/ra.key", 384), pair("CERTCTL_SCEP_RA_KEY_PATH", {}))
	only(fs, "expired on 2027-01-15")
}

test_cert_valid_one_second_more_is_clean if {
	count(cfg_scep_ra.deny) == 0 with input as legacy(cert("/scep/ra.crt", now + 1), key("/scep/ra.key", 384), pair("CERTCTL_SCEP_RA_KEY_PATH", {}))
}

test_profile_files_are_judged if {
	inp := {"meta": {"now_unix": now}, "envs": [profile_env], "host": {
		"files": {"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH": cert("/scep/corp.crt", now + 86400), "CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH": key("/scep/corp.key", 416)},
		"pairs": {"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH": pair("CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH", {})},
	}}
	fs := cfg_scep_ra.deny with input as inp
	only(fs, "CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH=/scep/corp.key has mode 0640")
	some f in fs
	contains(f.msg, "SCEP profile \"corp\"")
}

test_legacy_files_ignored_with_profiles if {
	e := json.patch(legacy_env, [{"op": "add", "path": "/vars/CERTCTL_SCEP_PROFILES", "value": v("corp")}])
	inp := json.patch(legacy(cert("/scep/ra.crt", now + 86400), key("/scep/ra.key", 420), pair("CERTCTL_SCEP_RA_KEY_PATH", {})), [{"op": "replace", "path": "/envs/0", "value": e}])
	count(cfg_scep_ra.deny) == 0 with input as inp
}
