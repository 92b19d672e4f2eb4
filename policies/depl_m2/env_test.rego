package certgate.depl_m2_test

import data.certgate.depl_m2

env_doc(role, m) := {"meta": {"certctl_version": "2.2.0", "now_unix": 0}, "files": [], "envs": [{"id": "e", "role": role, "origin": "process", "vars": {k: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [k]}} | some k, v in m}}]}

srv(m) := env_doc("server", m)

msgs(set) := concat("\n", [f.msg | some f in set])

test_env_certctl_literals_deny_without_ack if {
	every name, v in {"CERTCTL_AUTH_SECRET": "change-me-in-production", "CERTCTL_CONFIG_ENCRYPTION_KEY": "change-me-32-char-encryption-key"} {
		d := depl_m2.deny with input as srv({name: v})
		count(d) == 1
		contains(msgs(d), sprintf("%s is certctl's published demo placeholder: the server refuses to start without a demo acknowledgement", [name]))
		not contains(msgs(d), v)
	}
	every version in ["2.1.0", "2.1.4"] {
		count(depl_m2.deny) == 1 with input as srv({"CERTCTL_AUTH_SECRET": "change-me-in-production"}) with input.meta.certctl_version as version
	}
}

test_env_certctl_literals_pass_with_ack if {
	doc := srv({"CERTCTL_AUTH_SECRET": "change-me-in-production", "CERTCTL_CONFIG_ENCRYPTION_KEY": "change-me-32-char-encryption-key", "CERTCTL_DEMO_MODE_ACK": "true"})
	count(depl_m2.deny) == 0 with input as doc
	count(depl_m2.warn) == 0 with input as doc
}

test_env_certctl_literal_is_exact if {
	# Another change-me- value is certgate's refusal, not certctl's.
	d := depl_m2.deny with input as srv({"CERTCTL_AUTH_SECRET": "change-me-in-production "})
	count(d) == 1
	contains(msgs(d), "certctl starts with it")
	d2 := depl_m2.deny with input as srv({"CERTCTL_AUTH_SECRET": "CHANGE-ME-IN-PRODUCTION"})
	contains(msgs(d2), "certctl starts with it")
}

test_env_certctl_literal_ack_unknown_warns if {
	doc := json.patch(srv({"CERTCTL_AUTH_SECRET": "change-me-in-production"}), [{"op": "add", "path": "/envs/0/vars/CERTCTL_DEMO_MODE_ACK", "value": {"value": "", "known": false, "ref": null}}])
	count(depl_m2.deny) == 0 with input as doc
	w := depl_m2.warn with input as doc
	count(w) == 1
	contains(msgs(w), "unless CERTCTL_DEMO_MODE_ACK resolves to true")
}

test_env_other_placeholders_in_secrets_deny if {
	every name, v in {
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "changeme",
		"CERTCTL_AUTH_SECRET": "Replace-With-A-Secret",
		"POSTGRES_PASSWORD": "CHANGE_ME",
		"CERTCTL_API_KEYS_NAMED": "ops:<your-api-key>",
		"CERTCTL_CONFIG_ENCRYPTION_KEY": "change-me-please-0123456789abcdef",
		"CERTCTL_SCEP_CHALLENGE_PASSWORD": "change-me-scep",
		"CERTCTL_EST_PROFILE_CORP_ENROLLMENT_PASSWORD": "<YOUR_PASSWORD>",
	} {
		d := depl_m2.deny with input as srv({name: v})
		count(d) == 1
		contains(msgs(d), sprintf("%s holds a well-known placeholder", [name]))
		not contains(msgs(d), v)
	}
}

test_env_database_url_password if {
	d := depl_m2.deny with input as srv({"CERTCTL_DATABASE_URL": "postgres://certctl:change-me-db@db:5432/certctl?sslmode=require"})
	count(d) == 1
	contains(msgs(d), "the password in CERTCTL_DATABASE_URL holds a well-known placeholder")
	not contains(msgs(d), "change-me-db")
	count(depl_m2.deny) == 1 with input as srv({"CERTCTL_DATABASE_URL": "host=db user=certctl password='changeme' dbname=certctl"})
	count(depl_m2.deny) == 1 with input as srv({"CERTCTL_DATABASE_URL": "host=db password=changeme"})
	count(depl_m2.deny) == 0 with input as srv({"CERTCTL_DATABASE_URL": "postgres://certctl:Pw7real@change-me-host/certctl"})
	count(depl_m2.deny) == 0 with input as srv({"CERTCTL_DATABASE_URL": "postgres://certctl:$(POSTGRES_PASSWORD)@db/certctl"})
	count(depl_m2.deny) == 0 with input as srv({"CERTCTL_DATABASE_URL": "postgres://db/certctl"})
}

