# The conftest peer of the benchmark: conftest evaluates certgate's own catalog
# (the non-test files of policies/ and policies/lib, which the driver copies
# beside this file) on the same inputs, through this adapter. It maps what
# conftest parsed into certgate's Input document (docs/ARCHITECTURE.md, "The
# Input document") and re-exports every rule package's deny, warn and info, so
# both tools judge the same things: the environment rules, the placeholder
# scans and the HA joins.
#
#   conftest test --combine -p DIR stream.yaml         a manifest stream
#   conftest test --parser dotenv -p DIR server.env    a .env file
#
# What it does not model: # Source: comments (subjects name the object only),
# kind: List, certgate.yaml (roles, carve-outs), chart releases, and host facts
# (conftest does not stat the files a .env names).
package main

import rego.v1

# findings gathers [package, kind, finding] from every rule package; evaluated
# once under `with input as doc`, so the catalog's helpers are cached across
# packages as in certgate's engine.
findings contains [pkg, "deny", f] if {
	some pkg
	some f in data.certgate[pkg].deny
}

findings contains [pkg, "warn", f] if {
	some pkg
	some f in data.certgate[pkg].warn
}

findings contains [pkg, "info", f] if {
	some pkg
	some f in data.certgate[pkg].info
}

results := r if {
	r := findings with input as doc
}

# Each result carries the package, the severity (deny is an error, warn a
# warning, info an info), the rule's message and its subject beside conftest's
# msg, so the two tools' findings can be compared.
deny contains result(pkg, "error", f) if some [pkg, "deny", f] in results

warn contains result(pkg, "warning", f) if some [pkg, "warn", f] in results

warn contains result(pkg, "info", f) if some [pkg, "info", f] in results

result(pkg, severity, f) := {
	"msg": sprintf("%s %s: %s (%s)", [pkg, severity, f.msg, object.get(f, "subject", "")]),
	"package": pkg,
	"severity": severity,
	"message": f.msg,
	"subject": object.get(f, "subject", ""),
}

# ---------------------------------------------------------------------------
# The Input document.

default_release := "2.2.0"

known_releases := {"2.1.0", "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1.7", "2.2.0"}

meta := {
	"now_unix": floor(time.now_ns() / 1000000000),
	"certctl_version": default_release,
	"certctl_version_source": "default: the newest known release",
	"profile": "",
}

# A manifest stream (--combine): input is [{path, contents}], one entry per
# YAML document.
doc := {
	"meta": meta,
	"files": stream_files,
	"envs": envs,
	"manifests": manifests,
	"compose": [],
	"carveouts": [],
} if is_array(input)

# A .env file (--parser dotenv): input is {NAME: value}.
doc := {
	"meta": meta,
	"files": [{"id": "env", "path": "env", "kind": "dotenv", "role": "", "docs": [input]}],
	"envs": [dotenv_env],
	"compose": [],
	"carveouts": [],
} if is_object(input)

# --- .env files

env_prefixes := ["CERTCTL_", "POSTGRES_", "PG"]

dotenv_env := {
	"id": "env files",
	"origin": "dotenv",
	"role": "server",
	"release": "",
	"ref": {"file": "env", "doc": 0, "path": []},
	"labels": {},
	"vars": {name: {"value": v, "known": true, "ref": {"file": "env", "doc": 0, "path": [name]}} |
		some name, v in input
		some p in env_prefixes
		startswith(name, p)
	},
}

# --- manifest streams

paths := {e.path | some e in input}

first_entry := {p: min({i | some i, e in input; e.path == p}) | some p in paths}

stream_files := [{"id": p, "path": p, "kind": "manifest", "role": "", "docs": [e.contents | some e in input; e.path == p]} | some p in paths]

# raw: every Kubernetes object, with its ref and labels (role comes later).
raw := [{"ref": {"file": e.path, "doc": i - first_entry[e.path], "path": []}, "value": e.contents} |
	some i, e in input
	is_object(e.contents)
	e.contents.kind
	e.contents.apiVersion
]

obj_labels(o) := {
	"kind": o.value.kind,
	"name": object.get(o.value, ["metadata", "name"], ""),
	"release": o.ref.file,
	"subject": sprintf("%s %s", [o.value.kind, object.get(o.value, ["metadata", "name"], "")]),
}

manifests := [{"ref": o.ref, "value": o.value, "labels": object.union(obj_labels(o), role_label(i))} | some i, o in raw]

role_label(i) := {"role": workload_role[i]} if workload_role[i]

else := {}

