package certgate.depl_h1

import data.certgate.lib.k8s

# Values intent: a values file or --set that turns on a PodDisruptionBudget or
# a HorizontalPodAutoscaler for the certctl chart, while the render holds none
# for the server workload. The finding points at the values key.

server_workloads_of(rel) := [w | some w in k8s.server_workloads; w.labels.release == rel.id]

# pdb_asked: the values of w's release ask for a PodDisruptionBudget.
pdb_asked(w) if {
	some rel in k8s.certctl_releases
	rel.id == w.labels.release
	k8s.asked(rel, ["podDisruptionBudget", "enabled"])
}

deny contains f if {
	some rel in k8s.certctl_releases
	k8s.asked(rel, ["podDisruptionBudget", "enabled"])
	some w in server_workloads_of(rel)
	k8s.kind_count(w, "PodDisruptionBudget") == 0
	n := k8s.replicas(w)
	msg := sprintf("podDisruptionBudget.enabled is true, but the render holds no PodDisruptionBudget for the server pods of %s: %s; set server.replicas to 2 or more (with minAvailable below it), or podDisruptionBudget.enabled=false", [w.value.metadata.name, pdb_skipped_why(n)])
	f := k8s.finding_fix(w, k8s.intent_ref(rel, "podDisruptionBudget.enabled", w), msg, pdb_skipped_fix(n))
}

pdb_skipped_why(n) := sprintf("it runs %v server replica, and the chart renders no budget for a single replica (one would block every node drain or protect nothing), so a drain may take the only server pod down", [n]) if n < 2

pdb_skipped_why(n) := sprintf("with %v server replicas the chart's template still rendered none, so a node drain may evict every replica at once (check the chart's podDisruptionBudget conditions)", [n]) if n >= 2

pdb_skipped_fix(n) := fixes.pdb_not_rendered_single if n < 2

pdb_skipped_fix(n) := fixes.pdb_not_rendered if n >= 2

warn contains f if {
	some rel in k8s.certctl_releases
	k8s.asked(rel, ["server", "autoscaling", "enabled"])
	some w in server_workloads_of(rel)
	count(k8s.hpas(w)) == 0
	msg := sprintf("server.autoscaling.enabled is true, but the render holds no HorizontalPodAutoscaler for %s %s: its replica count stays %v and nothing scales it (check the chart's autoscaling conditions)", [w.value.kind, w.value.metadata.name, k8s.replicas(w)])
	f := k8s.finding_fix(w, k8s.intent_ref(rel, "server.autoscaling.enabled", w), msg, fixes.hpa_not_rendered)
}
