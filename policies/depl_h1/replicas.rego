package certgate.depl_h1

import data.certgate.lib
import data.certgate.lib.k8s

# What several server replicas need: session affinity, shared state, a
# disruption budget and spreading.

affinity_annotation := "certgate.io/session-affinity"

upstream_affinity(s) if s.value.metadata.annotations[affinity_annotation] == "upstream"

deny contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n > 1
	some s in k8s.selecting(w, "Service")
	object.get(s.value.spec, "sessionAffinity", "None") != "ClientIP"
	not upstream_affinity(s)
	msg := sprintf("Service %s balances %v server replicas without sessionAffinity ClientIP: a client's session moves between pods; set server.service.sessionAffinity=ClientIP, or annotate the Service %s: upstream when the load balancer in front keeps affinity", [s.value.metadata.name, n, affinity_annotation])
	f := k8s.finding_fix(s, k8s.value_ref(s, "server.service.sessionAffinity", ["spec", "sessionAffinity"]), msg, fixes.session_affinity)
}

info contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n > 1
	some s in k8s.selecting(w, "Service")
	object.get(s.value.spec, "sessionAffinity", "None") != "ClientIP"
	upstream_affinity(s)
	msg := sprintf("Service %s balances %v server replicas without sessionAffinity ClientIP; %s: upstream says the load balancer in front keeps each client on one pod", [s.value.metadata.name, n, affinity_annotation])
	f := k8s.finding_fix(s, k8s.obj_ref(s, ["metadata", "annotations", affinity_annotation]), msg, fixes.upstream_affinity)
}

# postgres_ids: the StatefulSets of each release that run the bundled PostgreSQL.
postgres_ids := {rel: ids |
	index := k8s.ids_by_kind
	some [rel, "StatefulSet"], sets in index
	ids := [i | some i in sets; bundled_postgres(input.manifests[i])]
}

bundled_postgres(o) if k8s.pod_labels(o)["app.kubernetes.io/component"] == "postgresql"

bundled_postgres(o) if {
	some c in k8s.pod_spec(o).containers
	contains(lower(c.image), "postgres")
}

warn contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n > 1
	index := postgres_ids
	some i in index[w.labels.release]
	ss := input.manifests[i]
	msg := sprintf("%v server replicas share the bundled single-pod PostgreSQL StatefulSet %s: that pod stays the failure domain of the whole release; use an external, replicated database (postgresql.enabled=false)", [n, ss.value.metadata.name])
	f := k8s.finding_fix(ss, k8s.value_ref(ss, "postgresql.enabled", []), msg, fixes.bundled_postgres)
}

backend := "CERTCTL_RATE_LIMIT_BACKEND"

# server_env_ids: the positions in lib.server_envs of the server containers'
# environments, by release and workload (Kind/name).
server_env_keys := [[[env.labels.release, env.labels.workload], i] | some i, env in lib.server_envs]

server_env_ids := {key: ids |
	some key in {k | some [k, _] in server_env_keys}
	ids := [i | some [k, i] in server_env_keys; k == key]
}

server_envs_of(w) := [lib.server_envs[i] | some i in ids] if {
	index := server_env_ids
	ids := index[[w.labels.release, sprintf("%s/%s", [w.value.kind, w.value.metadata.name])]]
} else := []

warn contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n > 1
	some env in server_envs_of(w)
	not lib.is_unknown(env, backend)
	not postgres_backend(env)
	msg := sprintf("%s is not postgres with %v server replicas: rate limits are counted per replica, so a client gets %v times its limit; set server.rateLimit.backend=postgres", [backend, n, n])
	f := {"msg": msg, "ref": value_ref_env(w, env), "subject": env.id, "remediation": fixes.rate_limit}
}

postgres_backend(env) if lib.known_value(env, backend) == "postgres"

value_ref_env(w, env) := r if {
	some rel in input.releases
	rel.id == w.labels.release
	rel.chart == "certctl"
	r := rel.value_refs["server.rateLimit.backend"]
} else := lib.ref(env, backend)

warn contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n > 1
	count(k8s.selecting(w, "PodDisruptionBudget")) == 0
	not pdb_asked(w) # intent.rego says what the values asked for
	msg := sprintf("%s runs %v server replicas without a PodDisruptionBudget: a node drain may evict every replica at once; enable podDisruptionBudget with minAvailable below the replica count", [w.value.metadata.name, n])
	f := k8s.finding_fix(w, k8s.value_ref(w, "podDisruptionBudget.enabled", ["spec", "replicas"]), msg, fixes.no_pdb)
}

spread(w) if k8s.pod_spec(w).affinity.podAntiAffinity

spread(w) if count(object.get(k8s.pod_spec(w), "topologySpreadConstraints", [])) > 0

info contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n > 1
	not spread(w)
	msg := sprintf("%s runs %v server replicas without pod anti-affinity or topology spread constraints: the scheduler may put them all on one node; set server.topologySpreadConstraints (values-ha.yaml spreads by kubernetes.io/hostname)", [w.value.metadata.name, n])
	f := k8s.finding_fix(w, k8s.value_ref(w, "server.topologySpreadConstraints", ["spec", "template", "spec"]), msg, fixes.spread)
}
