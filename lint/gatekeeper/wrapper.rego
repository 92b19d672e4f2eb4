# The Gatekeeper wrapper: builds from one admitted object the Input document
# certgate's rules read (input.meta, input.files, input.manifests, input.envs),
# the way lint/kube builds it for a manifest stream, so the rule packages
# run unchanged under data.lib.certgate. The constants it reads (known
# releases, role variables and images) are generated beside it from certgate's
# Go code (package lib.certgate.gatekeeper, module facts).
package lib.certgate.gatekeeper

# document is the Input of one admission review. The clock is the only value
# the wrapper reads from the environment: certgate's rules never call
# time.now_ns, they judge input.meta.now_unix, which is filled here.
document(review, params) := {
	"meta": {
		"now_unix": floor(time.now_ns() / 1000000000),
		"certctl_version": target(params),
		"certctl_version_source": target_source(params),
		"profile": "",
	},
	"files": [{"id": file, "path": file, "kind": "manifest", "role": "", "sha256": "", "docs": [review.object]}],
	"envs": envs(review.object, params),
	"manifests": [manifest(review.object)],
	"compose": [],
}

# file is the ID the document's refs name: the admission review itself.
file := "admission"

# target is the certctl release the rules judge: the constraint's
# certctlVersion parameter, else each container's image tag (env.release), else
# the newest known release.
target(params) := v if {
	v := trim_prefix(object.get(params, "certctlVersion", ""), "v")
	v in known_releases
} else := newest_release

target_source(params) := "constraint parameter certctlVersion" if explicit(params)

target_source(params) := default_source if not explicit(params)

explicit(params) if trim_prefix(object.get(params, "certctlVersion", ""), "v") in known_releases

# reports: a finding of severity sev is a violation under the constraint's
# minSeverity parameter (default error).
reports(sev, params) if rank[sev] >= rank[object.get(params, "minSeverity", "error")]

rank := {"info": 0, "warning": 1, "error": 2}

# violation is what Gatekeeper shows: the rule ID first, as in every certgate
# output.
violation(rule, sev, f) := {
	"msg": sprintf("%s: %s", [rule, finding_msg(f)]),
	"details": {"rule": rule, "severity": sev},
}

finding_msg(f) := f if is_string(f)

finding_msg(f) := f.msg if is_object(f)

name(obj) := object.get(obj, ["metadata", "name"], "")

subject(obj) := sprintf("%s %s", [obj.kind, name(obj)])

# manifest is input.manifests[0], labelled as lint/kube labels an object.
manifest(obj) := {"ref": {"file": file, "doc": 0, "path": []}, "value": obj, "labels": object.union(base_labels(obj), role_label(obj))}

base_labels(obj) := {"kind": obj.kind, "name": name(obj), "release": file, "subject": subject(obj)}

role_label(obj) := {"role": object_role(obj)} if pod_spec_path(obj.kind)

role_label(obj) := {} if not pod_spec_path(obj.kind)

# The object's role: server when a container runs the server, else agent when
# one runs the agent, else other.
object_role(obj) := "server" if {
	some d in decisions(obj)
	d.role == "server"
} else := "agent" if {
	some d in decisions(obj)
	d.role == "agent"
} else := "other"

# pod_spec_path: where a kind keeps its pod spec (as lint/kube).
pod_spec_path(kind) := ["spec"] if kind == "Pod"

pod_spec_path(kind) := ["spec", "template", "spec"] if kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

pod_spec_path(kind) := ["spec", "jobTemplate", "spec", "template", "spec"] if kind == "CronJob"

pod_spec(obj) := object.get(obj, pod_spec_path(obj.kind), {})

pod_labels(obj) := object.get(obj, array.concat(array.slice(p, 0, count(p) - 1), ["metadata", "labels"]), {}) if {
	p := pod_spec_path(obj.kind)
}

containers(obj) := [c | some c in object.get(pod_spec(obj), "containers", []); is_object(c)]

component(obj) := v if {
	v := object.get(pod_labels(obj), component_label, "")
	v != ""
} else := object.get(obj, ["metadata", "labels", component_label], "")

component_label := "app.kubernetes.io/component"

# vars are a container's variables: a literal value is known, a valueFrom is
# known only at run time (admission sees no Secret or ConfigMap). A name listed
# twice keeps its last entry, as Kubernetes does.
vars(obj, ci, c) := {n: var(obj, ci, i, e) |
	env := object.get(c, "env", [])
	some i, e in env
	is_object(e)
	n := object.get(e, "name", "")
	n != ""
	not listed_later(env, i, n)
}

listed_later(env, i, n) if {
	some j, e in env
	j > i
	object.get(e, "name", "") == n
}

var(obj, ci, i, e) := {"value": scalar(object.get(e, "value", null)), "known": true, "ref": env_ref(obj, ci, ["env", i])} if {
	literal(e)
}

var(obj, ci, i, e) := {"value": "", "known": false, "ref": env_ref(obj, ci, ["env", i])} if {
	not literal(e)
}

literal(e) if "value" in object.keys(e)

literal(e) if object.get(e, "valueFrom", null) == null

