package certgate.depl_m2_test

import data.certgate.depl_m2

compose_file(role, doc) := {"id": "c.yml", "path": "c.yml", "kind": "compose", "role": role, "docs": [doc]}

dotenv_file(role, vars) := {"id": ".env.s", "path": ".env.s", "kind": "dotenv", "role": role, "docs": [vars]}

with_files(files) := {"meta": {"certctl_version": "2.1.0"}, "files": files, "envs": []}

server_env(vars) := {"services": {"server": {"environment": vars}}}

test_compose_base_change_me_denies if {
	f := depl_m2.deny with input as with_files([compose_file("base", server_env({"POSTGRES_PASSWORD": "Change-Me-pw"}))])
	count(f) == 1
	some x in f
	x.ref == {"file": "c.yml", "doc": 0, "path": ["services", "server", "environment", "POSTGRES_PASSWORD"]}
	x.msg == "services.server.environment.POSTGRES_PASSWORD holds a change-me- placeholder credential outside the demo overlay"
	x.subject == "c.yml"
}

test_compose_overlay_change_me_denies if {
	count(depl_m2.deny) == 1 with input as with_files([compose_file("overlay", server_env({"X": "change-me-x"}))])
}

test_compose_demo_change_me_passes if {
	doc := with_files([compose_file("demo", server_env({"POSTGRES_PASSWORD": "change-me-pw", "T": "changeme"}))])
	count(depl_m2.deny) == 0 with input as doc
	count(depl_m2.warn) == 0 with input as doc
}

test_compose_list_entry_names_the_variable if {
	f := depl_m2.deny with input as with_files([compose_file("base", server_env(["A=1", "CERTCTL_AUTH_SECRET=change-me-s"]))])
	some x in f
	x.ref.path == ["services", "server", "environment", 1]
	x.msg == "services.server.environment[1] (CERTCTL_AUTH_SECRET) holds a change-me- placeholder credential outside the demo overlay"
	not contains(x.msg, "change-me-s")
}

test_compose_any_scalar_counts if {
	f := depl_m2.deny with input as with_files([compose_file("base", {"x-note": {"list": [1, "see change-me-docs"]}})])
	some x in f
	x.ref.path == ["x-note", "list", 1]
	x.msg == "x-note.list[1] holds a change-me- placeholder credential outside the demo overlay"
}

test_compose_real_values_pass if {
	doc := with_files([compose_file("base", server_env({"P": "${P:?set P}", "N": 5, "B": true, "E": ""}))])
	count(depl_m2.deny) == 0 with input as doc
	count(depl_m2.warn) == 0 with input as doc
}

test_compose_other_placeholder_warns if {
	doc := with_files([compose_file("base", server_env({"CERTCTL_AUTH_SECRET": "replace-with-a-secret"}))])
	count(depl_m2.deny) == 0 with input as doc
	w := depl_m2.warn with input as doc
	count(w) == 1
	some x in w
	x.msg == "services.server.environment.CERTCTL_AUTH_SECRET holds a well-known placeholder value outside the demo overlay"
}

test_env_file_of_non_demo_service_denies if {
	f := depl_m2.deny with input as with_files([dotenv_file("env-file", {"POSTGRES_PASSWORD": "change-me-pw"})])
	some x in f
	x.ref == {"file": ".env.s", "doc": 0, "path": ["POSTGRES_PASSWORD"]}
	x.msg == "POSTGRES_PASSWORD holds a change-me- placeholder credential in an env_file of a non-demo compose service"
}

test_interpolation_file_denies if {
	f := depl_m2.deny with input as with_files([dotenv_file("interpolation", {"POSTGRES_PASSWORD": "change-me-pw", "OK": "s3cr3t"})])
	count(f) == 1
	some x in f
	x.ref == {"file": ".env.s", "doc": 0, "path": ["POSTGRES_PASSWORD"]}
	x.msg == "POSTGRES_PASSWORD holds a change-me- placeholder credential in a file that supplies interpolation values to the base compose file"
}

test_env_file_warning_placeholder_warns if {
	count(depl_m2.warn) == 1 with input as with_files([dotenv_file("env-file", {"P": "<your-password>"})])
}

test_demo_env_file_and_other_dotenv_pass if {
	doc := with_files([
		dotenv_file("demo-env-file", {"P": "change-me-pw"}),
		dotenv_file("", {"P": "change-me-pw"}),
	])
	count(depl_m2.deny) == 0 with input as doc
	count(depl_m2.warn) == 0 with input as doc
}

test_other_kinds_are_not_judged_here if {
	doc := with_files([{"id": "m", "path": "m", "kind": "helm-values", "role": "", "docs": [{"p": "change-me-x"}]}])
	count(depl_m2.compose_scalars) == 0 with input as doc
}
