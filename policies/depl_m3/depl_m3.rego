# METADATA
# title: NetworkPolicy is an operator opt-in
# description: >-
#   The certctl chart ships no NetworkPolicy by default (it needs a CNI that
#   enforces it and knowledge of the cluster's ingress path), so until an operator
#   turns one on every pod in the cluster can reach the certctl server. This is a
#   reminder, not a failure: judged on the server workload of each release or
#   manifest stream, it reports when no NetworkPolicy selects the server pods.
#   When the chart values turn networkPolicy on and the render still holds none
#   for the server pods, that is a warning at the values key: the isolation the
#   operator asked for is not there.
# custom:
#   id: DEPL-M3
#   inputs: [manifest]
#   joins: true
#   severity: info
#   remediation: Set networkPolicy.enabled=true in the chart values (and networkPolicy.ingress for your ingress controller), or ship your own NetworkPolicy selecting the server pods.
#   docs: docs/policies.md#depl-m3
package certgate.depl_m3

import data.certgate.lib.k8s

# selected: some NetworkPolicy of w's release selects its pods.
selected(w) if count(k8s.selecting(w, "NetworkPolicy")) > 0

# np_asked: the certctl chart release of w, when its values turn networkPolicy on.
np_asked(w) := rel if {
	some rel in k8s.certctl_releases
	rel.id == w.labels.release
	k8s.asked(rel, ["networkPolicy", "enabled"])
}

info contains f if {
	some w in k8s.server_workloads
	not selected(w)
	not np_asked(w)
	msg := sprintf("no NetworkPolicy selects the server pods of %s: NetworkPolicy is an operator opt-in, so every pod in the cluster can reach the certctl server; turn it on with networkPolicy.enabled=true (chart values) or ship a NetworkPolicy", [w.value.metadata.name])
	f := k8s.finding(w, k8s.value_ref(w, "networkPolicy.enabled", ["spec", "template", "metadata", "labels"]), msg)
}

# Values intent: networkPolicy.enabled is true and the render holds no
# NetworkPolicy selecting the server pods.
warn contains f if {
	some w in k8s.server_workloads
	not selected(w)
	rel := np_asked(w)
	msg := sprintf("networkPolicy.enabled is true, but no NetworkPolicy of the render selects the server pods of %s: every pod in the cluster can still reach the certctl server (check the chart's networkPolicy conditions and podSelector)", [w.value.metadata.name])
	f := k8s.finding(w, k8s.intent_ref(rel, "networkPolicy.enabled", w), msg)
}
