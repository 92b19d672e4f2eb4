package certgate.depl_h1_test

import data.certgate.depl_h1

server_labels := {"app.kubernetes.io/name": "certctl", "app.kubernetes.io/component": "server"}

obj(kind, name, value, labels) := {
	"ref": {"file": sprintf("%s.yaml", [name]), "doc": 0, "path": []},
	"value": object.union({"apiVersion": "v1", "kind": kind, "metadata": {"name": name}}, value),
	"labels": object.union({"release": "r", "subject": sprintf("%s %s", [kind, name]), "kind": kind, "name": name}, labels),
}

pod_spec := {"containers": [{"name": "server", "image": "ghcr.io/certctl-io/certctl:2.1.0"}]}

deployment(n) := obj("Deployment", "srv", {"spec": {"replicas": n, "template": {"metadata": {"labels": server_labels}, "spec": pod_spec}}}, {"role": "server"})

deployment_with(n, spec) := obj("Deployment", "srv", {"spec": {"replicas": n, "template": {"metadata": {"labels": server_labels}, "spec": object.union(pod_spec, spec)}}}, {"role": "server"})

pdb(spec) := obj("PodDisruptionBudget", "pdb", {"spec": object.union({"selector": {"matchLabels": server_labels}}, spec)}, {})

hpa(min) := obj("HorizontalPodAutoscaler", "hpa", {"spec": {"minReplicas": min, "scaleTargetRef": {"kind": "Deployment", "name": "srv"}}}, {})

affine_service := obj("Service", "svc", {"spec": {"selector": server_labels, "sessionAffinity": "ClientIP"}}, {})

spread := {"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname"}]}

has(set, s) if {
	some f in set
	contains(f.msg, s)
}

in_objs(objs) := {"manifests": objs, "envs": []}

# Selectors.

test_selects_match_labels if {
	depl_h1.selects({"matchLabels": {"a": "1"}}, {"a": "1", "b": "2"})
	not depl_h1.selects({"matchLabels": {"a": "2"}}, {"a": "1"})
	depl_h1.selects({}, {"a": "1"})
}

