package certgate.cfg_mount_test

import data.certgate.cfg_mount

v(x) := {"value": x, "known": true, "ref": null}

tls_vars := {
	"CERTCTL_SERVER_TLS_CERT_PATH": v("/etc/certctl/tls/server.crt"),
	"CERTCTL_SERVER_TLS_KEY_PATH": v("/etc/certctl/tls/server.key"),
}

scep_vars := object.union(tls_vars, {
	"CERTCTL_SCEP_ENABLED": v("true"),
	"CERTCTL_SCEP_RA_CERT_PATH": v("/etc/certctl/scep/ra.crt"),
	"CERTCTL_SCEP_RA_KEY_PATH": v("/etc/certctl/scep/ra.key"),
})

pod(vars, mounts) := {"envs": [{
	"id": "Deployment/certctl container server", "origin": "container", "role": "server",
	"ref": null, "vars": vars, "labels": {"container": "server"}, "mounts": mounts,
}]}

secret_mount(path, name, files) := {"path": path, "sub_path": "", "sub_path_expr": false, "read_only": true, "volume": name, "source": "secret", "files": files}

all_keys(mode) := {"default_mode": mode, "all_keys": true, "items": []}

tls_mount := secret_mount("/etc/certctl/tls", "tls", all_keys(288))

ra_mount(files) := secret_mount("/etc/certctl/scep", "ra", files)

errors(doc) := fs if {
	fs := cfg_mount.deny with input as doc
}

only(fs, texts) if {
	count(fs) == 1
	some f in fs
	every t in texts {
		contains(f.msg, t)
	}
}

# Mounts: a TLS pair without any mount, on the mount, beside it.

test_tls_without_mount if {
	fs := errors(pod(tls_vars, []))
	count(fs) == 2
	some f in fs
	contains(f.msg, "CERTCTL_SERVER_TLS_CERT_PATH=/etc/certctl/tls/server.crt (the server's TLS certificate) is not on any volume mount of container server")
}

test_tls_on_mount if count(errors(pod(tls_vars, [tls_mount]))) == 0

test_mount_is_path_aware if {
	fs := errors(pod(tls_vars, [secret_mount("/etc/certctl/tl", "tls", all_keys(288))]))
	count(fs) == 2
}

test_mount_with_trailing_slash if count(errors(pod(tls_vars, [secret_mount("/etc/certctl/tls/", "tls", all_keys(288))]))) == 0

test_root_mount_covers_all if count(errors(pod(tls_vars, [secret_mount("/", "tls", all_keys(288))]))) == 0

test_file_mount_with_sub_path if {
	cert := object.union(secret_mount("/etc/certctl/tls/server.crt", "tls", all_keys(288)), {"sub_path": "server.crt"})
	key := object.union(secret_mount("/etc/certctl/tls/server.key", "tls", all_keys(288)), {"sub_path": "server.key"})
	count(errors(pod(tls_vars, [cert, key]))) == 0
}

test_unknown_path_not_judged if {
	vars := {"CERTCTL_SERVER_TLS_CERT_PATH": {"value": "", "known": false, "ref": null}}
	count(errors(pod(vars, []))) == 0
}

test_relative_path_not_judged if count(errors(pod({"CERTCTL_SERVER_TLS_CERT_PATH": v("tls/server.crt")}, []))) == 0

test_kubernetes_variable_reference_not_judged if count(errors(pod({"CERTCTL_SERVER_TLS_CERT_PATH": v("$(TLS_DIR)/server.crt")}, []))) == 0

test_agent_not_judged if {
	doc := pod(tls_vars, [])
	agent := {"envs": [object.union(doc.envs[0], {"role": "agent"})]}
	count(errors(agent)) == 0
}

test_scep_off_ra_not_judged if {
	vars := object.union(scep_vars, {"CERTCTL_SCEP_ENABLED": v("false")})
	count(errors(pod(vars, [tls_mount]))) == 0
}

test_scep_unknown_switch_not_judged if {
	vars := object.union(scep_vars, {"CERTCTL_SCEP_ENABLED": {"value": "", "known": false, "ref": null}})
	count(errors(pod(vars, [tls_mount]))) == 0
}

test_scep_on_ra_without_mount if {
	fs := errors(pod(scep_vars, [tls_mount]))
	count(fs) == 2
	some f in fs
	contains(f.msg, "CERTCTL_SCEP_RA_KEY_PATH=/etc/certctl/scep/ra.key")
}

# Items: a volume listing items holds only those files.

