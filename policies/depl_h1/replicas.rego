package certgate.depl_h1

import data.certgate.lib

# What several server replicas need: session affinity, shared state, a
# disruption budget and spreading.

affinity_annotation := "certgate.io/session-affinity"

# server_services: the Services of w's release whose selector picks its pods.
server_services(w) := {s |
	some i in selector_candidates(w, "Service")
	s := input.manifests[i]
	sel := object.get(s.value, ["spec", "selector"], {})
	count(sel) > 0
	every k, v in sel {
		pod_labels(w)[k] == v
	}
}

upstream_affinity(s) if s.value.metadata.annotations[affinity_annotation] == "upstream"

deny contains f if {
	some w in server_workloads
	n := replicas(w)
	n > 1
	some s in server_services(w)
	object.get(s.value.spec, "sessionAffinity", "None") != "ClientIP"
	not upstream_affinity(s)
	msg := sprintf("Service %s balances %v server replicas without sessionAffinity ClientIP: a client's session moves between pods; set server.service.sessionAffinity=ClientIP, or annotate the Service %s: upstream when the load balancer in front keeps affinity", [s.value.metadata.name, n, affinity_annotation])
	f := finding(s, value_ref(s, "server.service.sessionAffinity", ["spec", "sessionAffinity"]), msg)
}

info contains f if {
	some w in server_workloads
	n := replicas(w)
	n > 1
	some s in server_services(w)
	object.get(s.value.spec, "sessionAffinity", "None") != "ClientIP"
	upstream_affinity(s)
	msg := sprintf("Service %s balances %v server replicas without sessionAffinity ClientIP; %s: upstream says the load balancer in front keeps each client on one pod", [s.value.metadata.name, n, affinity_annotation])
	f := finding(s, obj_ref(s, ["metadata", "annotations", affinity_annotation]), msg)
}

# postgres_ids: the StatefulSets of each release that run the bundled PostgreSQL.
postgres_ids := {rel: ids |
	index := ids_by_kind
	some [rel, "StatefulSet"], sets in index
	ids := [i | some i in sets; bundled_postgres(input.manifests[i])]
}

bundled_postgres(o) if pod_labels(o)["app.kubernetes.io/component"] == "postgresql"

bundled_postgres(o) if {
	some c in o.value.spec.template.spec.containers
	contains(lower(c.image), "postgres")
}

warn contains f if {
	some w in server_workloads
	n := replicas(w)
	n > 1
	index := postgres_ids
	some i in index[w.labels.release]
	ss := input.manifests[i]
	msg := sprintf("%v server replicas share the bundled single-pod PostgreSQL StatefulSet %s: that pod stays the failure domain of the whole release; use an external, replicated database (postgresql.enabled=false)", [n, ss.value.metadata.name])
	f := finding(ss, value_ref(ss, "postgresql.enabled", []), msg)
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
	some w in server_workloads
	n := replicas(w)
	n > 1
	some env in server_envs_of(w)
	not lib.is_unknown(env, backend)
	not postgres_backend(env)
	msg := sprintf("%s is not postgres with %v server replicas: rate limits are counted per replica, so a client gets %v times its limit; set server.rateLimit.backend=postgres", [backend, n, n])
	f := {"msg": msg, "ref": value_ref_env(w, env), "subject": env.id}
}

postgres_backend(env) if lib.known_value(env, backend) == "postgres"

value_ref_env(w, env) := r if {
	some rel in input.releases
	rel.id == w.labels.release
	rel.chart == "certctl"
	r := rel.value_refs["server.rateLimit.backend"]
} else := lib.ref(env, backend)

warn contains f if {
	some w in server_workloads
	n := replicas(w)
	n > 1
	count(server_pdbs(w)) == 0
	not pdb_asked(w) # intent.rego says what the values asked for
	msg := sprintf("%s runs %v server replicas without a PodDisruptionBudget: a node drain may evict every replica at once; enable podDisruptionBudget with minAvailable below the replica count", [w.value.metadata.name, n])
	f := finding(w, value_ref(w, "podDisruptionBudget.enabled", ["spec", "replicas"]), msg)
}

spread(w) if w.value.spec.template.spec.affinity.podAntiAffinity

spread(w) if count(object.get(w.value.spec.template.spec, "topologySpreadConstraints", [])) > 0

info contains f if {
	some w in server_workloads
	n := replicas(w)
	n > 1
	not spread(w)
	msg := sprintf("%s runs %v server replicas without pod anti-affinity or topology spread constraints: the scheduler may put them all on one node; set server.topologySpreadConstraints (values-ha.yaml spreads by kubernetes.io/hostname)", [w.value.metadata.name, n])
	f := finding(w, value_ref(w, "server.topologySpreadConstraints", ["spec", "template", "spec"]), msg)
}
