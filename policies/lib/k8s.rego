# Kubernetes objects as the DEPL rules read them: workloads and their pod
# templates, label selectors, indexes of input.manifests by release, kind and
# pod label, autoscalers, refs into rendered objects or the chart values that
# set them, and how a message names a file. Rule packages share these helpers
# through this package; no rule package imports another (policies_test.go
# checks it).
#
# The rules that join objects (custom.joins: true) call these helpers in the
# cross partition, where each object holds only what lint.CrossView keeps
# (kind, metadata, labels, selectors, replicas, autoscaler targets, pod
# template labels, affinity, spread and images): a helper here reads nothing
# else of an object.
package certgate.lib.k8s

# workload_kinds: the kinds whose pods come from spec.template.
workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

# pod_template_paths: where each kind that creates pods keeps its pod template
# (a Pod is its own template).
pod_template_paths := object.union(
	{kind: ["spec", "template"] | some kind in workload_kinds},
	{"CronJob": ["spec", "jobTemplate", "spec", "template"], "Pod": []},
)

pod_label_paths := {kind: array.concat(p, ["metadata", "labels"]) | some kind, p in pod_template_paths}

pod_spec_paths := {kind: array.concat(p, ["spec"]) | some kind, p in pod_template_paths}

# pod_template: the pod template of o ({} when it has none); undefined for a
# kind that creates no pods.
pod_template(o) := object.get(o.value, pod_template_paths[o.value.kind], {})

# pod_labels: the labels of the pods o creates.
pod_labels(o) := object.get(o.value, pod_label_paths[o.value.kind], {})

# pod_spec: the pod spec of the pods o creates.
pod_spec(o) := object.get(o.value, pod_spec_paths[o.value.kind], {})

# server_workloads: the Deployments and StatefulSets running the certctl server
# (the loader labels them role=server).
server_workloads contains w if {
	some w in input.manifests
	w.labels.role == "server"
	w.value.kind in {"Deployment", "StatefulSet"}
}

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

# ids_by_kind: the objects of each release and kind, by [release, kind].
kind_keys := [[[o.labels.release, o.value.kind], i] | some i, o in input.manifests]

ids_by_kind := {key: ids |
	some key in {k | some [k, _] in kind_keys}
	ids := [i | some [k, i] in kind_keys; k == key]
}

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

# selector_path: where a kind that selects pods by a label selector keeps it.
selector_path := {"PodDisruptionBudget": ["spec", "selector"], "NetworkPolicy": ["spec", "podSelector"]}

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

# selector_candidates: the positions of the objects of kind in w's release
# whose selector may select w's pods (each still has to match).
selector_candidates(w, kind) := {i |
	index := selector_ids
	some k, v in pod_labels(w)
	some i in object.get(index, [[w.labels.release, kind, k, v]], [])
} | {i |
	index := selector_ids
	some i in object.get(index, [[w.labels.release, kind]], [])
}

# selecting: the objects of kind (Service, PodDisruptionBudget or
# NetworkPolicy) in w's release that select w's pods. A Service selects by
# equality and only with a non-empty selector; the others by a label selector,
# where an empty one selects every pod.
selecting(w, "Service") := {s |
	some i in selector_candidates(w, "Service")
	s := input.manifests[i]
	sel := object.get(s.value, ["spec", "selector"], {})
	count(sel) > 0
	every k, v in sel {
		pod_labels(w)[k] == v
	}
}

selecting(w, kind) := {o |
	some i in selector_candidates(w, kind)
	o := input.manifests[i]
	selects(object.get(o.value, selector_path[kind], {}), pod_labels(w))
} if {
	kind in {"PodDisruptionBudget", "NetworkPolicy"}
}

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

expression_matches(e, labels) if {
	e.operator == "Exists"
	labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not labels[e.key]
}

# value_in: the label is present and one of values (a missing label is NotIn).
value_in(labels, key, values) if labels[key] in values

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

# Chart values: the renders of the certctl chart and the values keys that set
# what a rendered object holds.

# certctl_releases: the renders of the certctl chart (its values keys are the
# ones this catalog knows).
certctl_releases := [rel | some rel in object.get(input, "releases", []); rel.chart == "certctl"]

# asked(rel, path): the release's merged values turn path on.
asked(rel, path) if object.get(rel.values, path, false) == true

# release_ids: the positions of the chart renders in input.releases, by ID.
release_ids := {id: ids |
	some id in {rel.id | some rel in input.releases}
	ids := [i | some i, rel in input.releases; rel.id == id]
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

# intent_ref points at the values key of rel that set key last, else at the
# workload w.
intent_ref(rel, key, w) := r if {
	r := rel.value_refs[key]
} else := obj_ref(w, [])

# finding: a finding about object o at ref r.
finding(o, r, msg) := {"msg": msg, "ref": r, "subject": o.labels.subject}

# finding_fix: a finding that carries its own remediation (one sentence), which
# the engine reports instead of the package's custom.remediation.
finding_fix(o, r, msg, fix) := object.union(finding(o, r, msg), {"remediation": fix})

# where names the file of a ref for a message: the path of the input file with
# that ID (a rendered template's file ID also names its release, an internal
# key no user wrote), or --set for a value given on the command line.
where(r) := "--set" if {
	r.file == "--set"
} else := file_path(r.file)

# file_path: the path of the input file with ID id; the ID itself when the
# input lists no such file. It looks the ID up in paths_by_file_id, so naming
# the files of thousands of objects costs one lookup each, not a pass over
# input.files each.
file_path(id) := min(paths) if {
	index := paths_by_file_id
	paths := index[id]
} else := id

# paths_by_file_id: the paths of the input files of each ID, grouped in one
# pass like the indexes above.
file_keys := [[f.id, f.path] | some f in input.files]

paths_by_file_id := {id: paths |
	some id in {k | some [k, _] in file_keys}
	paths := {p | some [k, p] in file_keys; k == id}
}
