package certgate.depl_m2

# Rendered Kubernetes objects (a chart render or a manifest stream) and Helm
# values files. Judged: Secret data (base64-decoded) and stringData, ConfigMap
# data, literal env values of every container, and every string of a values
# file. A demo profile (demo: true in certgate.yaml) is exempt: the loader labels
# its objects demo=true and gives its values files role "demo".

pod_container_lists := {"containers", "initContainers", "ephemeralContainers"}

manifest_demo(o) if o.labels.demo == "true"

# manifest_scalars yields [object, path inside the object, value, description].
manifest_scalars contains [o, ["data", k], value, sprintf("Secret data key %s", [k])] if {
	some o in input.manifests
	not manifest_demo(o)
	o.value.kind == "Secret"
	some k, v in object.get(o.value, "data", {})
	is_string(v)
	base64.is_valid(v)
	value := base64.decode(v)
}

manifest_scalars contains [o, ["stringData", k], v, sprintf("Secret stringData key %s", [k])] if {
	some o in input.manifests
	not manifest_demo(o)
	o.value.kind == "Secret"
	some k, v in object.get(o.value, "stringData", {})
	is_string(v)
}

manifest_scalars contains [o, ["data", k], v, sprintf("ConfigMap data key %s", [k])] if {
	some o in input.manifests
	not manifest_demo(o)
	o.value.kind == "ConfigMap"
	some k, v in object.get(o.value, "data", {})
	is_string(v)
}

# Container env literals, wherever the pod spec sits (Deployment, CronJob, Pod).
manifest_scalars contains [o, path, v, sprintf("env %s of container %s", [name, container])] if {
	some o in input.manifests
	not manifest_demo(o)
	walk(o.value, [path, v])
	is_string(v)
	n := count(path)
	n >= 5
	path[n - 1] == "value"
	path[n - 3] == "env"
	path[n - 5] in pod_container_lists
	entry := object.get(o.value, array.slice(path, 0, n - 1), {})
	name := object.get(entry, "name", "?")
	c := object.get(o.value, array.slice(path, 0, n - 3), {})
	container := object.get(c, "name", "?")
}

manifest_finding(o, path, what, kind) := {
	"msg": sprintf("%s holds %s in %s %s", [what, kind, o.value.kind, object.get(o.value, ["metadata", "name"], "")]),
	"ref": {"file": o.ref.file, "doc": o.ref.doc, "path": array.concat(o.ref.path, path)},
	"subject": o.labels.subject,
}

deny contains f if {
	some [o, path, value, what] in manifest_scalars
	is_error_placeholder(value)
	f := manifest_finding(o, path, what, "a change-me- placeholder credential")
}

warn contains f if {
	some [o, path, value, what] in manifest_scalars
	is_warning_placeholder(value)
	f := manifest_finding(o, path, what, "a well-known placeholder value")
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
