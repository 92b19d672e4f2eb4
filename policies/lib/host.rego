# The files certctl reads after loading its configuration (TLS pair, SCEP RA
# material, trust bundles), for the startup gate's host facts (input.host) and
# for the lint-side mount checks. METADATA for this package lives in
# certctl.rego.
package certgate.lib

scep_enabled := "CERTCTL_SCEP_ENABLED"

scep_list := "CERTCTL_SCEP_PROFILES"

est_enabled := "CERTCTL_EST_ENABLED"

est_list := "CERTCTL_EST_PROFILES"

# host_files are the files a server environment makes certctl read, each
# {"name": the variable, "kind": tls_cert | tls_key | ra_cert | ra_key |
# bundle, "what": what the file is, "conds": [[name, state], ...]}: the
# switches (lib.cond_on and friends) under which certctl reads it, none for
# the TLS pair. Judge them with conds_hold (certainly read) and
# conds_uncertain (read if the run-time values say so).
host_files(env) := ((tls_host_files | scep_legacy_files(env)) | scep_profile_files(env)) | est_profile_files(env)

tls_host_files := {
	{"name": "CERTCTL_SERVER_TLS_CERT_PATH", "kind": "tls_cert", "what": "the server's TLS certificate", "conds": []},
	{"name": "CERTCTL_SERVER_TLS_KEY_PATH", "kind": "tls_key", "what": "the server's TLS private key", "conds": []},
}

scep_legacy_files(env) := {f |
	s := cond_on(env, scep_enabled)
	s != "no"
	none := no_profiles(env, scep_list)
	none != "no"
	some x in [["CERTCTL_SCEP_RA_CERT_PATH", "ra_cert", "certificate"], ["CERTCTL_SCEP_RA_KEY_PATH", "ra_key", "private key"]]
	f := {"name": x[0], "kind": x[1], "what": sprintf("the RA %s of the SCEP profile at /scep", [x[2]]), "conds": [[scep_enabled, s], [scep_list, none]]}
}

scep_profile_files(env) := {f |
	s := cond_on(env, scep_enabled)
	s != "no"
	some profile in profiles(env, scep_list)
	some f in scep_files_of(env, s, profile)
}

scep_files_of(env, s, profile) := {f |
	some x in [["RA_CERT_PATH", "ra_cert", "RA certificate"], ["RA_KEY_PATH", "ra_key", "RA private key"]]
	f := {
		"name": profile_var("CERTCTL_SCEP_PROFILE_", profile, x[0]),
		"kind": x[1],
		"what": sprintf("the %s of SCEP profile %q", [x[2], profile.path_id]),
		"conds": [[scep_enabled, s]],
	}
} | {f |
	some x in [["MTLS_ENABLED", "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH", "mTLS client CA trust bundle"], ["INTUNE_ENABLED", "INTUNE_CONNECTOR_CERT_PATH", "Intune connector certificate bundle"]]
	flag := profile_var("CERTCTL_SCEP_PROFILE_", profile, x[0])
	on := cond_on(env, flag)
	on != "no"
	f := {
		"name": profile_var("CERTCTL_SCEP_PROFILE_", profile, x[1]),
		"kind": "bundle",
		"what": sprintf("the %s of SCEP profile %q", [x[2], profile.path_id]),
		"conds": [[scep_enabled, s], [flag, on]],
	}
}

est_profile_files(env) := {f |
	s := cond_on(env, est_enabled)
	s != "no"
	some profile in profiles(env, est_list)
	flag := profile_var("CERTCTL_EST_PROFILE_", profile, "MTLS_ENABLED")
	on := cond_on(env, flag)
	on != "no"
	f := {
		"name": profile_var("CERTCTL_EST_PROFILE_", profile, "MTLS_CLIENT_CA_TRUST_BUNDLE_PATH"),
		"kind": "bundle",
		"what": sprintf("the mTLS client CA trust bundle of EST profile %q", [profile.path_id]),
		"conds": [[est_enabled, s], [flag, on]],
	}
}

# host_read are the files certctl certainly reads in the environment the gate
# judges, with what the gate found: [file, facts] (host_files entries whose
# conditions hold and whose variable the host facts describe).
host_read contains [hf, facts] if {
	input.host
	some hf in host_files(probed_env)
	conds_hold(hf.conds)
	facts := input.host.files[hf.name]
}

# octal formats a file mode as chmod writes it (0644).
octal(mode) := sprintf("%04o", [mode])

# group_or_other: a mode with any group or other permission bit.
group_or_other(mode) if bits.and(mode, 63) != 0

# ns is a unix time in seconds as nanoseconds, for time.format.
day_of(unix) := time.format([unix * 1000000000, "UTC", "2006-01-02"])

# expired: certctl compares time.Now() with NotAfter, whose precision is a
# second, so the whole second of NotAfter already counts as expired.
expired(cert) if input.meta.now_unix >= cert.not_after
