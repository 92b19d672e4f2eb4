package certgate.depl_h1_test

import data.certgate.depl_h1

# Each check carries its own remediation (the engine reports it instead of the
# package's custom.remediation). Fixtures are in the other test files.

fix_of(set, s) := {f.remediation | some f in set; contains(f.msg, s)}

test_fixes_are_sentences_and_distinct if {
	count(depl_h1.fixes) == 14
	every fix in depl_h1.fixes {
		endswith(fix, ".")
		not contains(fix, "Layer values-ha.yaml")
	}
	count({fix | some fix in depl_h1.fixes}) == count(depl_h1.fixes)
}

test_fix_pdb_not_rendered_single_replica if {
	fix_of(depl_h1.deny, "no budget for a single replica") == {depl_h1.fixes.pdb_not_rendered_single} with input as with_release([deployment(1)], pdb_on)
	startswith(depl_h1.fixes.pdb_not_rendered_single, "Set server.replicas to 2 or more")
}

test_fix_pdb_not_rendered if {
	fix_of(depl_h1.deny, "still rendered none") == {depl_h1.fixes.pdb_not_rendered} with input as with_release([deployment(3), affine_service], pdb_on)
	contains(depl_h1.fixes.pdb_not_rendered, "podDisruptionBudget conditions")
}

test_fix_hpa_not_rendered if {
	fix_of(depl_h1.warn, "no HorizontalPodAutoscaler") == {depl_h1.fixes.hpa_not_rendered} with input as with_release([deployment(1)], hpa_on)
	contains(depl_h1.fixes.hpa_not_rendered, "server.autoscaling.enabled=false")
}

test_fix_min_available if {
	fix_of(depl_h1.deny, "requires minAvailable") == {depl_h1.fixes.min_available} with input as in_objs([deployment(3), pdb({"minAvailable": 3}), affine_service])
	contains(depl_h1.fixes.min_available, "below the server replica count")
}

test_fix_max_unavailable if {
	fix_of(depl_h1.deny, "allows maxUnavailable") == {depl_h1.fixes.max_unavailable} with input as in_objs([deployment(3), pdb({"maxUnavailable": 0}), affine_service])
	contains(depl_h1.fixes.max_unavailable, "maxUnavailable")
}

test_fix_single_replica if {
	fix_of(depl_h1.deny, "a budget on a single replica") == {depl_h1.fixes.single_replica} with input as in_objs([deployment(1), pdb({"maxUnavailable": 1})])
	contains(depl_h1.fixes.single_replica, "podDisruptionBudget.enabled=false")
}

test_fix_both_fields if {
	fix_of(depl_h1.deny, "sets both") == {depl_h1.fixes.both_fields} with input as in_objs([deployment(3), pdb({"minAvailable": 1, "maxUnavailable": 1}), affine_service])
	contains(depl_h1.fixes.both_fields, "exactly one")
}

test_fix_selects_nothing if {
	stray := obj("PodDisruptionBudget", "stray", {"spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "other"}}}}, {})
	fix_of(depl_h1.deny, "selects no pod template") == {depl_h1.fixes.selects_nothing} with input as in_objs([deployment(3), stray, affine_service])
	contains(depl_h1.fixes.selects_nothing, "spec.selector")
}

test_fix_session_affinity if {
	svc := obj("Service", "svc", {"spec": {"selector": server_labels}}, {})
	fix_of(depl_h1.deny, "without sessionAffinity ClientIP") == {depl_h1.fixes.session_affinity} with input as in_objs([deployment(3), svc])
	contains(depl_h1.fixes.session_affinity, "sessionAffinity=ClientIP")
}

test_fix_upstream_affinity if {
	svc := obj("Service", "svc", {"metadata": {"annotations": {"certgate.io/session-affinity": "upstream"}}, "spec": {"selector": server_labels}}, {})
	fix_of(depl_h1.info, "load balancer in front") == {depl_h1.fixes.upstream_affinity} with input as in_objs([deployment(3), svc])
	contains(depl_h1.fixes.upstream_affinity, "load balancer")
}

test_fix_bundled_postgres if {
	fix_of(depl_h1.warn, "bundled single-pod PostgreSQL") == {depl_h1.fixes.bundled_postgres} with input as in_objs([deployment(3), affine_service, postgres])
	contains(depl_h1.fixes.bundled_postgres, "postgresql.enabled=false")
}

test_fix_rate_limit if {
	fix_of(depl_h1.warn, "rate limits are counted per replica") == {depl_h1.fixes.rate_limit} with input as {"manifests": [deployment(3), affine_service], "envs": [server_env("memory", true)]}
	contains(depl_h1.fixes.rate_limit, "backend=postgres")
}

test_fix_no_pdb if {
	fix_of(depl_h1.warn, "without a PodDisruptionBudget") == {depl_h1.fixes.no_pdb} with input as in_objs([deployment(3), affine_service])
	contains(depl_h1.fixes.no_pdb, "podDisruptionBudget.enabled=true")
}

test_fix_spread if {
	fix_of(depl_h1.info, "without pod anti-affinity") == {depl_h1.fixes.spread} with input as in_objs([deployment(3), affine_service])
	contains(depl_h1.fixes.spread, "topologySpreadConstraints")
}

# Messages name a file by its path: a rendered template's file ID also names
# its release.

test_single_replica_names_the_file_path if {
	rendered := object.union(deployment(1), {"ref": {"file": "templates/srv.yaml@charts/x"}})
	files := [{"id": "templates/srv.yaml@charts/x", "path": "charts/x/templates/srv.yaml"}]
	some f in depl_h1.deny with input as {"manifests": [rendered, pdb({"maxUnavailable": 1})], "envs": [], "files": files}
	contains(f.msg, "a budget on a single replica")
	contains(f.msg, "(set in charts/x/templates/srv.yaml)")
	not contains(f.msg, "@")
}

test_single_replica_names_the_values_file if {
	rel := {"id": "r", "chart": "certctl", "value_refs": {"server.replicas": {"file": "values-prod.yaml", "doc": 0, "path": ["server", "replicas"]}}}
	files := [{"id": "values-prod.yaml", "path": "values-prod.yaml"}]
	some f in depl_h1.deny with input as {"manifests": [deployment(1), pdb({"maxUnavailable": 1})], "envs": [], "files": files, "releases": [rel]}
	contains(f.msg, "(set in values-prod.yaml)")
	set_rel := object.union(rel, {"value_refs": {"server.replicas": {"file": "--set", "doc": 0, "path": ["server", "replicas"]}}})
	some g in depl_h1.deny with input as {"manifests": [deployment(1), pdb({"maxUnavailable": 1})], "envs": [], "files": files, "releases": [set_rel]}
	contains(g.msg, "(set in --set)")
}