test_items_miss_the_file if {
	files := {"default_mode": 288, "all_keys": false, "items": [{"path": "tls.crt", "mode": 288}, {"path": "tls.key", "mode": 288}]}
	fs := errors(pod(tls_vars, [secret_mount("/etc/certctl/tls", "tls", files)]))
	count(fs) == 2
	some f in fs
	contains(f.msg, "whose items hold no file server.crt")
}

test_items_hold_the_file if {
	files := {"default_mode": 288, "all_keys": false, "items": [{"path": "server.crt", "mode": 288}, {"path": "server.key", "mode": 288}]}
	count(errors(pod(tls_vars, [secret_mount("/etc/certctl/tls", "tls", files)]))) == 0
}

test_items_dir_is_not_a_missing_file if {
	files := {"default_mode": 288, "all_keys": false, "items": [{"path": "server.crt/x", "mode": 288}, {"path": "server.key", "mode": 288}]}
	count(errors(pod(tls_vars, [secret_mount("/etc/certctl/tls", "tls", files)]))) == 0
}

test_nested_mount_hides_outer if {
	outer := secret_mount("/etc/certctl", "outer", all_keys(256))
	inner := secret_mount("/etc/certctl/tls", "tls", {"default_mode": 288, "all_keys": false, "items": [{"path": "other", "mode": 288}]})
	count(errors(pod(tls_vars, [outer, inner]))) == 2
}

test_empty_dir_not_judged_for_files if count(errors(pod(tls_vars, [{"path": "/etc/certctl/tls", "sub_path": "", "sub_path_expr": false, "read_only": false, "volume": "x", "source": "emptyDir"}]))) == 0

# RA key modes.

test_ra_key_default_mode if {
	fs := errors(pod(scep_vars, [tls_mount, ra_mount(all_keys(420))]))
	only(fs, ["CERTCTL_SCEP_RA_KEY_PATH=/etc/certctl/scep/ra.key", "gets mode 0644 from volume ra", "Kubernetes' default"])
}

test_ra_key_mode_0400 if count(errors(pod(scep_vars, [tls_mount, ra_mount(all_keys(256))]))) == 0

test_ra_key_mode_0600 if count(errors(pod(scep_vars, [tls_mount, ra_mount(all_keys(384))]))) == 0

test_ra_key_default_mode_0440 if {
	fs := errors(pod(scep_vars, [tls_mount, ra_mount(all_keys(288))]))
	only(fs, ["gets mode 0440", "defaultMode 0440"])
}

test_ra_key_item_mode if {
	files := {"default_mode": 256, "all_keys": false, "items": [{"path": "ra.crt", "mode": 256}, {"path": "ra.key", "mode": 416}]}
	only(errors(pod(scep_vars, [tls_mount, ra_mount(files)])), ["gets mode 0640", "items[] mode 0640"])
}

test_ra_key_item_mode_0400_over_default if {
	files := {"default_mode": 420, "all_keys": false, "items": [{"path": "ra.crt", "mode": 420}, {"path": "ra.key", "mode": 256}]}
	count(errors(pod(scep_vars, [tls_mount, ra_mount(files)]))) == 0
}

test_ra_key_fs_group if {
	m := object.union(ra_mount(all_keys(256)), {"fs_group": 1000})
	only(errors(pod(scep_vars, [tls_mount, m])), ["gets mode 0440", "fsGroup 1000 adds group read"])
}

test_ra_key_fs_group_zero if {
	m := object.union(ra_mount(all_keys(256)), {"fs_group": 0})
	only(errors(pod(scep_vars, [tls_mount, m])), ["fsGroup 0"])
}

test_ra_key_unknown_mode_not_judged if count(errors(pod(scep_vars, [tls_mount, ra_mount(all_keys(-1))]))) == 0

test_ra_key_sub_path_expr_not_judged if {
	m := object.union(ra_mount(all_keys(420)), {"sub_path_expr": true})
	count(errors(pod(scep_vars, [tls_mount, m]))) == 0
}

test_ra_key_on_host_path_not_judged if {
	m := {"path": "/etc/certctl/scep", "sub_path": "", "sub_path_expr": false, "read_only": true, "volume": "ra", "source": "hostPath", "fs_group": 1000}
	count(errors(pod(scep_vars, [tls_mount, m]))) == 0
}

test_tls_key_mode_not_judged if count(errors(pod(tls_vars, [secret_mount("/etc/certctl/tls", "tls", all_keys(420))]))) == 0

