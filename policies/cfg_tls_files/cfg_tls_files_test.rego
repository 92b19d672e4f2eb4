package certgate.cfg_tls_files_test

import data.certgate.cfg_tls_files

now := 1800000000

env := {"id": "process environment", "role": "server", "vars": {
	"CERTCTL_SERVER_TLS_CERT_PATH": {"value": "/tls/server.crt", "known": true, "ref": {"file": "f", "doc": 0, "path": ["CERTCTL_SERVER_TLS_CERT_PATH"]}},
	"CERTCTL_SERVER_TLS_KEY_PATH": {"value": "/tls/server.key", "known": true, "ref": null},
}}

cert_file := {"path": "/tls/server.crt", "exists": true, "readable": true, "error": "", "mode": 420, "blocks": 1, "certs": [{"subject": "CN=certctl", "not_before": now - 86400, "not_after": now + (90 * 86400), "key_type": "ECDSA"}], "cert_errors": 0, "key_type": ""}

key_file := {"path": "/tls/server.key", "exists": true, "readable": true, "error": "", "mode": 384, "blocks": 1, "certs": [], "cert_errors": 0, "key_type": "ECDSA"}

ok_pair := {"key": "CERTCTL_SERVER_TLS_KEY_PATH", "checked": true, "ok": true, "error": "", "key_type": "ECDSA"}

doc(files, pair) := {"meta": {"now_unix": now}, "envs": [env], "host": {"files": files, "pairs": {"CERTCTL_SERVER_TLS_CERT_PATH": pair}, "otel": {}}}

good := doc({"CERTCTL_SERVER_TLS_CERT_PATH": cert_file, "CERTCTL_SERVER_TLS_KEY_PATH": key_file}, ok_pair)

test_valid_pair_is_clean if {
	count(cfg_tls_files.deny) == 0 with input as good
	count(cfg_tls_files.warn) == 0 with input as good
}

test_without_host_facts_is_clean if {
	count(cfg_tls_files.deny) == 0 with input as {"meta": {"now_unix": now}, "envs": [env]}
}

test_missing_cert_denies if {
	missing := {"path": "/tls/server.crt", "exists": false, "readable": false, "error": "does not exist", "certs": []}
	fs := cfg_tls_files.deny with input as doc({"CERTCTL_SERVER_TLS_CERT_PATH": missing, "CERTCTL_SERVER_TLS_KEY_PATH": key_file}, {"key": "CERTCTL_SERVER_TLS_KEY_PATH", "checked": false, "ok": false})
	count(fs) == 1
	some f in fs
	contains(f.msg, "CERTCTL_SERVER_TLS_CERT_PATH=/tls/server.crt does not exist: the server refuses to start")
	f.ref.path == ["CERTCTL_SERVER_TLS_CERT_PATH"]
}

test_unreadable_key_denies if {
	denied := object.union(key_file, {"readable": false, "error": "permission denied"})
	fs := cfg_tls_files.deny with input as doc({"CERTCTL_SERVER_TLS_CERT_PATH": cert_file, "CERTCTL_SERVER_TLS_KEY_PATH": denied}, {"key": "CERTCTL_SERVER_TLS_KEY_PATH", "checked": false, "ok": false})
	count(fs) == 1
	some f in fs
	contains(f.msg, "CERTCTL_SERVER_TLS_KEY_PATH=/tls/server.key permission denied")
}

test_mismatched_pair_denies if {
	bad := object.union(ok_pair, {"ok": false, "error": "tls: private key does not match public key"})
	fs := cfg_tls_files.deny with input as doc({"CERTCTL_SERVER_TLS_CERT_PATH": cert_file, "CERTCTL_SERVER_TLS_KEY_PATH": key_file}, bad)
	count(fs) == 1
	some f in fs
	contains(f.msg, "do not load as a matching X.509 key pair (tls: private key does not match public key)")
}

test_expiring_soon_warns if {
	c := object.union(cert_file, {"certs": [object.union(cert_file.certs[0], {"not_after": now + (3 * 86400)})]})
	inp := doc({"CERTCTL_SERVER_TLS_CERT_PATH": c, "CERTCTL_SERVER_TLS_KEY_PATH": key_file}, ok_pair)
	count(cfg_tls_files.deny) == 0 with input as inp
	ws := cfg_tls_files.warn with input as inp
	count(ws) == 1
	some w in ws
	contains(w.msg, "expires in 3 day(s), within 14 days")
}

test_fifteen_days_left_is_clean if {
	c := object.union(cert_file, {"certs": [object.union(cert_file.certs[0], {"not_after": now + (15 * 86400)})]})
	count(cfg_tls_files.warn) == 0 with input as doc({"CERTCTL_SERVER_TLS_CERT_PATH": c, "CERTCTL_SERVER_TLS_KEY_PATH": key_file}, ok_pair)
}

test_expired_warns if {
	c := object.union(cert_file, {"certs": [object.union(cert_file.certs[0], {"not_after": now - (2 * 86400)})]})
	ws := cfg_tls_files.warn with input as doc({"CERTCTL_SERVER_TLS_CERT_PATH": c, "CERTCTL_SERVER_TLS_KEY_PATH": key_file}, ok_pair)
	count(ws) == 1
	some w in ws
	contains(w.msg, "expired 2 day(s) ago")
}
