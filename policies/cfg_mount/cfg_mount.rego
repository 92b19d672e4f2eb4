# METADATA
# title: The files certctl reads are mounted into its container
# description: >-
#   After reading its configuration certctl loads the server's TLS pair, each SCEP
#   profile's RA certificate and key and the trust bundles of the SCEP and EST
#   profiles that are on, and refuses to start when one cannot be read. certctl's
#   image ships none of these files, so in a compose service or a Kubernetes
#   container each path that is set (absolute, known at lint time) must lie on a
#   volume mount of that container: a compose volume, secret or config target, or
#   a volumeMount's mountPath (path-aware: /etc/certctl/tlsx is not under
#   /etc/certctl/tls). A Kubernetes secret, configMap or projected volume that lists
#   items holds only those files. certctl also refuses an RA key file whose mode
#   has any group or other bit: a Secret volume gives its files defaultMode, 0644
#   when absent, or the item's mode, and the pod's securityContext.fsGroup adds
#   group read (0440) to them; a compose secret or config with mode: keeps that
#   mode (a bind mount keeps the host file's mode, which lint cannot see). Values
#   known only at run time are not judged; the startup gate checks the files
#   themselves on the host.
# custom:
#   id: CFG-MOUNT
#   inputs: [compose, manifest]
#   severity: error
#   remediation: Mount every file certctl reads into the server's container (a Secret volume in Kubernetes, a volume or secret in compose) at the path its variable names, and give an RA key mode 0400 (defaultMode or the item's mode) without a pod fsGroup, or a compose secret mode 0400.
#   docs: docs/policies.md#cfg-mount
package certgate.cfg_mount

import data.certgate.lib

# The server environments of a container, and the files each makes certctl read
# certainly (their switches on), with a path known at lint time.
judged contains [env, hf, p] if {
	some env in lib.server_envs
	env.origin in {"compose-service", "container"}
	some hf in lib.host_files(env)
	lib.conds_hold(hf.conds)
	p := lib.known_value(env, hf.name)
	judgeable(p)
	_ := mounts(env) # a compose service outside input.compose is not judged
}

# judgeable: an absolute path without a Kubernetes $(VAR) reference (relative
# paths depend on the image's working directory).
judgeable(p) if {
	startswith(p, "/")
	not contains(p, "$(")
}

# under: path p is target or lies below it.
under(p, target) if p == target

under(p, target) if {
	t := trim_right(target, "/")
	startswith(p, concat("", [t, "/"]))
}

# inner is p's path below target ("" when p is the target).
inner(p, target) := "" if p == target

inner(p, target) := substring(p, count(trim_right(target, "/")) + 1, -1) if p != target

# Mounts of an environment: [{"path", "unknown", "kind", "name", and for the
# files Kubernetes writes or compose secrets with a mode: their facts}].
mounts(env) := env.mounts if env.origin == "container"

mounts(env) := compose_mounts(service_config(env)) if env.origin == "compose-service"

service_config(env) := c.value.services[env.labels.service].config if {
	some c in input.compose
	c.labels.set == env.labels.set
}

compose_mounts(cfg) := array.concat(
	array.concat(
		[m | some v in object.get(cfg, "volumes", []); m := volume_mount(v)],
		[m | some s in object.get(cfg, "secrets", []); m := secret_mount(s, "/run/secrets/", "secret")],
	),
	[m | some s in object.get(cfg, "configs", []); m := secret_mount(s, "/", "config")],
)

# The long form (compose-go writes every volume in it) and, defensively, the
# short src:target[:mode] form.
volume_mount(v) := {"path": v.target, "kind": object.get(v, "type", "volume"), "name": object.get(v, "source", "")} if is_object(v)

volume_mount(v) := {"path": parts[1], "kind": "volume", "name": parts[0]} if {
	is_string(v)
	parts := split(v, ":")
	count(parts) >= 2
}

volume_mount(v) := {"path": v, "kind": "volume", "name": ""} if {
	is_string(v)
	not contains(v, ":")
}

# A compose secret lands at /run/secrets/<source> unless target says where (a
# relative target below /run/secrets); a config at /<source>.
secret_mount(s, dir, kind) := object.union(m, mode_of(s)) if {
	t := object.get(s, "target", "")
	m := {"path": target_path(t, s.source, dir), "kind": kind, "name": s.source}
}

target_path("", source, dir) := concat("", [dir, source])

target_path(t, _, _) := t if startswith(t, "/")

target_path(t, _, dir) := concat("", [dir, t]) if {
	t != ""
	not startswith(t, "/")
}

mode_of(s) := {"mode": m} if {
	m := octal_mode(object.get(s, "mode", null))
} else := {}

# octal_mode reads compose's mode: a string in octal ("0400", "0o400") or a
# number.
octal_mode(m) := m if is_number(m)

octal_mode(m) := n if {
	is_string(m)
	regex.match(`^(0o|0)?[0-7]{1,4}$`, m)
	digits := regex.replace(m, `^0o`, "")
	padded := concat("", ["0000", digits])
	d := [to_number(substring(padded, i, 1)) | some i in numbers.range(count(padded) - 4, count(padded) - 1)]
	n := ((d[0] * 512) + (d[1] * 64)) + ((d[2] * 8) + d[3])
}

unknown_target(m) if contains(m.path, "${")

