package certgate.cfg_scep_test

import data.certgate.cfg_scep

# pv is the name of a profile variable: pv("CORP", "ISSUER_ID") is the
# issuer ID variable of the profile named corp.
pv(key, suffix) := concat("", ["CERTCTL_SCEP_PROFILE_", key, "_", suffix])

server(vars) := {"meta": {"certctl_version": "2.2.0", "now_unix": 0}, "envs": [{"id": "t", "role": "server", "ref": {"file": "f", "doc": 0, "path": []}, "vars": {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in vars}}]}

# with_unknown marks name as set but known only at run time (maybe empty when
# maybe_empty is true).
with_unknown(doc, name, maybe_empty) := object.union(doc, {"envs": [object.union(doc.envs[0], {"vars": object.union(doc.envs[0].vars, {name: {"value": "", "known": false, "maybe_empty": maybe_empty, "ref": {"file": "f", "doc": 0, "path": [name]}}})})]})

# A legacy single profile certctl accepts.
legacy := {
	"CERTCTL_SCEP_ENABLED": "true",
	"CERTCTL_SCEP_CHALLENGE_PASSWORD": "Sc3pSecretValue",
	"CERTCTL_SCEP_RA_CERT_PATH": "/etc/certctl/scep/ra.crt",
	"CERTCTL_SCEP_RA_KEY_PATH": "/etc/certctl/scep/ra.key",
}

# Two profiles certctl accepts.
corp := {
	"CERTCTL_SCEP_ENABLED": "true",
	"CERTCTL_SCEP_PROFILES": "corp, IoT-1",
	pv("CORP", "CHALLENGE_PASSWORD"): "CorpSecretValue",
	pv("CORP", "RA_CERT_PATH"): "/ra/corp.crt",
	pv("CORP", "RA_KEY_PATH"): "/ra/corp.key",
	pv("CORP", "ISSUER_ID"): "iss-corp",
	pv("IOT-1", "CHALLENGE_PASSWORD"): "IotSecretValue",
	pv("IOT-1", "RA_CERT_PATH"): "/ra/iot.crt",
	pv("IOT-1", "RA_KEY_PATH"): "/ra/iot.key",
	pv("IOT-1", "ISSUER_ID"): "iss-iot",
}

without(vars, name) := object.remove(vars, [name])

plus(vars, extra) := object.union(vars, extra)

denies(vars) := f if {
	f := cfg_scep.deny with input as server(vars)
}

warns(vars) := f if {
	f := cfg_scep.warn with input as server(vars)
}

clean(vars) if {
	count(denies(vars)) == 0
	count(warns(vars)) == 0
}

# one_deny: exactly one refusal, pointing at the variable at, whose message
# contains text.
one_deny(vars, at, text) if {
	f := denies(vars)
	count(f) == 1
	some x in f
	contains(x.msg, text)
	contains(x.msg, "the server refuses to start")
	x.ref.path == at
}

secret_free(findings) if {
	every x in findings {
		not contains(x.msg, "SecretValue")
	}
}

test_booting_environments_are_clean if {
	clean(legacy)
	clean(corp)
	clean({})
}

test_disabled_is_not_judged if {
	clean({"CERTCTL_SCEP_ENABLED": "false"})
	clean({"CERTCTL_SCEP_ENABLED": "True"})
	clean(corp + {"CERTCTL_SCEP_ENABLED": "0", "CERTCTL_SCEP_PROFILES": "Corp_1,corp,CORP"})
}

# Legacy form.
test_enabled_without_anything_denies_three_times if {
	f := denies({"CERTCTL_SCEP_ENABLED": "yes"})
	count(f) == 3
	some x in f
	contains(x.msg, "CERTCTL_SCEP_CHALLENGE_PASSWORD is empty or absent")
}

test_legacy_without_password_denies if {
	one_deny(without(legacy, "CERTCTL_SCEP_CHALLENGE_PASSWORD"), ["CERTCTL_SCEP_ENABLED"], "CERTCTL_SCEP_CHALLENGE_PASSWORD is empty")
	one_deny(legacy + {"CERTCTL_SCEP_CHALLENGE_PASSWORD": ""}, ["CERTCTL_SCEP_CHALLENGE_PASSWORD"], "legacy profile")
}

test_legacy_without_ra_key_denies if {
	one_deny(without(legacy, "CERTCTL_SCEP_RA_KEY_PATH"), ["CERTCTL_SCEP_ENABLED"], "CERTCTL_SCEP_RA_KEY_PATH is empty")
}

test_legacy_without_ra_cert_denies if {
	one_deny(without(legacy, "CERTCTL_SCEP_RA_CERT_PATH"), ["CERTCTL_SCEP_ENABLED"], "CERTCTL_SCEP_RA_CERT_PATH is empty")
}

test_legacy_issuer_defaults if {
	clean(legacy + {"CERTCTL_SCEP_ISSUER_ID": ""})
}

