package certgate.cfg_est_test

import data.certgate.cfg_est

# pv is the name of a profile variable: pv("WIFI", "ISSUER_ID") is the
# issuer ID variable of the profile named wifi.
pv(key, suffix) := concat("", ["CERTCTL_EST_PROFILE_", key, "_", suffix])

server(vars) := {"meta": {"certctl_version": "2.2.0", "now_unix": 0}, "envs": [{"id": "t", "role": "server", "ref": {"file": "f", "doc": 0, "path": []}, "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

# with_unknown marks name as set but known only at run time (maybe empty when
# maybe_empty is true).
with_unknown(doc, name, maybe_empty) := object.union(doc, {"envs": [object.union(doc.envs[0], {"vars": object.union(doc.envs[0].vars, {name: {"value": "", "known": false, "maybe_empty": maybe_empty, "ref": {"file": "f", "doc": 0, "path": [name]}}})})]})

# Two profiles certctl accepts: devices with mTLS and channel binding, wifi
# with basic auth and server-side key generation.
est := {
	"CERTCTL_EST_ENABLED": "true",
	"CERTCTL_EST_PROFILES": "Devices,wifi",
	pv("DEVICES", "ISSUER_ID"): "iss-devices",
	pv("DEVICES", "MTLS_ENABLED"): "true",
	pv("DEVICES", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH"): "/ca.pem",
	pv("DEVICES", "CHANNEL_BINDING_REQUIRED"): "true",
	pv("DEVICES", "ALLOWED_AUTH_MODES"): " MTLS ",
	pv("WIFI", "ISSUER_ID"): "iss-wifi",
	pv("WIFI", "ALLOWED_AUTH_MODES"): "basic,,",
	pv("WIFI", "ENROLLMENT_PASSWORD"): "WifiSecretValue",
	pv("WIFI", "SERVERKEYGEN_ENABLED"): "yes",
	pv("WIFI", "PROFILE_ID"): "prof-wifi",
	pv("WIFI", "RATE_LIMIT_PER_PRINCIPAL_24H"): "10",
}

without(vars, name) := object.remove(vars, [name])

plus(vars, extra) := object.union(vars, extra)

denies(vars) := f if {
	f := cfg_est.deny with input as server(vars)
}

warns(vars) := f if {
	f := cfg_est.warn with input as server(vars)
}

clean(vars) if {
	count(denies(vars)) == 0
	count(warns(vars)) == 0
}

one_deny(vars, at, text) if {
	f := denies(vars)
	count(f) == 1
	some x in f
	contains(x.msg, text)
	contains(x.msg, "the server refuses to start")
	x.ref.path == at
}

test_booting_environments_are_clean if {
	clean(est)
	clean({})
}

test_legacy_profile_always_boots if {
	clean({"CERTCTL_EST_ENABLED": "true"})
	clean({"CERTCTL_EST_ENABLED": "true", "CERTCTL_EST_ISSUER_ID": "", "CERTCTL_EST_PROFILES": " , "})
}

test_disabled_is_not_judged if {
	clean(est + {"CERTCTL_EST_ENABLED": "no", "CERTCTL_EST_PROFILES": "a_b,a,A"})
	clean(est + {"CERTCTL_EST_ENABLED": "Yes"})
}

test_invalid_path_id_denies if {
	one_deny(est + {"CERTCTL_EST_PROFILES": "Devices,wifi,iot-", pv("IOT-", "ISSUER_ID"): "iss"}, ["CERTCTL_EST_PROFILES"], `"iot-", whose path ID "iot-" is not`)
}

test_duplicate_path_id_denies if {
	one_deny(est + {"CERTCTL_EST_PROFILES": "devices,wifi,Devices"}, ["CERTCTL_EST_PROFILES"], `lists the profile "devices" more than once`)
}

test_profile_without_issuer_denies if {
	one_deny(without(est, pv("WIFI", "ISSUER_ID")), ["CERTCTL_EST_PROFILES"], sprintf(`EST profile "wifi": %s is empty or absent`, [pv("WIFI", "ISSUER_ID")]))
	one_deny(est + {pv("WIFI", "ISSUER_ID"): ""}, [pv("WIFI", "ISSUER_ID")], "no default")
}

test_legacy_issuer_does_not_reach_profiles if {
	count(denies(without(est, pv("WIFI", "ISSUER_ID")) + {"CERTCTL_EST_ISSUER_ID": "iss-wifi"})) == 1
}

test_mtls_without_bundle_denies if {
	one_deny(without(est, pv("DEVICES", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH")), [pv("DEVICES", "MTLS_ENABLED")], "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH is empty or absent")
}

test_channel_binding_without_mtls_denies if {
	one_deny(est + {pv("WIFI", "CHANNEL_BINDING_REQUIRED"): "1"}, [pv("WIFI", "CHANNEL_BINDING_REQUIRED")], "channel binding needs mTLS")
	one_deny(est + {pv("WIFI", "CHANNEL_BINDING_REQUIRED"): "true", pv("WIFI", "MTLS_ENABLED"): "True"}, [pv("WIFI", "CHANNEL_BINDING_REQUIRED")], sprintf("%s is not", [pv("WIFI", "MTLS_ENABLED")]))
}

test_channel_binding_off_passes if {
	clean(est + {pv("WIFI", "CHANNEL_BINDING_REQUIRED"): "false"})
}

test_unknown_auth_mode_denies if {
	one_deny(est + {pv("WIFI", "ALLOWED_AUTH_MODES"): "basic, Token"}, [pv("WIFI", "ALLOWED_AUTH_MODES")], `lists "token", which is not an EST auth mode`)
}

test_auth_modes_are_lower_cased if {
	clean(est + {pv("WIFI", "ALLOWED_AUTH_MODES"): "BASIC"})
}

test_mtls_mode_without_mtls_denies if {
	one_deny(est + {pv("WIFI", "ALLOWED_AUTH_MODES"): "basic,mtls"}, [pv("WIFI", "ALLOWED_AUTH_MODES")], sprintf("allows mtls but %s is not true", [pv("WIFI", "MTLS_ENABLED")]))
}

test_basic_mode_without_password_denies if {
	f := denies(without(est, pv("WIFI", "ENROLLMENT_PASSWORD")))
	count(f) == 1
	some x in f
	contains(x.msg, sprintf("allows basic but %s is empty or absent", [pv("WIFI", "ENROLLMENT_PASSWORD")]))
}

test_password_without_basic_is_not_needed if {
	clean(without(est + {pv("WIFI", "ALLOWED_AUTH_MODES"): ""}, pv("WIFI", "ENROLLMENT_PASSWORD")))
}

test_messages_have_no_secret if {
	f := denies(est + {pv("WIFI", "ALLOWED_AUTH_MODES"): "basic,mtls,x", pv("WIFI", "ISSUER_ID"): ""})
	count(f) == 3
	every x in f {
		not contains(x.msg, "WifiSecretValue")
	}
}

test_negative_rate_limit_denies if {
	one_deny(est + {pv("WIFI", "RATE_LIMIT_PER_PRINCIPAL_24H"): "-01"}, [pv("WIFI", "RATE_LIMIT_PER_PRINCIPAL_24H")], "=-01 is negative")
}

test_zero_rate_limit_passes if {
	clean(est + {pv("WIFI", "RATE_LIMIT_PER_PRINCIPAL_24H"): "0"})
}

test_unparsable_rate_limit_warns if {
	vars := est + {pv("WIFI", "RATE_LIMIT_PER_PRINCIPAL_24H"): "10/day"}
	count(denies(vars)) == 0
	w := warns(vars)
	count(w) == 1
	some x in w
	contains(x.msg, "silently uses the default 0")
}

test_serverkeygen_without_profile_id_denies if {
	one_deny(without(est, pv("WIFI", "PROFILE_ID")), [pv("WIFI", "SERVERKEYGEN_ENABLED")], sprintf("%s is empty or absent", [pv("WIFI", "PROFILE_ID")]))
}

test_serverkeygen_off_needs_no_profile_id if {
	clean(without(est + {pv("WIFI", "SERVERKEYGEN_ENABLED"): "on"}, pv("WIFI", "PROFILE_ID")))
}

test_unknown_enabled_warns if {
	doc := with_unknown(server(without(est, pv("WIFI", "ISSUER_ID"))), "CERTCTL_EST_ENABLED", false)
	count(cfg_est.deny) == 0 with input as doc
	w := cfg_est.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "(CERTCTL_EST_ENABLED known only then)")
}

test_unknown_mtls_switch_with_mtls_mode_warns if {
	doc := with_unknown(server(est + {pv("WIFI", "ALLOWED_AUTH_MODES"): "mtls", pv("WIFI", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH"): "/ca.pem"}), pv("WIFI", "MTLS_ENABLED"), false)
	count(cfg_est.deny) == 0 with input as doc
	w := cfg_est.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "allows mtls")
}

test_maybe_empty_password_warns if {
	doc := with_unknown(server(est), pv("WIFI", "ENROLLMENT_PASSWORD"), true)
	count(cfg_est.deny) == 0 with input as doc
	count(cfg_est.warn) == 1 with input as doc
}

test_unknown_password_is_not_empty if {
	doc := with_unknown(server(est), pv("WIFI", "ENROLLMENT_PASSWORD"), false)
	count(cfg_est.deny) == 0 with input as doc
	count(cfg_est.warn) == 0 with input as doc
}

test_unknown_auth_modes_not_judged if {
	doc := with_unknown(server(without(est, pv("WIFI", "ENROLLMENT_PASSWORD"))), pv("WIFI", "ALLOWED_AUTH_MODES"), false)
	count(cfg_est.deny) == 0 with input as doc
	count(cfg_est.warn) == 0 with input as doc
}