# workload_role: server when a container runs the server, else agent when one
# runs the agent, else other (objects with a pod template only).
workload_role[i] := r if {
	some i, o in raw
	pod_spec_path[o.value.kind]
	roles := {e.role | some e in envs_by_obj[i]}
	r := obj_role(roles)
}

obj_role(roles) := "server" if "server" in roles

else := "agent" if "agent" in roles

else := "other"

pod_spec_path := {
	"Pod": ["spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

pod_labels_path(kind) := array.concat(array.slice(pod_spec_path[kind], 0, count(pod_spec_path[kind]) - 1), ["metadata", "labels"])

# store: the data of every Secret (decoded) and ConfigMap, by kind/namespace/name.
store := {sprintf("%s/%s/%s", [o.value.kind, ns(o), o.value.metadata.name]): object_data(o) |
	some o in raw
	o.value.kind in {"Secret", "ConfigMap"}
}

ns(o) := object.get(o.value, ["metadata", "namespace"], "")

object_data(o) := {k: base64.decode(v) | some k, v in object.get(o.value, "data", {})} if o.value.kind == "Secret"

object_data(o) := object.get(o.value, "data", {}) if o.value.kind == "ConfigMap"

lookup(kind, namespace, name) := store[sprintf("%s/%s/%s", [kind, namespace, name])]

envs := [e | some i, _ in raw; some e in envs_by_obj[i]]

envs_by_obj[i] := [container_env(o, spec, ci, c) |
	some ci, c in object.get(spec, "containers", [])
] if {
	some i, o in raw
	path := pod_spec_path[o.value.kind]
	spec := object.get(o.value, path, {})
}

scalar(v) := v if is_string(v)

else := "" if v == null

else := sprintf("%v", [v])

container_env(o, spec, ci, c) := e if {
	kind := o.value.kind
	name := object.get(o.value, ["metadata", "name"], "")
	base := array.concat(pod_spec_path[kind], ["containers", ci])
	ref := {"file": o.ref.file, "doc": o.ref.doc, "path": base}
	namespace := ns(o)
	from_vars := {sprintf("%s%s", [object.get(f, "prefix", ""), k]): {"value": v, "known": true, "ref": {"file": o.ref.file, "doc": o.ref.doc, "path": array.concat(base, ["envFrom", fi])}} |
		some fi, f in object.get(c, "envFrom", [])
		some kf, field in {"Secret": "secretRef", "ConfigMap": "configMapRef"}
		src := f[field]
		some k, v in lookup(kf, namespace, src.name)
	}
	env_vars := {v.name: var_of(v, namespace, {"file": o.ref.file, "doc": o.ref.doc, "path": array.concat(base, ["env", vi])}) |
		some vi, v in object.get(c, "env", [])
		object.get(v, "name", "") != ""
	}
	vars := object.union(from_vars, env_vars)
	image := object.get(c, "image", "")
	cname := object.get(c, "name", "")
	component := object.get(o.value, array.concat(pod_labels_path(kind), ["app.kubernetes.io/component"]), object.get(o.value, ["metadata", "labels", "app.kubernetes.io/component"], ""))
	d := decide_role(image, vars, component, name, cname)
	rel := release_of(image)
	e := {
		"id": sprintf("%s %s container %s", [kind, name, cname]),
		"origin": "container",
		"role": d.role,
		"release": rel,
		"ref": ref,
		"labels": object.union(
			{
				"workload": sprintf("%s/%s", [kind, name]),
				"container": cname,
				"image": image,
				"component": component,
				"release": o.ref.file,
			},
			d.labels,
		),
		"vars": vars,
		"mounts": mounts(spec, c),
	}
}

var_of(v, _, ref) := {"value": scalar(object.get(v, "value", null)), "known": true, "ref": ref} if {
	not v.valueFrom
}

var_of(v, namespace, ref) := {"value": val, "known": true, "ref": ref} if {
	v.valueFrom
	val := resolve(v.valueFrom, namespace)
}

var_of(v, namespace, ref) := {"value": "", "known": false, "ref": ref} if {
	v.valueFrom
	not resolve(v.valueFrom, namespace)
}

resolve(vf, namespace) := lookup("Secret", namespace, vf.secretKeyRef.name)[vf.secretKeyRef.key]

resolve(vf, namespace) := lookup("ConfigMap", namespace, vf.configMapKeyRef.name)[vf.configMapKeyRef.key]

# release_of: the certctl release an image tag names, "" for any other tag.
release_of(image) := trim_prefix(tag, "v") if {
	role_from_image(image) != ""
	parts := split(image_without_digest(image), ":")
	count(parts) > 1
	tag := parts[count(parts) - 1]
	not contains(tag, "/")
	trim_prefix(tag, "v") in known_releases
} else := ""

image_without_digest(image) := split(image, "@")[0]

repository(image) := r if {
	i := lower(trim_space(image_without_digest(image)))
	parts := split(i, ":")
	count(parts) > 1
	not contains(parts[count(parts) - 1], "/")
	r := concat(":", array.slice(parts, 0, count(parts) - 1))
} else := lower(trim_space(image_without_digest(image)))

role_from_image(image) := "agent" if regex.match(`(^|/)certctl[-_/]agent$`, repository(image))

else := "server" if regex.match(`(^|/)certctl([-_/]server)?$`, repository(image))

else := ""

server_only_vars := [
	"CERTCTL_SERVER_TLS_CERT_PATH", "CERTCTL_SERVER_TLS_KEY_PATH", "CERTCTL_DATABASE_URL",
	"CERTCTL_AUTH_TYPE", "CERTCTL_AUTH_SECRET", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY",
	"CERTCTL_DEMO_MODE_ACK", "CERTCTL_DEMO_MODE_ACK_TS", "CERTCTL_ACME_INSECURE",
	"CERTCTL_ACME_INSECURE_ACK", "CERTCTL_MAX_BODY_SIZE", "CERTCTL_RATE_LIMIT_BACKEND",
]

agent_only_vars := ["CERTCTL_AGENT_ID", "CERTCTL_SERVER_URL"]

role_from_vars(vars) := ["server", k] if {
	some k in server_only_vars
	vars[k]
} else := ["agent", k] if {
	some k in agent_only_vars
	vars[k]
} else := ["", ""]

name_role(workload, container) := r if {
	names := lower(sprintf("%s %s", [workload, container]))
	contains(names, "certctl")
	r := name_role_of(names)
} else := ""

name_role_of(names) := "agent" if contains(names, "agent")

else := "server" if contains(names, "server")

else := ""

# decide_role: the image, server- or agent-only variables, the component label,
# then names (lint.DecideRole without certgate.yaml's roles).
decide_role(image, vars, component, workload, container) := {"role": r, "labels": conflict_label({"role_by": "image", "role_evidence": image}, r, component)} if {
	r := role_from_image(image)
	r != ""
} else := {"role": rv[0], "labels": conflict_label({"role_by": "variable", "role_evidence": rv[1]}, rv[0], component)} if {
	rv := role_from_vars(vars)
	rv[0] != ""
} else := {"role": component, "labels": {"role_by": "label", "role_evidence": component}} if {
	component in {"server", "agent"}
} else := {"role": r, "labels": {"role_by": "name"}} if {
	r := name_role(workload, container)
	r != ""
} else := {"role": "other", "labels": {}}

conflict_label(l, role, component) := object.union(l, {"role_conflict": "true"}) if {
	component in {"server", "agent"}
	component != role
} else := l

# mounts: the container's volume mounts with the files a secret or configMap
# volume writes.
mounts(spec, c) := [mount(spec, m) | some m in object.get(c, "volumeMounts", []); object.get(m, "mountPath", "") != ""]

mount(spec, m) := object.union(
	{
		"path": m.mountPath,
		"sub_path": object.get(m, "subPath", ""),
		"sub_path_expr": object.get(m, "subPathExpr", "") != "",
		"read_only": object.get(m, "readOnly", false),
		"volume": object.get(m, "name", ""),
		"source": source,
	},
	volume_files(spec, source, vol),
) if {
	vol := volume(spec, object.get(m, "name", ""))
	source := volume_source(vol)
}

volume(spec, name) := v if {
	some v in object.get(spec, "volumes", [])
	v.name == name
} else := {}

volume_source(vol) := s if {
	some s, _ in vol
	s != "name"
} else := ""

volume_files(spec, source, vol) := object.union(
	{"files": {
		"default_mode": object.get(vol[source], "defaultMode", 420),
		"all_keys": count(object.get(vol[source], "items", [])) == 0,
		"items": [{"path": it.path, "mode": object.get(it, "mode", object.get(vol[source], "defaultMode", 420))} | some it in object.get(vol[source], "items", [])],
	}},
	fs_group(spec),
) if source in {"secret", "configMap"}

else := {}

fs_group(spec) := {"fs_group": spec.securityContext.fsGroup} if spec.securityContext.fsGroup

else := {}
