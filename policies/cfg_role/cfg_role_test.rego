package certgate.cfg_role_test

import data.certgate.cfg_role

has(set, s) if {
	some f in set
	contains(f.msg, s)
}

ref(file) := {"file": file, "doc": 0, "path": []}

env(role, labels) := {"id": "Deployment api container app", "role": role, "origin": "container", "ref": ref("a.yaml"), "vars": {}, "labels": labels}

obj(file, release) := {"ref": ref(file), "value": {"kind": "ConfigMap", "metadata": {"name": "c"}}, "labels": {"release": release}}

# Label and image disagree.

test_label_disagrees_with_image_warns if {
	e := env("server", {"component": "agent", "role_by": "image", "role_evidence": "ghcr.io/certctl-io/certctl:2.2.0", "role_conflict": "true", "release": "a.yaml"})
	some f in cfg_role.warn with input as {"envs": [e], "manifests": [obj("a.yaml", "a.yaml")]}
	contains(f.msg, "labelled app.kubernetes.io/component=agent, but its image ghcr.io/certctl-io/certctl:2.2.0 is the certctl server")
	f.ref == ref("a.yaml")
}

test_label_disagrees_with_variable_warns if {
	e := env("server", {"component": "agent", "role_by": "variable", "role_evidence": "CERTCTL_DATABASE_URL", "role_conflict": "true", "release": "a.yaml"})
	has(cfg_role.warn, "its variable CERTCTL_DATABASE_URL is the certctl server") with input as {"envs": [e], "manifests": []}
}

test_label_agrees_passes if {
	e := env("server", {"component": "server", "role_by": "image", "role_evidence": "certctl", "release": "a.yaml"})
	count(cfg_role.warn) == 0 with input as {"envs": [e], "manifests": [obj("a.yaml", "a.yaml")]}
}

# Nothing judged: manifest streams.

test_stream_without_server_warns if {
	some f in cfg_role.warn with input as {"envs": [env("other", {"release": "a.yaml"})], "manifests": [obj("a.yaml", "a.yaml"), obj("b.yaml", "b.yaml")]}
	contains(f.msg, "nothing certgate judges was found in a.yaml, b.yaml: none of its 2 Kubernetes objects")
	f.ref == ref("a.yaml")
}

test_stream_names_files_by_path if {
	files := [{"id": "a.yaml@r", "path": "a.yaml"}, {"id": "b.yaml@r", "path": "b.yaml"}]
	some f in cfg_role.warn with input as {"envs": [], "files": files, "manifests": [obj("a.yaml@r", "a.yaml"), obj("b.yaml@r", "b.yaml")]}
	contains(f.msg, "nothing certgate judges was found in a.yaml, b.yaml: none of its 2 Kubernetes objects")
	f.subject == "a.yaml, b.yaml"
	not contains(f.msg, "@")
}

test_streams_with_a_server_pass if {
	count(cfg_role.warn) == 0 with input as {"envs": [env("server", {"release": "b.yaml"})], "manifests": [obj("a.yaml", "a.yaml"), obj("b.yaml", "b.yaml")]}
	count(cfg_role.warn) == 0 with input as {"envs": [env("agent", {"release": "a.yaml"})], "manifests": [obj("a.yaml", "a.yaml")]}
}

test_no_objects_no_warning if {
	count(cfg_role.warn) == 0 with input as {"envs": [], "manifests": []}
}

# Nothing judged: chart renders.

rel := {"id": "charts/x profile p", "chart": "x"}

test_chart_render_without_server_warns if {
	some f in cfg_role.warn with input as {"envs": [], "manifests": [obj("charts/x/templates/cm.yaml@r", rel.id)], "releases": [rel]}
	contains(f.msg, "nothing certgate judges was found in charts/x profile p: none of its 1 rendered objects")
	f.subject == rel.id
}

test_chart_render_with_server_passes if {
	count(cfg_role.warn) == 0 with input as {"envs": [env("server", {"release": rel.id})], "manifests": [obj("t.yaml", rel.id)], "releases": [rel]}
}

# Nothing judged: compose file sets.

set(services) := {"ref": ref("docker-compose.yml"), "value": {"set": "docker-compose.yml", "services": services}, "labels": {"set": "docker-compose.yml"}}

test_compose_set_without_server_warns if {
	some f in cfg_role.warn with input as {"envs": [env("other", {"set": "docker-compose.yml"})], "manifests": [], "compose": [set({"web": {}})]}
	contains(f.msg, "nothing certgate judges was found in compose file set docker-compose.yml: none of its 1 services")
}

test_compose_set_with_server_passes if {
	count(cfg_role.warn) == 0 with input as {"envs": [env("server", {"set": "docker-compose.yml"})], "manifests": [], "compose": [set({"server": {}})]}
	count(cfg_role.warn) == 0 with input as {"envs": [], "manifests": [], "compose": [set({})]}
}
