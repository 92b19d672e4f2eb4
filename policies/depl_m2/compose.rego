package certgate.depl_m2

# Compose files and the env_file targets of non-demo services. The loader
# (lint/compose) gives each compose file's raw YAML documents, so comments never
# reach this rule, and marks env_file targets declared by a non-demo compose file
# with role "env-file".

# compose_judged: a source that ships outside the demo overlay.
compose_judged(file) if {
	file.kind == "compose"
	file.role != "demo"
}

compose_judged(file) if {
	file.kind == "dotenv"
	file.role in {"env-file", "interpolation"}
}

# compose_scalars yields [file, doc index, path, value] for every string scalar
# of a judged source.
compose_scalars contains [file, i, path, value] if {
	some file in input.files
	compose_judged(file)
	some i, doc in file.docs
	walk(doc, [path, value])
	is_string(value)
}

deny contains f if {
	some [file, i, path, value] in compose_scalars
	is_error_placeholder(value)
	f := compose_finding(file, i, path, value, "a change-me- placeholder credential")
}

warn contains f if {
	some [file, i, path, value] in compose_scalars
	is_warning_placeholder(value)
	not [file.id, i, path] in env_reported_refs
	f := compose_finding(file, i, path, value, "a well-known placeholder value")
}

# The message names the key (and, for a list-form environment entry, the
# variable), never the value.
compose_finding(file, i, path, value, what) := {
	"msg": sprintf("%s holds %s %s", [compose_key(path, value), what, compose_where(file)]),
	"ref": {"file": file.id, "doc": i, "path": path},
	"subject": file.path,
}

compose_where(file) := "outside the demo overlay" if file.kind == "compose"

compose_where(file) := "in an env_file of a non-demo compose service" if {
	file.kind == "dotenv"
	file.role == "env-file"
}

compose_where(file) := "in a file that supplies interpolation values to the base compose file" if {
	file.kind == "dotenv"
	file.role == "interpolation"
}

compose_key(path, value) := sprintf("%s (%s)", [compose_dotted(path), name]) if {
	compose_list_assignment(path, value)
	name := split(value, "=")[0]
}

compose_key(path, value) := compose_dotted(path) if {
	not compose_list_assignment(path, value)
}

compose_list_assignment(path, value) if {
	is_number(path[count(path) - 1])
	contains(value, "=")
}

compose_dotted(path) := concat("", [seg | some i, p in path; seg := compose_segment(i, p)])

compose_segment(i, p) := p if {
	i == 0
	is_string(p)
}

compose_segment(i, p) := sprintf(".%s", [p]) if {
	i > 0
	is_string(p)
}

compose_segment(_, p) := sprintf("[%d]", [p]) if is_number(p)