# mount_of is the mount that holds p: the deepest one whose path p lies on (a
# nested mount hides the one it lies in).
mount_of(env, p) := m if {
	ms := [x | some x in mounts(env); not unknown_target(x); under(p, x.path)]
	count(ms) > 0
	longest := max({count(trim_right(x.path, "/")) | some x in ms})
	m := [x | some x in ms; count(trim_right(x.path, "/")) == longest][0]
}

where(env) := sprintf("container %s", [env.labels.container]) if env.origin == "container"

where(env) := sprintf("compose service %s", [env.labels.service]) if env.origin == "compose-service"

how(env) := "Mount it (a Secret volume with a volumeMount at its directory) or point the variable into a mounted directory" if env.origin == "container"

how(env) := "Mount it (a volume such as ./tls:/etc/certctl/tls:ro, or a secret) or point the variable into a mounted directory" if env.origin == "compose-service"

# Not backed by any mount: certctl's image ships no such file.
deny contains f if {
	some x in judged
	[env, hf, p] := x
	not mount_of(env, p)
	not some_unknown_target(env)
	msg := sprintf("%s=%s (%s) is not on any volume mount of %s: certctl's image ships no such file, so the server refuses to start. %s", [hf.name, p, hf.what, where(env), how(env)])
	f := lib.finding(env, hf.name, msg)
}

some_unknown_target(env) if {
	some m in mounts(env)
	unknown_target(m)
}

# The volume's path of p, for Kubernetes-written volumes: subPath joined with
# p's path below the mount. Undefined with a subPathExpr.
volume_path(m, p) := rel if {
	not m.sub_path_expr
	parts := [s | some s in [trim(m.sub_path, "/"), inner(p, m.path)]; s != ""]
	rel := concat("/", parts)
}

# file_mode is the mode Kubernetes gives the file at rel of a written volume:
# its item's mode, or the volume's default when the volume projects every key.
file_mode(files, rel) := its[0] if {
	its := [it.mode | some it in files.items; it.path == rel]
	count(its) > 0
}

file_mode(files, rel) := files.default_mode if {
	not rel in {it.path | some it in files.items}
	files.all_keys
}

# A volume with items holds only those files.
deny contains f if {
	some x in judged
	[env, hf, p] := x
	env.origin == "container"
	m := mount_of(env, p)
	m.files
	rel := volume_path(m, p)
	rel != ""
	not file_mode(m.files, rel)
	not dir_of_items(m.files, rel)
	msg := sprintf("%s=%s (%s) lies on volume %s (%s) of %s, whose items hold no file %s: the server refuses to start. Add an item with path %s to the volume, or point the variable at one of its items", [hf.name, p, hf.what, m.volume, m.source, where(env), rel, rel])
	f := lib.finding(env, hf.name, msg)
}

# rel is a directory of the volume (an item lies below it): another rule's
# business (certctl cannot read a directory as a file), not a missing file.
dir_of_items(files, rel) if {
	some it in files.items
	startswith(it.path, concat("", [rel, "/"]))
}

# RA keys: the mode Kubernetes gives the file, with fsGroup's group read.
deny contains f if {
	some x in judged
	[env, hf, p] := x
	hf.kind == "ra_key"
	env.origin == "container"
	m := mount_of(env, p)
	mode := file_mode(m.files, volume_path(m, p))
	mode >= 0
	effective := with_fs_group(m, mode)
	lib.group_or_other(effective)
	msg := sprintf("%s=%s (%s) gets mode %s from volume %s of %s (%s): certctl refuses a key file with any group or other permission bit, so the server refuses to start. %s", [hf.name, p, hf.what, lib.octal(effective), m.volume, where(env), mode_reason(m, volume_path(m, p), mode), mode_fix(m)])
	f := lib.finding(env, hf.name, msg)
}

with_fs_group(m, mode) := bits.or(mode, 288) if m.fs_group != null

with_fs_group(m, mode) := mode if not has_fs_group(m)

has_fs_group(m) if m.fs_group != null

mode_reason(m, rel, mode) := concat(", and ", [r | some r in [item_reason(m, rel, mode), fs_group_reason(m)]; r != ""])

item_reason(m, rel, mode) := sprintf("items[] mode %s", [lib.octal(mode)]) if {
	some it in m.files.items
	it.path == rel
	it.mode != m.files.default_mode
} else := "defaultMode 0644, Kubernetes' default when the volume sets none" if {
	m.files.default_mode == 420
} else := sprintf("defaultMode %s", [lib.octal(mode)])

fs_group_reason(m) := sprintf("the pod's securityContext.fsGroup %v adds group read", [m.fs_group]) if has_fs_group(m)

fs_group_reason(m) := "" if not has_fs_group(m)

mode_fix(m) := "Set the volume's defaultMode (or the item's mode) to 0400 and keep the RA key off volumes of a pod with fsGroup (or drop fsGroup)" if has_fs_group(m)

mode_fix(m) := "Set the volume's defaultMode (or the item's mode) to 0400 (256 in JSON)" if not has_fs_group(m)

# Compose secrets and configs with mode: keep that mode.
deny contains f if {
	some x in judged
	[env, hf, p] := x
	hf.kind == "ra_key"
	env.origin == "compose-service"
	m := mount_of(env, p)
	lib.group_or_other(m.mode)
	msg := sprintf("%s=%s (%s) is compose %s %s of service %s with mode %s: certctl refuses a key file with any group or other permission bit, so the server refuses to start. Set the %s's mode to 0400", [hf.name, p, hf.what, m.kind, m.name, env.labels.service, lib.octal(m.mode), m.kind])
	f := lib.finding(env, hf.name, msg)
}
