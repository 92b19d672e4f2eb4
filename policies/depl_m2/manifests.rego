package certgate.depl_m2

# Rendered Kubernetes objects (a chart render or a manifest stream) and Helm
# values files. Judged: Secret data (base64-decoded) and stringData, ConfigMap
# data, literal env values of every container, and every string of a values
# file. A demo profile (demo: true in certgate.yaml) is exempt: the loader labels
# its objects demo=true and gives its values files role "demo".

pod_container_lists := {"containers", "initContainers", "ephemeralContainers"}

manifest_demo(o) if o.labels.demo == "true"

# manifest_scalars yields [object, path inside the object, value, description].
manifest_scalars contains [i, ["data", k], value, sprintf("Secret data key %s", [k])] if {
	some i, o in input.manifests
	not manifest_demo(o)
	o.value.kind == "Secret"
	some k, v in object.get(o.value, "data", {})
	is_string(v)
	base64.is_valid(v)
	value := base64.decode(v)
}

manifest_scalars contains [i, ["stringData", k], v, sprintf("Secret stringData key %s", [k])] if {
	some i, o in input.manifests
	not manifest_demo(o)
	o.value.kind == "Secret"
	some k, v in object.get(o.value, "stringData", {})
	is_string(v)
}

manifest_scalars contains [i, ["data", k], v, sprintf("ConfigMap data key %s", [k])] if {
	some i, o in input.manifests
	not manifest_demo(o)
	o.value.kind == "ConfigMap"
	some k, v in object.get(o.value, "data", {})
	is_string(v)
}

# Container env literals, wherever the pod spec sits (Deployment, CronJob, Pod).
manifest_scalars contains [i, path, v, sprintf("env %s of container %s", [name, container])] if {
	some i, o in input.manifests
	not manifest_demo(o)
	spec_path := pod_spec_path(o.value.kind)
	spec := object.get(o.value, spec_path, {})
	some list in pod_container_lists
	some ci, c in object.get(spec, list, [])
	some ei, e in object.get(c, "env", [])
	v := e.value
	is_string(v)
	not copied_env(spec, list, e)
	path := array.concat(spec_path, [list, ci, "env", ei, "value"])
	name := object.get(e, "name", "?")
	container := object.get(c, "name", "?")
}

# copied_env: an init container's env entry that is a copy of an entry of one of
# the pod's containers (a startup gate such as the chart's certgate init container
# runs with the server's environment) is reported once, at the container.
copied_env(spec, "initContainers", e) if {
	some c in object.get(spec, "containers", [])
	some ce in object.get(c, "env", [])
	ce == e
}

# pod_spec_path: where a kind keeps its pod spec. Looking there directly, rather
# than walking every object, keeps large streams fast.
pod_spec_path(kind) := ["spec"] if kind == "Pod"

pod_spec_path(kind) := ["spec", "jobTemplate", "spec", "template", "spec"] if kind == "CronJob"

pod_spec_path(kind) := ["spec", "template", "spec"] if kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController", "PodTemplate"}

manifest_finding(i, path, what, kind) := f if {
	o := input.manifests[i]
	f := {
		"msg": sprintf("%s holds %s in %s %s", [what, kind, o.value.kind, object.get(o.value, ["metadata", "name"], "")]),
		"ref": {"file": o.ref.file, "doc": o.ref.doc, "path": array.concat(o.ref.path, path)},
		"subject": o.labels.subject,
	}
}

deny contains f if {
	some [i, path, value, what] in manifest_scalars
	is_error_placeholder(value)
	f := manifest_finding(i, path, what, "a change-me- placeholder credential")
}

warn contains f if {
	some [i, path, value, what] in manifest_scalars
	is_warning_placeholder(value)
	f := manifest_finding(i, path, what, "a well-known placeholder value")
	not [f.ref.file, f.ref.doc, f.ref.path] in env_reported_refs
}

# values_scalars yields [file, path, value] for every string of a values file
# that is not only used by demo profiles.
values_scalars contains [file, path, value] if {
	some file in input.files
	file.kind == "helm-values"
	file.role != "demo"
	walk(file.docs[0], [path, value])
	is_string(value)
}

values_finding(file, path, kind) := {
	"msg": sprintf("values key %s holds %s outside a demo profile", [concat(".", [sprintf("%v", [p]) | some p in path]), kind]),
	"ref": {"file": file.id, "doc": 0, "path": path},
	"subject": file.path,
}

deny contains f if {
	some [file, path, value] in values_scalars
	is_error_placeholder(value)
	f := values_finding(file, path, "a change-me- placeholder credential")
}

warn contains f if {
	some [file, path, value] in values_scalars
	is_warning_placeholder(value)
	f := values_finding(file, path, "a well-known placeholder value")
}
