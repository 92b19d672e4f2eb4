package certgate.depl_h1_test

import data.certgate.depl_h1

# Fixtures (deployment, pdb, hpa, in_objs, has, ...) are in depl_h1_test.rego.

values_ref(key) := {"file": "values-prod.yaml", "doc": 0, "path": split(key, ".")}

rel_with(values, keys) := {"id": "r", "chart": "certctl", "values": values, "value_refs": {k: values_ref(k) | some k in keys}}

pdb_on := rel_with({"podDisruptionBudget": {"enabled": true}}, ["podDisruptionBudget.enabled"])

hpa_on := rel_with({"server": {"autoscaling": {"enabled": true}}}, ["server.autoscaling.enabled"])

with_release(objs, rel) := {"manifests": objs, "envs": [], "releases": [rel]}

# A PDB asked for and not rendered: an error at the values key, saying why.

test_pdb_asked_single_replica_not_rendered_denied if {
	some f in depl_h1.deny with input as with_release([deployment(1)], pdb_on)
	contains(f.msg, "podDisruptionBudget.enabled is true, but the render holds no PodDisruptionBudget")
	contains(f.msg, "no budget for a single replica")
	f.ref == values_ref("podDisruptionBudget.enabled")
}

test_pdb_asked_several_replicas_not_rendered_denied if {
	some f in depl_h1.deny with input as with_release([deployment(3), affine_service], pdb_on)
	contains(f.msg, "still rendered none")
	not has(depl_h1.warn, "without a PodDisruptionBudget") with input as with_release([deployment(3), affine_service], pdb_on)
}

test_pdb_asked_and_rendered_passes if {
	not has(depl_h1.deny, "the render holds no PodDisruptionBudget") with input as with_release([deployment(3), pdb({"minAvailable": 2}), affine_service], pdb_on)
}

test_pdb_not_asked_passes if {
	off := rel_with({"podDisruptionBudget": {"enabled": false}}, ["podDisruptionBudget.enabled"])
	not has(depl_h1.deny, "the render holds no PodDisruptionBudget") with input as with_release([deployment(1)], off)
	not has(depl_h1.deny, "the render holds no PodDisruptionBudget") with input as in_objs([deployment(1)])
}

test_pdb_asked_in_another_chart_passes if {
	other := object.union(pdb_on, {"chart": "mychart"})
	not has(depl_h1.deny, "the render holds no PodDisruptionBudget") with input as with_release([deployment(1)], other)
}

test_pdb_asked_ref_falls_back_to_workload if {
	rel := {"id": "r", "chart": "certctl", "values": {"podDisruptionBudget": {"enabled": true}}, "value_refs": {}}
	some f in depl_h1.deny with input as with_release([deployment(1)], rel)
	f.ref == {"file": "srv.yaml", "doc": 0, "path": []}
}

# An HPA asked for and not rendered: a warning at the values key.

test_hpa_asked_not_rendered_warns if {
	some f in depl_h1.warn with input as with_release([deployment(1)], hpa_on)
	contains(f.msg, "server.autoscaling.enabled is true, but the render holds no HorizontalPodAutoscaler")
	f.ref == values_ref("server.autoscaling.enabled")
}

test_hpa_asked_and_rendered_passes if {
	not has(depl_h1.warn, "no HorizontalPodAutoscaler") with input as with_release([deployment(1), hpa(2), affine_service], hpa_on)
}

test_hpa_not_asked_passes if {
	not has(depl_h1.warn, "no HorizontalPodAutoscaler") with input as in_objs([deployment(1)])
}
