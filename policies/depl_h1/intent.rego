package certgate.depl_h1

# Values intent: a values file or --set that turns on a PodDisruptionBudget or
# a HorizontalPodAutoscaler for the certctl chart, while the render holds none
# for the server workload. The finding points at the values key.

# certctl_releases: the renders of the certctl chart (its values keys are the
# ones this catalog knows).
certctl_releases := [rel | some rel in object.get(input, "releases", []); rel.chart == "certctl"]

# asked(rel, path): the release's merged values turn path on.
asked(rel, path) if object.get(rel.values, path, false) == true

# intent_ref points at the values key that set key last, else the workload.
intent_ref(rel, key, w) := r if {
	r := rel.value_refs[key]
} else := obj_ref(w, [])

server_workloads_of(rel) := [w | some w in server_workloads; w.labels.release == rel.id]

# pdb_asked: the values of w's release ask for a PodDisruptionBudget.
pdb_asked(w) if {
	some rel in certctl_releases
	rel.id == w.labels.release
	asked(rel, ["podDisruptionBudget", "enabled"])
}

deny contains f if {
	some rel in certctl_releases
	asked(rel, ["podDisruptionBudget", "enabled"])
	some w in server_workloads_of(rel)
	kind_count(w, "PodDisruptionBudget") == 0
	n := replicas(w)
	msg := sprintf("podDisruptionBudget.enabled is true, but the render holds no PodDisruptionBudget for the server pods of %s: %s; set server.replicas to 2 or more (with minAvailable below it), or podDisruptionBudget.enabled=false", [w.value.metadata.name, pdb_skipped_why(n)])
	f := finding(w, intent_ref(rel, "podDisruptionBudget.enabled", w), msg)
}

pdb_skipped_why(n) := sprintf("it runs %v server replica, and the chart renders no budget for a single replica (one would block every node drain or protect nothing), so a drain may take the only server pod down", [n]) if n < 2

pdb_skipped_why(n) := sprintf("with %v server replicas the chart's template still rendered none, so a node drain may evict every replica at once (check the chart's podDisruptionBudget conditions)", [n]) if n >= 2

warn contains f if {
	some rel in certctl_releases
	asked(rel, ["server", "autoscaling", "enabled"])
	some w in server_workloads_of(rel)
	count(hpas(w)) == 0
	msg := sprintf("server.autoscaling.enabled is true, but the render holds no HorizontalPodAutoscaler for %s %s: its replica count stays %v and nothing scales it (check the chart's autoscaling conditions)", [w.value.kind, w.value.metadata.name, replicas(w)])
	f := finding(w, intent_ref(rel, "server.autoscaling.enabled", w), msg)
}
