package certgate.depl_h1

import data.certgate.lib.k8s

# PodDisruptionBudgets: budgets that can never be satisfied, budgets on a single
# replica, contradictory budgets and budgets that select nothing.

# scaled resolves an IntOrString against n the way Kubernetes does for
# PodDisruptionBudgets: percentages round up (minAvailable and maxUnavailable).
scaled(v, _) := v if is_number(v)

scaled(v, n) := ceil((to_number(trim_suffix(v, "%")) * n) / 100) if {
	is_string(v)
	regex.match(`^[0-9]+%$`, v)
}

scaled(v, _) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

deny contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	some p in k8s.selecting(w, "PodDisruptionBudget")
	m := scaled(p.value.spec.minAvailable, n)
	m >= n
	msg := sprintf("PodDisruptionBudget %s requires minAvailable %v of the %v server replica(s) of %s: no voluntary disruption (node drain, eviction during a rollout) can ever proceed; keep minAvailable below the replica count", [p.value.metadata.name, p.value.spec.minAvailable, n, w.value.metadata.name])
	f := k8s.finding_fix(p, k8s.value_ref(p, "podDisruptionBudget.minAvailable", ["spec", "minAvailable"]), msg, fixes.min_available)
}

deny contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	some p in k8s.selecting(w, "PodDisruptionBudget")
	scaled(p.value.spec.maxUnavailable, n) == 0
	msg := sprintf("PodDisruptionBudget %s allows maxUnavailable %v of the %v server replica(s) of %s: no voluntary disruption (node drain, eviction during a rollout) can ever proceed", [p.value.metadata.name, p.value.spec.maxUnavailable, n, w.value.metadata.name])
	f := k8s.finding_fix(p, k8s.value_ref(p, "podDisruptionBudget.maxUnavailable", ["spec", "maxUnavailable"]), msg, fixes.max_unavailable)
}

deny contains f if {
	some w in k8s.server_workloads
	n := k8s.replicas(w)
	n < 2
	some p in k8s.selecting(w, "PodDisruptionBudget")
	r := replicas_ref(w)
	msg := sprintf("PodDisruptionBudget %s covers %s, which runs %v server replica(s) (set in %s): a budget on a single replica blocks every node drain forever or protects nothing; enable podDisruptionBudget only with 2 or more replicas", [p.value.metadata.name, w.value.metadata.name, n, k8s.where(r)])
	f := k8s.finding_fix(p, k8s.value_ref(p, "podDisruptionBudget.enabled", []), msg, fixes.single_replica)
}

deny contains f if {
	some p in input.manifests
	p.value.kind == "PodDisruptionBudget"
	p.value.spec.minAvailable != null
	p.value.spec.maxUnavailable != null
	msg := sprintf("PodDisruptionBudget %s sets both minAvailable and maxUnavailable: the API server rejects it; set exactly one (set podDisruptionBudget.minAvailable to null when you use maxUnavailable)", [p.value.metadata.name])
	f := k8s.finding_fix(p, k8s.value_ref(p, "podDisruptionBudget.maxUnavailable", ["spec", "maxUnavailable"]), msg, fixes.both_fields)
}

deny contains f if {
	some p in input.manifests
	p.value.kind == "PodDisruptionBudget"
	sel := object.get(p.value, ["spec", "selector"], {})
	not selects_any_pod(p, sel)
	msg := sprintf("PodDisruptionBudget %s selects no pod template of its release: it protects nothing (check spec.selector against the pod labels)", [p.value.metadata.name])
	f := k8s.finding_fix(p, k8s.obj_ref(p, ["spec", "selector"]), msg, fixes.selects_nothing)
}

# selects_any_pod: some workload of p's release has pods that sel selects. A
# selector with matchLabels is tried only against the pods carrying its rarest
# label, one with an In expression against the pods carrying a label it
# allows; any other selector against every pod label set of the release.
selects_any_pod(p, sel) if {
	match := k8s.exact_labels("PodDisruptionBudget", p)
	index := k8s.pod_ids
	[_, k, v] := k8s.rarest_label(index, p.labels.release, match)
	some i in object.get(index, [[p.labels.release, k, v]], set())
	k8s.selects(sel, k8s.pod_labels(input.manifests[i]))
}

selects_any_pod(p, sel) if {
	not k8s.exact_labels("PodDisruptionBudget", p)
	e := k8s.in_expression("PodDisruptionBudget", p)
	index := k8s.pod_ids
	some v in e.values
	some i in object.get(index, [[p.labels.release, e.key, v]], [])
	k8s.selects(sel, k8s.pod_labels(input.manifests[i]))
}

selects_any_pod(p, sel) if {
	not k8s.exact_labels("PodDisruptionBudget", p)
	not k8s.in_expression("PodDisruptionBudget", p)
	index := k8s.pod_label_sets
	some labels in index[p.labels.release]
	k8s.selects(sel, labels)
}
