package certgate.depl_m2_test

import data.certgate.depl_m2

m_obj(kind, value, labels) := {
	"ref": {"file": "stream.yaml", "doc": 2, "path": []},
	"value": object.union({"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}}, value),
	"labels": object.union({"release": "r", "subject": sprintf("%s x", [kind])}, labels),
}

m_has(set, s) if {
	some f in set
	contains(f.msg, s)
}

secret_data(v) := m_obj("Secret", {"data": {"password": base64.encode(v)}}, {})

test_secret_data_change_me_denied if {
	some f in depl_m2.deny with input as {"manifests": [secret_data("change-me-postgres")], "files": []}
	contains(f.msg, "Secret data key password holds a change-me- placeholder")
	not contains(f.msg, "change-me-postgres")
	f.ref == {"file": "stream.yaml", "doc": 2, "path": ["data", "password"]}
	f.subject == "Secret x"
}

test_secret_data_real_value_passes if {
	count(depl_m2.deny) == 0 with input as {"manifests": [secret_data("s3cr3t-random")], "files": []}
	count(depl_m2.warn) == 0 with input as {"manifests": [secret_data("s3cr3t-random")], "files": []}
}

test_secret_data_not_base64_is_skipped if {
	bad := m_obj("Secret", {"data": {"password": "change-me-!!"}}, {})
	count(depl_m2.deny) == 0 with input as {"manifests": [bad], "files": []}
}

test_secret_string_data_denied if {
	s := m_obj("Secret", {"stringData": {"token": "CHANGE-ME-token"}}, {})
	m_has(depl_m2.deny, "Secret stringData key token") with input as {"manifests": [s], "files": []}
	ok := m_obj("Secret", {"stringData": {"token": "abc"}}, {})
	count(depl_m2.deny) == 0 with input as {"manifests": [ok], "files": []}
}

test_configmap_data_denied if {
	cm := m_obj("ConfigMap", {"data": {"url": "postgres://u:change-me-pw@db/x"}}, {})
	m_has(depl_m2.deny, "ConfigMap data key url") with input as {"manifests": [cm], "files": []}
	ok := m_obj("ConfigMap", {"data": {"url": "postgres://db/x"}}, {})
	count(depl_m2.deny) == 0 with input as {"manifests": [ok], "files": []}
}

deployment_env(v) := m_obj("Deployment", {"spec": {"template": {"spec": {"containers": [{"name": "server", "env": [{"name": "A", "value": "ok"}, {"name": "CERTCTL_AUTH_SECRET", "value": v}]}]}}}}, {})

test_env_literal_denied if {
	some f in depl_m2.deny with input as {"manifests": [deployment_env("change-me-auth")], "files": []}
	contains(f.msg, "env CERTCTL_AUTH_SECRET of container server")
	f.ref.path == ["spec", "template", "spec", "containers", 0, "env", 1, "value"]
}

test_env_literal_real_value_passes if {
	count(depl_m2.deny) == 0 with input as {"manifests": [deployment_env("from-a-vault")], "files": []}
}

test_init_container_and_cronjob_env_denied if {
	cj := m_obj("CronJob", {"spec": {"jobTemplate": {"spec": {"template": {"spec": {"initContainers": [{"name": "init", "env": [{"name": "P", "value": "change-me-p"}]}]}}}}}}, {})
	m_has(depl_m2.deny, "env P of container init") with input as {"manifests": [cj], "files": []}
}

# The chart's gate: an init container with a copy of the server's env is not
# judged again; the server container keeps its finding.
gate_pod(init_env) := m_obj(
	"Deployment", {"spec": {"template": {"spec": {
		"initContainers": [{"name": "certgate", "image": "ghcr.io/certgate/certgate:0.1.0", "env": init_env}],
		"containers": [{"name": "server", "env": [{"name": "A", "value": "ok"}, {"name": "CERTCTL_AUTH_SECRET", "value": "change-me-auth"}]}],
	}}}},
	{},
)

test_init_container_copy_of_server_env_reported_once if {
	pod := gate_pod([{"name": "A", "value": "ok"}, {"name": "CERTCTL_AUTH_SECRET", "value": "change-me-auth"}])
	fs := depl_m2.deny with input as {"manifests": [pod], "files": []}
	count(fs) == 1
	some f in fs
	contains(f.msg, "env CERTCTL_AUTH_SECRET of container server")
	f.ref.path == ["spec", "template", "spec", "containers", 0, "env", 1, "value"]
}

test_init_container_own_placeholder_denied if {
	pod := gate_pod([{"name": "CERTCTL_AUTH_SECRET", "value": "change-me-other"}])
	fs := depl_m2.deny with input as {"manifests": [pod], "files": []}
	count(fs) == 2
	m_has(fs, "env CERTCTL_AUTH_SECRET of container certgate")
}

test_other_placeholder_warns if {
	m_has(depl_m2.warn, "well-known placeholder") with input as {"manifests": [deployment_env("changeme")], "files": []}
	count(depl_m2.deny) == 0 with input as {"manifests": [deployment_env("changeme")], "files": []}
}

test_demo_profile_is_exempt if {
	demo := object.union(secret_data("change-me-postgres"), {"labels": {"demo": "true"}})
	count(depl_m2.deny) == 0 with input as {"manifests": [demo], "files": []}
	demo_env := object.union(deployment_env("changeme"), {"labels": {"demo": "true"}})
	count(depl_m2.warn) == 0 with input as {"manifests": [demo_env], "files": []}
}

values_file(role, docs) := {"id": "my-values.yaml", "path": "my-values.yaml", "kind": "helm-values", "role": role, "docs": [docs]}

test_values_file_denied if {
	f := values_file("overlay", {"postgresql": {"auth": {"password": "change-me-pg"}}})
	some x in depl_m2.deny with input as {"manifests": [], "files": [f]}
	contains(x.msg, "values key postgresql.auth.password")
	x.ref == {"file": "my-values.yaml", "doc": 0, "path": ["postgresql", "auth", "password"]}
}

test_values_file_list_index_in_message if {
	f := values_file("base", {"server": {"env": [{"name": "X", "value": "replace-with-token"}]}})
	m_has(depl_m2.warn, "values key server.env.0.value") with input as {"manifests": [], "files": [f]}
}

test_values_file_demo_or_clean_passes if {
	demo := values_file("demo", {"password": "change-me-pg"})
	count(depl_m2.deny) == 0 with input as {"manifests": [], "files": [demo]}
	clean := values_file("overlay", {"password": "vault:pg"})
	count(depl_m2.deny) == 0 with input as {"manifests": [], "files": [clean]}
	count(depl_m2.warn) == 0 with input as {"manifests": [], "files": [clean]}
}
