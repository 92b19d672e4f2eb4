package certgate.depl_h1_test

import data.certgate.depl_h1

# Fixtures (deployment, pdb, in_objs, has, ...) are in depl_h1_test.rego.

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
