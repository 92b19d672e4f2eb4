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

# Percentages round up, as Kubernetes does for both PDB fields.

test_scaled if {
	depl_h1.scaled(2, 3) == 2
	depl_h1.scaled("67%", 3) == 3
	depl_h1.scaled("50%", 3) == 2
	depl_h1.scaled("10%", 3) == 1
	depl_h1.scaled("0%", 3) == 0
	depl_h1.scaled("2", 3) == 2
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