test_env_non_secret_variables_pass if {
	every name in ["CERTCTL_SERVER_HOST", "CERTCTL_SERVER_TLS_KEY_PATH", "CERTCTL_KEYGEN_MODE", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY", "CERTCTL_AGENT_NAME"] {
		count(depl_m2.deny) == 0 with input as srv({name: "change-me-x"})
	}
}

# A placeholder anywhere in the environment makes each variable be looked at:
# only the secret that holds one is reported, once.
test_env_only_the_placeholder_secret_is_reported if {
	d := depl_m2.deny with input as srv({
		"CERTCTL_AUTH_SECRET": "Zq8adminSecretValue4711xx",
		"CERTCTL_AGENT_NAME": "changeme-agent",
		"POSTGRES_PASSWORD": "Change-Me-Now",
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "Tk9bootstrapTokenValue0815",
	})
	count(d) == 1
	contains(msgs(d), "POSTGRES_PASSWORD holds a well-known placeholder")
}

test_env_real_secrets_pass if {
	doc := srv({"CERTCTL_AUTH_SECRET": "Zq8adminSecretValue4711xx", "POSTGRES_PASSWORD": "change", "CERTCTL_AGENT_BOOTSTRAP_TOKEN": "your-token"})
	count(depl_m2.deny) == 0 with input as doc
	count(depl_m2.warn) == 0 with input as doc
}

