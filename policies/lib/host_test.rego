package certgate.lib_test

import data.certgate.lib

names(files) := {f.name | some f in files}

test_host_files_tls_pair_always if {
	names(lib.host_files(env({}))) == {"CERTCTL_SERVER_TLS_CERT_PATH", "CERTCTL_SERVER_TLS_KEY_PATH"}
}

test_host_files_legacy_scep_only_when_enabled if {
	on := names(lib.host_files(env({"CERTCTL_SCEP_ENABLED": "true"})))
	"CERTCTL_SCEP_RA_CERT_PATH" in on
	"CERTCTL_SCEP_RA_KEY_PATH" in on
	off := names(lib.host_files(env({"CERTCTL_SCEP_ENABLED": "false"})))
	not "CERTCTL_SCEP_RA_KEY_PATH" in off
}

test_host_files_scep_profile_bundle_behind_its_switch if {
	with_mtls := names(lib.host_files(env({"CERTCTL_SCEP_ENABLED": "true", "CERTCTL_SCEP_PROFILES": "corp", "CERTCTL_SCEP_PROFILE_CORP_MTLS_ENABLED": "true"})))
	"CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH" in with_mtls
	"CERTCTL_SCEP_PROFILE_CORP_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH" in with_mtls
	not "CERTCTL_SCEP_RA_KEY_PATH" in with_mtls
	without := names(lib.host_files(env({"CERTCTL_SCEP_ENABLED": "true", "CERTCTL_SCEP_PROFILES": "corp"})))
	not "CERTCTL_SCEP_PROFILE_CORP_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH" in without
}

test_host_files_est_bundle_behind_its_switch if {
	on := names(lib.host_files(env({"CERTCTL_EST_ENABLED": "true", "CERTCTL_EST_PROFILES": "dev", "CERTCTL_EST_PROFILE_DEV_MTLS_ENABLED": "1"})))
	"CERTCTL_EST_PROFILE_DEV_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH" in on
	off := names(lib.host_files(env({"CERTCTL_EST_ENABLED": "true", "CERTCTL_EST_PROFILES": "dev"})))
	not "CERTCTL_EST_PROFILE_DEV_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH" in off
}

test_group_or_other if {
	lib.group_or_other(420) # 0644
	lib.group_or_other(416) # 0640
	lib.group_or_other(257) # 0401
	not lib.group_or_other(256) # 0400
	not lib.group_or_other(384) # 0600
}

test_octal if {
	lib.octal(420) == "0644"
	lib.octal(256) == "0400"
}

test_expired_from_not_after_second if {
	lib.expired({"not_after": 100}) with input.meta.now_unix as 100
	not lib.expired({"not_after": 101}) with input.meta.now_unix as 100
}
