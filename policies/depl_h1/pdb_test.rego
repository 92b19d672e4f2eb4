package certgate.depl_h1_test

import data.certgate.depl_h1

# Fixtures (deployment, pdb, in_objs, has, ...) are in depl_h1_test.rego.

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

test_pdb_selecting_by_expression if {
	in_server := obj("PodDisruptionBudget", "pdb", {"spec": {"minAvailable": 3, "selector": {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["server", "agent"]}]}}}, {})
	has(depl_h1.deny, "requires minAvailable 3") with input as in_objs([deployment(3), in_server, affine_service])
	not has(depl_h1.deny, "selects no pod template") with input as in_objs([deployment(3), in_server, affine_service])
	in_agent := obj("PodDisruptionBudget", "pdb", {"spec": {"minAvailable": 1, "selector": {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["agent"]}]}}}, {})
	has(depl_h1.deny, "selects no pod template") with input as in_objs([deployment(3), in_agent, affine_service])
	not_in := obj("PodDisruptionBudget", "pdb", {"spec": {"minAvailable": 1, "selector": {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "NotIn", "values": ["agent"]}]}}}, {})
	not has(depl_h1.deny, "selects no pod template") with input as in_objs([deployment(3), not_in, affine_service])
}
