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

# The indexes below are built in one pass over input.manifests each, so every
# join (a workload and its budgets, autoscalers, Services, NetworkPolicies and
# environments) costs what it finds, not the size of the release. Each is a
# list of [key, position] pairs grouped by an object comprehension whose inner
# comprehension compares the key with ==: OPA evaluates such a comprehension
# once and indexes it by key (a function does not get that index, and a partial
# rule with thousands of keys makes OPA check every pair of keys for
# collisions). They hold positions in input.manifests, in input order, rather
# than whole objects. Binding an index to a variable (index := ids_by_kind)
# makes OPA build and cache it once instead of re-running its body for every
# ground key.

# ids_by_kind: the objects of each release and kind.
kind_keys := [[[o.labels.release, o.value.kind], i] | some i, o in input.manifests]

ids_by_kind := {key: ids |
	some key in {k | some [k, _] in kind_keys}
	ids := [i | some [k, i] in kind_keys; k == key]
}

# of_kind: the objects of kind in the release of rel_obj.
of_kind(rel_obj, kind) := [input.manifests[i] | some i in ids] if {
	index := ids_by_kind
	ids := index[[rel_obj.labels.release, kind]]
} else := []

# kind_count: how many objects of kind the release of rel_obj holds.
kind_count(rel_obj, kind) := count(ids) if {
	index := ids_by_kind
	ids := index[[rel_obj.labels.release, kind]]
} else := 0

# pod_label_sets: the pod labels of every workload, by release.
pod_label_sets[rel] contains labels if {
	some o in input.manifests
	labels := pod_labels(o)
	count(labels) > 0
	rel := o.labels.release
}

# pod_ids: the workloads of each release whose pods carry the label k=v, by
# [release, k, v].
pod_keys := [[[rel, k, v], i] |
	some i, o in input.manifests
	labels := pod_labels(o)
	is_object(labels)
	some k, v in labels
	rel := o.labels.release
]

pod_ids := {key: ids |
	some key in {k | some [k, _] in pod_keys}
	ids := [i | some [k, i] in pod_keys; k == key]
}

# rarest_label: of the labels a selector requires of the pods of release rel,
# the one fewest pods carry, as [count, key, value]; a pod it selects carries
# that label, so looking it up in pod_ids finds every candidate.
rarest_label(index, rel, match) := min({[n, k, v] |
	some k, v in match
	n := count(object.get(index, [[rel, k, v]], []))
})

# exact_labels: the labels a selector of kind requires, when it requires at
# least one; undefined otherwise (an empty or absent selector, or one that is
# not a mapping), and such a selector is matched against every pod instead.
exact_labels("Service", o) := sel if {
	sel := o.value.spec.selector
	is_object(sel)
	count(sel) > 0
}

exact_labels(kind, o) := match if {
	kind in {"PodDisruptionBudget", "NetworkPolicy"}
	sel := object.get(o.value, selector_path[kind], {})
	is_object(sel)
	match := sel.matchLabels
	is_object(match)
	count(match) > 0
}

selector_path := {"PodDisruptionBudget": ["spec", "selector"], "NetworkPolicy": ["spec", "podSelector"]}

# in_expression: the first matchExpressions entry of a selector of kind that
# requires a label to be one of a list of values (operator In); undefined when
# there is none.
in_expression(kind, o) := exprs[j] if {
	kind in {"PodDisruptionBudget", "NetworkPolicy"}
	sel := object.get(o.value, selector_path[kind], {})
	is_object(sel)
	exprs := sel.matchExpressions
	is_array(exprs)
	j := min({j |
		some j, e in exprs
		is_object(e)
		e.operator == "In"
		is_array(e.values)
	})
}

# selector_ids: the Services, PodDisruptionBudgets and NetworkPolicies of each
# release by [release, kind, k, v]: k=v is the rarest pod label their selector
# requires, or, without one, each k=v an In expression allows; by [release,
# kind] when they require neither (those are tried against every workload).
selector_keys := [[key, i] |
	some i, o in input.manifests
	kind := o.value.kind
	kind in {"Service", "PodDisruptionBudget", "NetworkPolicy"}
	rel := o.labels.release
	some key in selector_keys_of(rel, kind, o)
]

selector_keys_of(rel, kind, o) := [[rel, kind, k, v]] if {
	match := exact_labels(kind, o)
	index := pod_ids
	[_, k, v] := rarest_label(index, rel, match)
} else := [[rel, kind, e.key, v] | some v in e.values] if {
	e := in_expression(kind, o)
} else := [[rel, kind]]

selector_ids := {key: ids |
	some key in {k | some [k, _] in selector_keys}
	ids := [i | some [k, i] in selector_keys; k == key]
}

# selector_candidates: the objects of kind in w's release whose selector may
# select w's pods (each still has to match).
selector_candidates(w, kind) := {i |
	index := selector_ids
	some k, v in pod_labels(w)
	some i in object.get(index, [[w.labels.release, kind, k, v]], [])
} | {i |
	index := selector_ids
	some i in object.get(index, [[w.labels.release, kind]], [])
}

# pod_labels: the labels of the pods a workload creates.
pod_labels(o) := object.get(o.value, ["spec", "template", "metadata", "labels"], {}) if o.value.kind in workload_kinds

pod_labels(o) := object.get(o.value, ["spec", "jobTemplate", "spec", "template", "metadata", "labels"], {}) if o.value.kind == "CronJob"

pod_labels(o) := object.get(o.value, ["metadata", "labels"], {}) if o.value.kind == "Pod"

# hpas: the autoscalers that scale workload w.
hpas(w) := {input.manifests[i] | some i in ids} if {
	index := hpa_ids
	ids := index[[w.labels.release, w.value.kind, w.value.metadata.name]]
} else := set()

# hpa_ids: the HorizontalPodAutoscalers of each release by [release, target
# kind, target name].
hpa_keys := [[[rel, kind, name], i] |
	some i, h in input.manifests
	h.value.kind == "HorizontalPodAutoscaler"
	rel := h.labels.release
	kind := h.value.spec.scaleTargetRef.kind
	name := h.value.spec.scaleTargetRef.name
]

hpa_ids := {key: ids |
	some key in {k | some [k, _] in hpa_keys}
	ids := [i | some [k, i] in hpa_keys; k == key]
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
	some i in selector_candidates(w, "PodDisruptionBudget")
	p := input.manifests[i]
	selects(object.get(p.value, ["spec", "selector"], {}), pod_labels(w))
}

# obj_ref points into a rendered object.
obj_ref(o, path) := {"file": o.ref.file, "doc": o.ref.doc, "path": array.concat(o.ref.path, path)}

# value_ref points at the values key that set a certctl chart value (file:line,
# or --set), else into the rendered object.
value_ref(o, key, path) := r if {
	index := release_ids
	some i in index[o.labels.release]
	rel := input.releases[i]
	rel.chart == "certctl"
	r := rel.value_refs[key]
} else := obj_ref(o, path)

# release_ids: the positions of the chart renders in input.releases, by ID.
release_ids := {id: ids |
	some id in {rel.id | some rel in input.releases}
	ids := [i | some i, rel in input.releases; rel.id == id]
}

# where names a ref's file for messages.
where(r) := r.file

finding(o, r, msg) := {"msg": msg, "ref": r, "subject": o.labels.subject}
