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
#   severity: error
#   remediation: Layer values-ha.yaml (3 replicas, PDB minAvailable 2, sessionAffinity ClientIP, external PostgreSQL, rate-limit backend postgres, topology spread), or keep one replica with podDisruptionBudget.enabled=false.
#   docs: docs/policies.md#depl-h1
package certgate.depl_h1

# This file holds the shared model: the server workloads of each release, their
# replica floor, selectors and refs. The rules are in pdb.rego (disruption
# budgets) and replicas.rego (what several replicas need).

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

# server_workloads: the Deployments and StatefulSets running the certctl server
# (the loader labels them role=server).
server_workloads contains w if {
	some w in input.manifests
	w.labels.role == "server"
	w.value.kind in {"Deployment", "StatefulSet"}
}

same_release(a, b) if a.labels.release == b.labels.release

# objects indexes every object by release and kind. It is evaluated once per
# input, so per-workload lookups stay constant-time on large streams. It is a
# complete rule built from array comprehensions: a partial rule with thousands
# of entries makes OPA check every pair of entries for key collisions, and a set
# hashes every object.
objects := {rel: {kind: [o |
	some o in input.manifests
	o.labels.release == rel
	o.value.kind == kind
] |
	some kind in kinds_in[rel]
} |
	some rel, _ in kinds_in
}

kinds_in := {rel: {o.value.kind | some o in input.manifests; o.labels.release == rel} | some rel in {o.labels.release | some o in input.manifests}}

# of_kind: the objects of kind in the release of rel_obj.
of_kind(rel_obj, kind) := s if {
	# Binding the whole index first makes OPA build (and cache) it once instead
	# of re-running its body for every ground key.
	index := objects
	s := index[rel_obj.labels.release][kind]
} else := []

# pod_label_sets: the pod labels of every workload, by release.
pod_label_sets[rel] contains labels if {
	some o in input.manifests
	labels := pod_labels(o)
	count(labels) > 0
	rel := o.labels.release
}

# pod_labels: the labels of the pods a workload creates.
pod_labels(o) := object.get(o.value, ["spec", "template", "metadata", "labels"], {}) if o.value.kind in workload_kinds

pod_labels(o) := object.get(o.value, ["spec", "jobTemplate", "spec", "template", "metadata", "labels"], {}) if o.value.kind == "CronJob"

pod_labels(o) := object.get(o.value, ["metadata", "labels"], {}) if o.value.kind == "Pod"

# hpas: the autoscalers that scale workload w.
hpas(w) := {h |
	some h in of_kind(w, "HorizontalPodAutoscaler")
	h.value.spec.scaleTargetRef.kind == w.value.kind
	h.value.spec.scaleTargetRef.name == w.value.metadata.name
}

# replicas: the replica floor of w (an HPA's minReplicas, default 1; else
# spec.replicas, default 1).
replicas(w) := min({object.get(h.value.spec, "minReplicas", 1) | some h in hpas(w)}) if count(hpas(w)) > 0

replicas(w) := object.get(w.value.spec, "replicas", 1) if count(hpas(w)) == 0

replicas_ref(w) := value_ref(h, "server.autoscaling.minReplicas", ["spec", "minReplicas"]) if some h in hpas(w)

replicas_ref(w) := value_ref(w, "server.replicas", ["spec", "replicas"]) if count(hpas(w)) == 0

# selects: a label selector (matchLabels and matchExpressions) matches labels.
selects(sel, labels) if {
	every k, v in object.get(sel, "matchLabels", {}) {
		labels[k] == v
	}
	every e in object.get(sel, "matchExpressions", []) {
		expression_matches(e, labels)
	}
}

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in e.values
}

expression_matches(e, labels) if {
	e.operator == "NotIn"
	not value_in(labels, e.key, e.values)
}

# value_in: the label is present and one of values (a missing label is NotIn).
value_in(labels, key, values) if labels[key] in values

expression_matches(e, labels) if {
	e.operator == "Exists"
	labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not labels[e.key]
}

# server_pdbs: the PodDisruptionBudgets of w's release that select its pods.
server_pdbs(w) := {p |
	some p in of_kind(w, "PodDisruptionBudget")
	selects(object.get(p.value, ["spec", "selector"], {}), pod_labels(w))
}

# obj_ref points into a rendered object.
obj_ref(o, path) := {"file": o.ref.file, "doc": o.ref.doc, "path": array.concat(o.ref.path, path)}

# value_ref points at the values key that set a certctl chart value (file:line,
# or --set), else into the rendered object.
value_ref(o, key, path) := r if {
	some rel in input.releases
	rel.id == o.labels.release
	rel.chart == "certctl"
	r := rel.value_refs[key]
} else := obj_ref(o, path)

# where names a ref's file for messages.
where(r) := r.file

finding(o, r, msg) := {"msg": msg, "ref": r, "subject": o.labels.subject}