test_selects_match_expressions if {
	depl_h1.selects({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]}, {"a": "1"})
	not depl_h1.selects({"matchExpressions": [{"key": "a", "operator": "In", "values": ["2"]}]}, {"a": "1"})
	depl_h1.selects({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["2"]}]}, {"a": "1"})
	not depl_h1.selects({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"})
	depl_h1.selects({"matchExpressions": [{"key": "b", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"})
	depl_h1.selects({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {"a": "1"})
	not depl_h1.selects({"matchExpressions": [{"key": "b", "operator": "Exists"}]}, {"a": "1"})
	depl_h1.selects({"matchExpressions": [{"key": "b", "operator": "DoesNotExist"}]}, {"a": "1"})
	not depl_h1.selects({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"a": "1"})
}

# Percentages round up, as Kubernetes does for both PDB fields.

test_scaled if {
	depl_h1.scaled(2, 3) == 2
	depl_h1.scaled("67%", 3) == 3
	depl_h1.scaled("50%", 3) == 2
	depl_h1.scaled("10%", 3) == 1
	depl_h1.scaled("0%", 3) == 0
	depl_h1.scaled("2", 3) == 2
}

# minAvailable >= replicas.

test_min_available_equal_replicas_denied if {
	has(depl_h1.deny, "requires minAvailable 3") with input as in_objs([deployment(3), pdb({"minAvailable": 3}), affine_service])
}

test_min_available_below_replicas_passes if {
	not has(depl_h1.deny, "requires minAvailable") with input as in_objs([deployment(3), pdb({"minAvailable": 2}), affine_service])
}

test_min_available_percent_rounds_up if {
	has(depl_h1.deny, "requires minAvailable 67%") with input as in_objs([deployment(3), pdb({"minAvailable": "67%"}), affine_service])
	not has(depl_h1.deny, "requires minAvailable") with input as in_objs([deployment(3), pdb({"minAvailable": "50%"}), affine_service])
}

# maxUnavailable 0.

test_max_unavailable_zero_denied if {
	has(depl_h1.deny, "allows maxUnavailable 0") with input as in_objs([deployment(3), pdb({"maxUnavailable": 0}), affine_service])
	has(depl_h1.deny, "allows maxUnavailable 0%") with input as in_objs([deployment(3), pdb({"maxUnavailable": "0%"}), affine_service])
}

test_max_unavailable_positive_passes if {
	not has(depl_h1.deny, "allows maxUnavailable") with input as in_objs([deployment(3), pdb({"maxUnavailable": 1}), affine_service])
	not has(depl_h1.deny, "allows maxUnavailable") with input as in_objs([deployment(3), pdb({"maxUnavailable": "10%"}), affine_service])
}

# A PDB on fewer than 2 replicas.

test_pdb_single_replica_denied if {
	has(depl_h1.deny, "a budget on a single replica") with input as in_objs([deployment(1), pdb({"maxUnavailable": 1})])
}

test_pdb_two_replicas_passes if {
	not has(depl_h1.deny, "a budget on a single replica") with input as in_objs([deployment(2), pdb({"maxUnavailable": 1}), affine_service])
}

# Both fields.

test_both_fields_denied if {
	has(depl_h1.deny, "sets both minAvailable and maxUnavailable") with input as in_objs([deployment(3), pdb({"minAvailable": 1, "maxUnavailable": 1}), affine_service])
}

test_one_field_passes if {
	not has(depl_h1.deny, "sets both") with input as in_objs([deployment(3), pdb({"minAvailable": 1}), affine_service])
	not has(depl_h1.deny, "sets both") with input as in_objs([deployment(3), pdb({"minAvailable": 1, "maxUnavailable": null}), affine_service])
}

# Selector matching nothing.

test_pdb_selecting_nothing_denied if {
	stray := obj("PodDisruptionBudget", "stray", {"spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "other"}}}}, {})
	has(depl_h1.deny, "selects no pod template") with input as in_objs([deployment(3), stray, affine_service])
}

test_pdb_selecting_pods_of_another_release_denied if {
	other := object.union(deployment(3), {"labels": {"release": "other"}})
	has(depl_h1.deny, "selects no pod template") with input as in_objs([other, pdb({"minAvailable": 1})])
}

test_pdb_selecting_server_passes if {
	not has(depl_h1.deny, "selects no pod template") with input as in_objs([deployment(3), pdb({"minAvailable": 1}), affine_service])
}

# HPA: minReplicas is the floor.

test_hpa_min_replicas_is_the_floor if {
	has(depl_h1.deny, "requires minAvailable 3 of the 3") with input as in_objs([deployment(5), hpa(3), pdb({"minAvailable": 3}), affine_service])
	not has(depl_h1.deny, "requires minAvailable") with input as in_objs([deployment(1), hpa(4), pdb({"minAvailable": 3}), affine_service])
}

test_replicas_ref_follows_hpa if {
	r := depl_h1.replicas_ref(deployment(1)) with input as in_objs([deployment(1), hpa(4)])
	r.file == "hpa.yaml"
	r.path == ["spec", "minReplicas"]
	r2 := depl_h1.replicas_ref(deployment(1)) with input as in_objs([deployment(1)])
	r2.path == ["spec", "replicas"]
}

# Session affinity.

test_replicas_without_affinity_denied if {
	svc := obj("Service", "svc", {"spec": {"selector": server_labels}}, {})
	has(depl_h1.deny, "without sessionAffinity ClientIP") with input as in_objs([deployment(3), svc])
}

test_affinity_client_ip_passes if {
	not has(depl_h1.deny, "without sessionAffinity") with input as in_objs([deployment(3), affine_service])
}

test_single_replica_without_affinity_passes if {
	svc := obj("Service", "svc", {"spec": {"selector": server_labels}}, {})
	not has(depl_h1.deny, "without sessionAffinity") with input as in_objs([deployment(1), svc])
}

test_upstream_affinity_is_info if {
	svc := obj("Service", "svc", {"metadata": {"annotations": {"certgate.io/session-affinity": "upstream"}}, "spec": {"selector": server_labels}}, {})
	not has(depl_h1.deny, "without sessionAffinity") with input as in_objs([deployment(3), svc])
	has(depl_h1.info, "load balancer in front") with input as in_objs([deployment(3), svc])
	not has(depl_h1.info, "load balancer in front") with input as in_objs([deployment(3), affine_service])
}

# Bundled PostgreSQL.

postgres := obj("StatefulSet", "pg", {"spec": {"template": {"metadata": {"labels": {"app.kubernetes.io/component": "postgresql"}}, "spec": {"containers": [{"name": "postgresql", "image": "postgres:16"}]}}}}, {})

test_replicas_with_bundled_postgres_warns if {
	has(depl_h1.warn, "bundled single-pod PostgreSQL") with input as in_objs([deployment(3), affine_service, postgres])
}

test_bundled_postgres_detected_by_image if {
	pg := obj("StatefulSet", "db", {"spec": {"template": {"spec": {"containers": [{"name": "db", "image": "docker.io/library/postgres:16"}]}}}}, {})
	has(depl_h1.warn, "bundled single-pod PostgreSQL") with input as in_objs([deployment(3), affine_service, pg])
}

test_single_replica_with_bundled_postgres_passes if {
	not has(depl_h1.warn, "bundled single-pod PostgreSQL") with input as in_objs([deployment(1), postgres])
}

# Rate-limit backend.

server_env(value, known) := {
	"id": "env", "role": "server", "origin": "container",
	"labels": {"release": "r", "workload": "Deployment/srv"},
	"vars": {"CERTCTL_RATE_LIMIT_BACKEND": {"value": value, "known": known, "ref": {"file": "srv.yaml", "doc": 0, "path": ["env", 0]}}},
}

test_memory_backend_warns if {
	has(depl_h1.warn, "rate limits are counted per replica") with input as {"manifests": [deployment(3), affine_service], "envs": [server_env("memory", true)]}
	has(depl_h1.warn, "rate limits are counted per replica") with input as {"manifests": [deployment(3), affine_service], "envs": [object.union(object.remove(server_env("", true), ["vars"]), {"vars": {}})]}
}

test_postgres_backend_passes if {
	not has(depl_h1.warn, "rate limits") with input as {"manifests": [deployment(3), affine_service], "envs": [server_env("postgres", true)]}
}

test_unknown_backend_passes if {
	not has(depl_h1.warn, "rate limits") with input as {"manifests": [deployment(3), affine_service], "envs": [server_env("", false)]}
}

test_single_replica_memory_backend_passes if {
	not has(depl_h1.warn, "rate limits") with input as {"manifests": [deployment(1)], "envs": [server_env("memory", true)]}
}

# No PDB.

test_replicas_without_pdb_warns if {
	has(depl_h1.warn, "without a PodDisruptionBudget") with input as in_objs([deployment(3), affine_service])
}

test_replicas_with_pdb_passes if {
	not has(depl_h1.warn, "without a PodDisruptionBudget") with input as in_objs([deployment(3), affine_service, pdb({"minAvailable": 2})])
}

test_single_replica_without_pdb_passes if {
	not has(depl_h1.warn, "without a PodDisruptionBudget") with input as in_objs([deployment(1)])
}

# Spreading.

test_replicas_without_spread_info if {
	has(depl_h1.info, "without pod anti-affinity") with input as in_objs([deployment(3), affine_service])
}

test_spread_passes if {
	not has(depl_h1.info, "without pod anti-affinity") with input as in_objs([deployment_with(3, spread), affine_service])
	anti := {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": []}}}
	not has(depl_h1.info, "without pod anti-affinity") with input as in_objs([deployment_with(3, anti), affine_service])
}

test_single_replica_without_spread_passes if {
	not has(depl_h1.info, "without pod anti-affinity") with input as in_objs([deployment(1)])
}

# Value refs: a chart value points at the values key that set it.

release := {"id": "r", "chart": "certctl", "value_refs": {"podDisruptionBudget.minAvailable": {"file": "my-values.yaml", "doc": 0, "path": ["podDisruptionBudget", "minAvailable"]}}}

test_value_ref_points_at_values_key if {
	some f in depl_h1.deny with input as {"manifests": [deployment(3), pdb({"minAvailable": 3}), affine_service], "envs": [], "releases": [release]}
	contains(f.msg, "requires minAvailable")
	f.ref.file == "my-values.yaml"
	f.subject == "PodDisruptionBudget pdb"
}

test_value_ref_falls_back_to_object if {
	some f in depl_h1.deny with input as in_objs([deployment(3), pdb({"minAvailable": 3}), affine_service])
	contains(f.msg, "requires minAvailable")
	f.ref == {"file": "pdb.yaml", "doc": 0, "path": ["spec", "minAvailable"]}
}

test_value_ref_ignores_other_charts if {
	other := object.union(release, {"chart": "mychart"})
	some f in depl_h1.deny with input as {"manifests": [deployment(3), pdb({"minAvailable": 3}), affine_service], "envs": [], "releases": [other]}
	contains(f.msg, "requires minAvailable")
	f.ref.file == "pdb.yaml"
}

test_no_server_workload_no_findings if {
	agent := obj("DaemonSet", "agent", {"spec": {"template": {"metadata": {"labels": {"app": "a"}}, "spec": pod_spec}}}, {})
	count(depl_h1.deny) == 0 with input as in_objs([agent])
	count(depl_h1.warn) == 0 with input as in_objs([agent])
	count(depl_h1.info) == 0 with input as in_objs([agent])
}
