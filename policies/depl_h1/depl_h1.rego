# METADATA
# title: HA chart invariants
# description: >-
#   A certctl release with several server replicas needs a PodDisruptionBudget that
#   still lets a node drain proceed, ClientIP session affinity on the server Service
#   (sessions live on one pod), shared state (rate-limit counters in PostgreSQL, a
#   database outside the single bundled pod) and replicas spread across nodes. A PDB
#   that requires every replica, a PDB on a single replica, or a PDB that selects no
#   pod blocks drains and rollouts forever or protects nothing. Judged on the server
#   workload of each release or manifest stream; a HorizontalPodAutoscaler's
#   minReplicas is the replica floor. Findings caused by a chart value point at the
#   values key that set it. Values that ask for a PodDisruptionBudget (an error)
#   or a HorizontalPodAutoscaler (a warning) that the render does not hold, for
#   example a budget the chart skips on a single replica, are reported at that
#   values key.
# custom:
#   id: DEPL-H1
#   inputs: [manifest]
#   joins: true
#   severity: error
#   remediation: Layer values-ha.yaml (3 replicas, PDB minAvailable 2, sessionAffinity ClientIP, external PostgreSQL, rate-limit backend postgres, topology spread), or keep one replica with podDisruptionBudget.enabled=false.
#   docs: docs/policies.md#depl-h1
package certgate.depl_h1

import data.certgate.lib.k8s

# This file holds what the rules share beyond data.certgate.lib.k8s (server
# workloads, indexes, selectors, replica floors, refs): where the replica floor
# is set, and the remediation of each check. The rules are in pdb.rego
# (disruption budgets), replicas.rego (what several replicas need) and
# intent.rego (what the chart values asked for).

# replicas_ref: where the replica floor of w is set (the autoscaler's
# minReplicas, else the workload's replicas), as a values key when the certctl
# chart sets it.
replicas_ref(w) := k8s.value_ref(h, "server.autoscaling.minReplicas", ["spec", "minReplicas"]) if some h in k8s.hpas(w)

replicas_ref(w) := k8s.value_ref(w, "server.replicas", ["spec", "replicas"]) if count(k8s.hpas(w)) == 0

# fixes: the remediation of each check, one sentence each; a finding carries
# its own (k8s.finding_fix), and custom.remediation above stays the default.
fixes := {
	"pdb_not_rendered_single": "Set server.replicas to 2 or more (with podDisruptionBudget.minAvailable below it) so the chart renders the budget, or set podDisruptionBudget.enabled=false.",
	"pdb_not_rendered": "Check the chart's podDisruptionBudget conditions so the render holds a PodDisruptionBudget selecting the server pods, or set podDisruptionBudget.enabled=false.",
	"hpa_not_rendered": "Check the chart's server.autoscaling conditions so the render holds a HorizontalPodAutoscaler targeting the server workload, or set server.autoscaling.enabled=false.",
	"min_available": "Set the PodDisruptionBudget's minAvailable (podDisruptionBudget.minAvailable) below the server replica count, for example 2 of 3 replicas.",
	"max_unavailable": "Set the PodDisruptionBudget's maxUnavailable (podDisruptionBudget.maxUnavailable) to 1 or more, or to a percentage above 0%.",
	"single_replica": "Set podDisruptionBudget.enabled=false while the server runs one replica, or run 2 or more replicas (server.replicas) before enabling the budget.",
	"both_fields": "Set exactly one of minAvailable and maxUnavailable on the PodDisruptionBudget (podDisruptionBudget.minAvailable=null when you use maxUnavailable).",
	"selects_nothing": "Make the PodDisruptionBudget's spec.selector match the pod template labels of a workload in its release, or delete the budget.",
	"session_affinity": "Set server.service.sessionAffinity=ClientIP, or annotate the Service certgate.io/session-affinity: upstream when the load balancer in front keeps each client on one pod.",
	"upstream_affinity": "Keep client affinity configured on the load balancer in front of the Service, or set server.service.sessionAffinity=ClientIP and drop the certgate.io/session-affinity annotation.",
	"bundled_postgres": "Point the server at an external, replicated PostgreSQL and set postgresql.enabled=false.",
	"rate_limit": "Set server.rateLimit.backend=postgres (CERTCTL_RATE_LIMIT_BACKEND=postgres) so every server replica counts against the same limits.",
	"no_pdb": "Set podDisruptionBudget.enabled=true with podDisruptionBudget.minAvailable below the replica count, or ship a PodDisruptionBudget selecting the server pods.",
	"spread": "Set server.topologySpreadConstraints (values-ha.yaml spreads by kubernetes.io/hostname) or pod anti-affinity so the server replicas run on different nodes.",
}