test_env_other_placeholders_pass_in_an_acknowledged_demo if {
	count(depl_m2.deny) == 0 with input as srv({"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "changeme", "CERTCTL_DEMO_MODE_ACK": "yes"})
	count(depl_m2.deny) == 1 with input as srv({"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "changeme", "CERTCTL_DEMO_MODE_ACK": "True"})
}

test_env_agent_placeholder_denies if {
	d := depl_m2.deny with input as env_doc("agent", {"CERTCTL_API_KEY": "change-me-agent-key"})
	count(d) == 1
	contains(msgs(d), "CERTCTL_API_KEY holds a well-known placeholder")

	# The agent does not read the demo acknowledgement.
	count(depl_m2.deny) == 1 with input as env_doc("agent", {"CERTCTL_API_KEY": "changeme", "CERTCTL_DEMO_MODE_ACK": "true"})

	# certctl's literal check is the server's; an agent's copy is a placeholder like any other.
	d2 := depl_m2.deny with input as env_doc("agent", {"CERTCTL_AUTH_SECRET": "change-me-in-production"})
	contains(msgs(d2), "holds a well-known placeholder")
}

test_env_other_roles_are_not_judged if {
	count(depl_m2.deny) == 0 with input as env_doc("other", {"POSTGRES_PASSWORD": "change-me-pw"})
}

test_env_unknown_values_pass if {
	doc := json.patch(srv({}), [{"op": "add", "path": "/envs/0/vars/CERTCTL_AUTH_SECRET", "value": {"value": "", "known": false, "ref": null}}])
	count(depl_m2.deny) == 0 with input as doc
}

test_env_demo_profile_container_passes_other_placeholders if {
	doc := json.patch(env_doc("agent", {"CERTCTL_API_KEY": "changeme"}), [{"op": "add", "path": "/envs/0/labels", "value": {"demo": "true"}}])
	count(depl_m2.deny) == 0 with input as doc
}

# A compose service: the file rule reports the change-me- literal at the same
# place, so the environment rule stays silent there.
compose_doc(role, value, extra) := {
	"meta": {"certctl_version": "2.2.0", "now_unix": 0},
	"files": [{"id": "c.yml", "path": "c.yml", "kind": "compose", "role": role, "docs": [{"services": {"server": {"environment": object.union({"CERTCTL_AUTH_SECRET": value}, extra)}}}]}],
	"envs": [{"id": "set service server", "role": "server", "origin": "compose-service", "vars": {k: {"value": v, "known": true, "ref": {"file": "c.yml", "doc": 0, "path": ["services", "server", "environment", k]}} | some k, v in object.union({"CERTCTL_AUTH_SECRET": value}, extra)}}],
}

test_env_compose_literal_reported_once if {
	d := depl_m2.deny with input as compose_doc("base", "change-me-in-production", {})
	count(d) == 1
	contains(msgs(d), "holds a change-me- placeholder credential outside the demo overlay")
}

test_env_compose_other_placeholder_is_an_error_on_the_secret if {
	d := depl_m2.deny with input as compose_doc("base", "changeme", {})
	count(d) == 1
	contains(msgs(d), "CERTCTL_AUTH_SECRET holds a well-known placeholder")
}

test_env_demo_overlay_literal_without_ack_denies if {
	# The demo overlay is exempt from the file rule, but certctl still refuses
	# its literal without an acknowledgement.
	d := depl_m2.deny with input as compose_doc("demo", "change-me-in-production", {})
	count(d) == 1
	contains(msgs(d), "the server refuses to start without a demo acknowledgement")
	count(depl_m2.deny) == 0 with input as compose_doc("demo", "change-me-in-production", {"CERTCTL_DEMO_MODE_ACK": "true"})
	count(depl_m2.deny) == 0 with input as compose_doc("demo", "changeme", {})
}

# A container: the file rule reports env[i].value, the environment var points at env[i].
test_env_container_literal_reported_once if {
	doc := {
		"meta": {"certctl_version": "2.2.0", "now_unix": 0},
		"files": [],
		"manifests": [{"ref": {"file": "m.yaml", "doc": 0, "path": []}, "labels": {"subject": "m.yaml"}, "value": {"kind": "Deployment", "metadata": {"name": "certctl"}, "spec": {"template": {"spec": {"containers": [{"name": "server", "env": [{"name": "CERTCTL_AUTH_SECRET", "value": "change-me-in-production"}]}]}}}}}],
		"envs": [{"id": "m.yaml container server", "role": "server", "origin": "container", "labels": {}, "vars": {"CERTCTL_AUTH_SECRET": {"value": "change-me-in-production", "known": true, "ref": {"file": "m.yaml", "doc": 0, "path": ["spec", "template", "spec", "containers", 0, "env", 0]}}}}],
	}
	d := depl_m2.deny with input as doc
	count(d) == 1
	contains(msgs(d), "env CERTCTL_AUTH_SECRET of container server holds a change-me- placeholder")
}

# The file rule's placeholder warning stands back where the environment rule
# reports the same value as an error; elsewhere it stays.
test_env_compose_other_placeholder_no_file_warning_on_the_secret if {
	count(depl_m2.warn) == 0 with input as compose_doc("base", "changeme", {})
}

test_env_container_other_placeholder_reported_once if {
	doc := {
		"meta": {"certctl_version": "2.2.0", "now_unix": 0},
		"files": [],
		"manifests": [{"ref": {"file": "m.yaml", "doc": 0, "path": []}, "labels": {"subject": "m.yaml"}, "value": {"kind": "Deployment", "metadata": {"name": "certctl"}, "spec": {"template": {"spec": {"containers": [{"name": "server", "env": [{"name": "CERTCTL_AUTH_SECRET", "value": "changeme"}, {"name": "GREETING", "value": "changeme"}]}]}}}}}],
		"envs": [{"id": "m.yaml container server", "role": "server", "origin": "container", "labels": {}, "vars": {"CERTCTL_AUTH_SECRET": {"value": "changeme", "known": true, "ref": {"file": "m.yaml", "doc": 0, "path": ["spec", "template", "spec", "containers", 0, "env", 0]}}}}],
	}
	count(depl_m2.deny) == 1 with input as doc
	w := depl_m2.warn with input as doc
	count(w) == 1
	some x in w
	x.ref.path == ["spec", "template", "spec", "containers", 0, "env", 1, "value"]
}