test_empty_profile_list_is_legacy if {
	count(denies(without(legacy, "CERTCTL_SCEP_CHALLENGE_PASSWORD") + {"CERTCTL_SCEP_PROFILES": " , "})) == 1
	clean(legacy + {"CERTCTL_SCEP_PROFILES": ","})
}

test_profiles_replace_legacy if {
	# the legacy variables are not read once profiles are listed
	clean(corp + {"CERTCTL_SCEP_CHALLENGE_PASSWORD": ""})
}

# Path IDs.
test_invalid_path_id_denies if {
	one_deny(corp + {"CERTCTL_SCEP_PROFILES": "corp,IoT-1,-edge", pv("-EDGE", "CHALLENGE_PASSWORD"): "EdgeSecretValue", pv("-EDGE", "RA_CERT_PATH"): "/a", pv("-EDGE", "RA_KEY_PATH"): "/b", pv("-EDGE", "ISSUER_ID"): "iss"}, ["CERTCTL_SCEP_PROFILES"], `whose path ID "-edge" is not`)
}

test_path_id_forms if {
	bad := ["corp_1", "corp-", "-corp", "co rp", "corp.1", "é"]
	every n in bad {
		some x in denies({"CERTCTL_SCEP_ENABLED": "true", "CERTCTL_SCEP_PROFILES": n})
		contains(x.msg, "is not [a-z0-9-]+")
	}
	good := ["corp", "Corp", "a", "1", "a-b-c", "IOT-2"]
	every n in good {
		every x in denies({"CERTCTL_SCEP_ENABLED": "true", "CERTCTL_SCEP_PROFILES": n}) {
			not contains(x.msg, "is not [a-z0-9-]+")
		}
	}
}

test_duplicate_path_id_denies if {
	one_deny(corp + {"CERTCTL_SCEP_PROFILES": "corp,IoT-1,Corp"}, ["CERTCTL_SCEP_PROFILES"], `lists the profile "corp" more than once`)
}

test_distinct_path_ids_pass if {
	clean(corp + {"CERTCTL_SCEP_PROFILES": "corp,iot-1"})
}

# Required per-profile variables.
test_profile_without_required_variable_denies if {
	every suffix in ["CHALLENGE_PASSWORD", "RA_CERT_PATH", "RA_KEY_PATH", "ISSUER_ID"] {
		name := pv("IOT-1", suffix)
		one_deny(without(corp, name), ["CERTCTL_SCEP_PROFILES"], sprintf(`SCEP profile "iot-1": %s is empty or absent`, [name]))
		one_deny(corp + {name: ""}, [name], name)
	}
}

test_profile_variables_are_upper_cased if {
	# lower-case variable names are not what certctl reads
	f := denies(without(corp, pv("CORP", "ISSUER_ID")) + {pv("corp", "ISSUER_ID"): "iss"})
	count(f) == 1
}

test_missing_password_message_has_no_secret if {
	f := denies(without(corp, pv("CORP", "CHALLENGE_PASSWORD")))
	count(f) == 1
	secret_free(f)
}