scalar(v) := "" if v == null

scalar(v) := v if is_string(v)

scalar(v) := sprintf("%v", [v]) if {
	v != null
	not is_string(v)
}

env_ref(obj, ci, rest) := {"file": file, "doc": 0, "path": array.concat(array.concat(pod_spec_path(obj.kind), ["containers", ci]), rest)}

# unresolved is every envFrom source: admission sees none of them, so the
# environment is open (an absent variable is unknown, not unset).
unresolved(c) := concat(",", [sprintf("%s/%s", [kind, object.get(f[field], "name", "")]) |
	some f in object.get(c, "envFrom", [])
	some field, kind in {"secretRef": "Secret", "configMapRef": "ConfigMap"}
	is_object(f[field])
])

# image_repository is the image without tag and digest, lower-cased.
image_repository(image) := regex.replace(regex.replace(lower(trim_space(image)), `@.*$`, ""), `:[^/:]*$`, "")

image_role(image) := "" if image_repository(image) == ""

image_role(image) := "agent" if {
	r := image_repository(image)
	r != ""
	regex.match(agent_image, r)
}

image_role(image) := "server" if {
	r := image_repository(image)
	r != ""
	not regex.match(agent_image, r)
	regex.match(server_image, r)
}

image_role(image) := "" if {
	r := image_repository(image)
	r != ""
	not regex.match(agent_image, r)
	not regex.match(server_image, r)
}

# image_release is the known release an image tag names, or "".
image_release(image) := v if {
	ref := split(image, "@")[0]
	parts := regex.find_all_string_submatch_n(`:([^:/]*)$`, ref, 1)
	v := trim_prefix(trim_space(parts[0][1]), "v")
	v in known_releases
} else := ""

var_role(vs) := ["server", n] if {
	ns := [n | some n in server_only_vars; vs[n]]
	n := ns[0]
} else := ["agent", n] if {
	ns := [n | some n in agent_only_vars; vs[n]]
	n := ns[0]
} else := ["", ""]

name_role(workload, container) := r if {
	names := lower(sprintf("%s %s", [workload, container]))
	contains(names, "certctl")
	r := name_role_of(names)
} else := ""

name_role_of(names) := "agent" if contains(names, "agent")

name_role_of(names) := "server" if {
	not contains(names, "agent")
	contains(names, "server")
}

# decide is lint.DecideRole without certgate.yaml overrides: the image, then
# server- or agent-only variables, then the component label, then names.
decide(image, vs, label, nrole) := d if {
	r := image_role(image)
	r != ""
	d := {"role": r, "by": "image", "evidence": image, "conflict": conflicts(label, r)}
} else := d if {
	[r, n] := var_role(vs)
	r != ""
	d := {"role": r, "by": "variable", "evidence": n, "conflict": conflicts(label, r)}
} else := {"role": label, "by": "label", "evidence": label, "conflict": false} if {
	label in {"server", "agent"}
} else := {"role": nrole, "by": "name", "evidence": "", "conflict": false} if {
	nrole != ""
} else := {"role": "other", "by": "", "evidence": "", "conflict": false}

conflicts(label, role) := true if {
	label in {"server", "agent"}
	label != role
} else := false

first_decisions(obj) := [decide(object.get(c, "image", ""), vars(obj, ci, c), component(obj), name_role(name(obj), object.get(c, "name", ""))) |
	some ci, c in containers(obj)
]

# decisions: the pod's component label names the role of the pod, not of every
# sidecar: once another container shows that role by its image or variables,
# the label no longer decides for a container.
decisions(obj) := [final(obj, ds, ci, c) | ds := first_decisions(obj); some ci, c in containers(obj)]

final(obj, ds, ci, c) := decide(object.get(c, "image", ""), vars(obj, ci, c), "", name_role(name(obj), object.get(c, "name", ""))) if {
	ds[ci].by == "label"
	some j, other in ds
	j != ci
	other.role == ds[ci].role
	not other.by in {"label", "name"}
} else := ds[ci]

envs(obj, params) := [env(obj, params, ci, c, ds[ci]) | ds := decisions(obj); some ci, c in containers(obj)]

env(obj, params, ci, c, d) := {
	"id": sprintf("%s container %s", [subject(obj), object.get(c, "name", "")]),
	"origin": "container",
	"role": d.role,
	"release": env_release(params, object.get(c, "image", "")),
	"ref": env_ref(obj, ci, []),
	"vars": vars(obj, ci, c),
	"labels": env_labels(obj, c, d),
}

env_release(params, _) := "" if explicit(params)

env_release(params, image) := image_release(image) if not explicit(params)

env_labels(obj, c, d) := object.union_n([
	{
		"release": file,
		"workload": sprintf("%s/%s", [obj.kind, name(obj)]),
		"container": object.get(c, "name", ""),
		"image": object.get(c, "image", ""),
		"component": component(obj),
	},
	{k: v | some k, v in {"role_by": d.by, "role_evidence": d.evidence}; v != ""},
	{"role_conflict": "true" | d.conflict},
	{"env_from_unresolved": u | u := unresolved(c); u != ""},
])