test_profile_ra_key if {
	vars := object.union(tls_vars, {
		"CERTCTL_SCEP_ENABLED": v("true"),
		"CERTCTL_SCEP_PROFILES": v("corp"),
		"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH": v("/etc/certctl/scep/ra.crt"),
		"CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH": v("/etc/certctl/scep/ra.key"),
	})
	only(errors(pod(vars, [tls_mount, ra_mount(all_keys(420))])), ["CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH"])
}

# Compose.

compose_env(vars) := {
	"id": "base service server", "origin": "compose-service", "role": "server",
	"ref": null, "vars": vars, "labels": {"service": "server", "set": "base"},
}

compose(vars, cfg) := {
	"envs": [compose_env(vars)],
	"compose": [{"ref": null, "labels": {"set": "base"}, "value": {"services": {"server": {"config": cfg}}}}],
}

tls_bind := {"type": "bind", "source": "/srv/tls", "target": "/etc/certctl/tls", "read_only": true}

test_compose_without_volume if {
	fs := errors(compose(tls_vars, {"volumes": [{"type": "volume", "source": "data", "target": "/var/data"}]}))
	count(fs) == 2
	some f in fs
	contains(f.msg, "is not on any volume mount of compose service server")
}

test_compose_with_volume if count(errors(compose(tls_vars, {"volumes": [tls_bind]}))) == 0

test_compose_short_volume if count(errors(compose(tls_vars, {"volumes": ["./tls:/etc/certctl/tls:ro"]}))) == 0

test_compose_unknown_target_not_judged if count(errors(compose(tls_vars, {"volumes": [{"type": "bind", "source": "/x", "target": "${TLS_DIR}"}]}))) == 0

test_compose_other_set_not_used if {
	doc := compose(tls_vars, {"volumes": [tls_bind]})
	other := object.union(doc, {"compose": [object.union(doc.compose[0], {"labels": {"set": "other"}})]})
	count(errors(other)) == 0
}

compose_ra_vars := object.union(scep_vars, {"CERTCTL_SCEP_RA_CERT_PATH": v("/run/secrets/ra.crt"), "CERTCTL_SCEP_RA_KEY_PATH": v("/run/secrets/ra_key")})

test_compose_secret_default_target if {
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}, {"source": "ra_key"}]}
	count(errors(compose(compose_ra_vars, cfg))) == 0
}

test_compose_secret_relative_target if {
	vars := object.union(compose_ra_vars, {"CERTCTL_SCEP_RA_KEY_PATH": v("/run/secrets/scep/ra.key")})
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}, {"source": "k", "target": "scep/ra.key", "mode": "0400"}]}
	count(errors(compose(vars, cfg))) == 0
}

test_compose_secret_missing if {
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}]}
	only(errors(compose(compose_ra_vars, cfg)), ["CERTCTL_SCEP_RA_KEY_PATH=/run/secrets/ra_key"])
}

test_compose_secret_mode_0440 if {
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}, {"source": "ra_key", "mode": "0440"}]}
	only(errors(compose(compose_ra_vars, cfg)), ["compose secret ra_key of service server with mode 0440"])
}

test_compose_secret_mode_0o644 if {
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}, {"source": "ra_key", "mode": "0o644"}]}
	only(errors(compose(compose_ra_vars, cfg)), ["mode 0644"])
}

test_compose_secret_mode_number if {
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}, {"source": "ra_key", "mode": 420}]}
	only(errors(compose(compose_ra_vars, cfg)), ["mode 0644"])
}

test_compose_secret_mode_0400 if {
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra.crt"}, {"source": "ra_key", "mode": "0400"}]}
	count(errors(compose(compose_ra_vars, cfg))) == 0
}

test_compose_bind_mode_not_judged if {
	vars := object.union(scep_vars, {})
	cfg := {"volumes": [tls_bind, {"type": "bind", "source": "/srv/scep", "target": "/etc/certctl/scep"}]}
	count(errors(compose(vars, cfg))) == 0
}

test_compose_config_default_target if {
	vars := object.union(compose_ra_vars, {"CERTCTL_SCEP_RA_CERT_PATH": v("/ra.crt")})
	cfg := {"volumes": [tls_bind], "secrets": [{"source": "ra_key"}], "configs": [{"source": "ra.crt"}]}
	count(errors(compose(vars, cfg))) == 0
}

test_octal_mode if {
	cfg_mount.octal_mode("0400") == 256
	cfg_mount.octal_mode("0o640") == 416
	cfg_mount.octal_mode("644") == 420
	not cfg_mount.octal_mode("0800")
	not cfg_mount.octal_mode("${MODE}")
}