# mTLS and Intune.
test_mtls_without_bundle_denies if {
	one_deny(corp + {pv("CORP", "MTLS_ENABLED"): "1"}, [pv("CORP", "MTLS_ENABLED")], sprintf("%s is empty", [pv("CORP", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH")]))
}

test_mtls_with_bundle_or_off_passes if {
	clean(corp + {pv("CORP", "MTLS_ENABLED"): "true", pv("CORP", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH"): "/ca.pem"})
	clean(corp + {pv("CORP", "MTLS_ENABLED"): "TRUE"})
}

test_intune_without_connector_denies if {
	one_deny(corp + {pv("IOT-1", "INTUNE_ENABLED"): "true"}, [pv("IOT-1", "INTUNE_ENABLED")], sprintf("%s is empty", [pv("IOT-1", "INTUNE_CONNECTOR_CERT_PATH")]))
}

test_intune_with_connector_passes if {
	clean(corp + {pv("IOT-1", "INTUNE_ENABLED"): "true", pv("IOT-1", "INTUNE_CONNECTOR_CERT_PATH"): "/intune.pem"})
}

# Intune numbers.
test_negative_device_limit_denies if {
	one_deny(corp + {pv("CORP", "INTUNE_PER_DEVICE_RATE_LIMIT_24H"): "-1"}, [pv("CORP", "INTUNE_PER_DEVICE_RATE_LIMIT_24H")], "=-1 is negative")
}

test_zero_device_limit_passes if {
	clean(corp + {pv("CORP", "INTUNE_PER_DEVICE_RATE_LIMIT_24H"): "0"})
	clean(corp + {pv("CORP", "INTUNE_PER_DEVICE_RATE_LIMIT_24H"): "+007"})
}

test_negative_skew_denies_with_intune_off if {
	one_deny(corp + {pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "-1s"}, [pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE")], "=-1s is negative")
}

test_skew_at_validity_denies if {
	one_deny(corp + {pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "1h"}, [pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE")], sprintf("%s (unset: default 60m)", [pv("CORP", "INTUNE_CHALLENGE_VALIDITY")]))
	one_deny(corp + {pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "30s"}, [pv("CORP", "INTUNE_CHALLENGE_VALIDITY")], sprintf("%s (unset: default 60s) is not below %s=30s", [pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"), pv("CORP", "INTUNE_CHALLENGE_VALIDITY")]))
	one_deny(corp + {pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "5m", pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "300s"}, [pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE")], "is not below")
}

test_skew_below_validity_passes if {
	clean(corp + {pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "59m59.999s"})
	clean(corp + {pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "0", pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "1ns"})
}

test_non_positive_validity_is_not_compared if {
	clean(corp + {pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "0"})
	clean(corp + {pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "-5m"})
}

# Values that do not parse fall back to the default, silently.
test_unparsable_numbers_warn if {
	vars := corp + {
		pv("CORP", "INTUNE_PER_DEVICE_RATE_LIMIT_24H"): "3/day",
		pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "60",
		pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "1d",
	}
	count(denies(vars)) == 0
	w := warns(vars)
	count(w) == 3
	some x in w
	contains(x.msg, sprintf(`%s="60" is not a Go duration`, [pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE")]))
	contains(x.msg, "default 60s")
}

test_unparsable_validity_uses_default_in_comparison if {
	# "30" has no unit: certctl uses 60m, and 2h is not below it
	vars := corp + {pv("CORP", "INTUNE_CHALLENGE_VALIDITY"): "30", pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE"): "2h"}
	one_deny(vars, [pv("CORP", "INTUNE_CLOCK_SKEW_TOLERANCE")], sprintf(`%s ("30" does not parse: default 60m)`, [pv("CORP", "INTUNE_CHALLENGE_VALIDITY")]))
	count(warns(vars)) == 1
}

test_numbers_of_unlisted_profiles_are_ignored if {
	clean(corp + {pv("WIFI", "INTUNE_CLOCK_SKEW_TOLERANCE"): "-1s", pv("WIFI", "INTUNE_PER_DEVICE_RATE_LIMIT_24H"): "x"})
}

# Values known only at run time.
test_unknown_enabled_warns if {
	doc := with_unknown(server(without(corp, pv("CORP", "ISSUER_ID"))), "CERTCTL_SCEP_ENABLED", false)
	count(cfg_scep.deny) == 0 with input as doc
	w := cfg_scep.warn with input as doc
	count(w) == 1
	some x in w
	contains(x.msg, "if that holds at run time (CERTCTL_SCEP_ENABLED known only then)")
}

test_unknown_enabled_clean_profiles_pass if {
	doc := with_unknown(server(corp), "CERTCTL_SCEP_ENABLED", false)
	count(cfg_scep.deny) == 0 with input as doc
	count(cfg_scep.warn) == 0 with input as doc
}

test_unknown_password_is_not_empty if {
	doc := with_unknown(server(without(corp, pv("CORP", "CHALLENGE_PASSWORD"))), pv("CORP", "CHALLENGE_PASSWORD"), false)
	count(cfg_scep.deny) == 0 with input as doc
	count(cfg_scep.warn) == 0 with input as doc
}

test_maybe_empty_password_warns if {
	doc := with_unknown(server(corp), pv("CORP", "CHALLENGE_PASSWORD"), true)
	count(cfg_scep.deny) == 0 with input as doc
	w := cfg_scep.warn with input as doc
	count(w) == 1
	some x in w
	x.ref.path == [pv("CORP", "CHALLENGE_PASSWORD")]
}

test_unknown_mtls_switch_warns if {
	doc := with_unknown(server(corp), pv("CORP", "MTLS_ENABLED"), false)
	count(cfg_scep.deny) == 0 with input as doc
	count(cfg_scep.warn) == 1 with input as doc
}

test_unknown_profile_list_is_not_judged if {
	doc := with_unknown(server({"CERTCTL_SCEP_ENABLED": "true"}), "CERTCTL_SCEP_PROFILES", false)
	count(cfg_scep.deny) == 0 with input as doc
	count(cfg_scep.warn) == 0 with input as doc
}

test_maybe_empty_profile_list_warns_about_legacy if {
	doc := with_unknown(server({"CERTCTL_SCEP_ENABLED": "true"}), "CERTCTL_SCEP_PROFILES", true)
	count(cfg_scep.deny) == 0 with input as doc
	count(cfg_scep.warn) == 3 with input as doc
}

test_open_environment_absence_is_unknown if {
	doc := server({"CERTCTL_SCEP_ENABLED": "true", "CERTCTL_SCEP_PROFILES": "corp"})
	open := object.union(doc, {"envs": [object.union(doc.envs[0], {"labels": {"env_from_unresolved": true}})]})
	count(cfg_scep.deny) == 0 with input as open
	count(cfg_scep.warn) == 0 with input as open
}

test_agent_environment_ignored if {
	doc := {"meta": {}, "envs": [{"id": "a", "role": "agent", "vars": {"CERTCTL_SCEP_ENABLED": {"value": "true", "known": true, "ref": null}}}]}
	count(cfg_scep.deny) == 0 with input as doc
}
