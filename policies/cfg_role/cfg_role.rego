# METADATA
# title: certgate judges what runs
# description: >-
#   Every environment rule, DEPL-H1 and DEPL-M3 judge the workloads that run a
#   certctl server or agent. certgate decides that role by the first of:
#   certgate.yaml roles:, the container image (certctl, certctl-server,
#   certctl/server, certctl-agent, certctl/agent), server- or agent-only
#   variables, then the app.kubernetes.io/component label. A component label
#   that names the other role than the image or the variables is misleading
#   (dashboards, selectors and NetworkPolicies keyed on it pick the wrong pods):
#   certgate judges by what runs and says so. An input that holds Kubernetes
#   objects or compose services none of which is a certctl server or agent is
#   judged by no rule at all, so a clean report would mean nothing: that is a
#   warning too.
# custom:
#   id: CFG-ROLE
#   inputs: [manifest, compose]
#   joins: true
#   severity: warning
#   remediation: Make the app.kubernetes.io/component label match the image, or name the workload's role in certgate.yaml (roles, keyed by compose service, Kubernetes workload name, Kind/name or Kind/name/container).
#   docs: docs/policies.md#cfg-role
package certgate.cfg_role

import data.certgate.lib.k8s

judged_roles := {"server", "agent"}

# evidence names what decided a role, for messages.
evidence(env) := sprintf("image %s", [env.labels.role_evidence]) if env.labels.role_by == "image"

evidence(env) := sprintf("variable %s", [env.labels.role_evidence]) if env.labels.role_by == "variable"

warn contains f if {
	some env in input.envs
	env.labels.role_conflict == "true"
	msg := sprintf("%s is labelled app.kubernetes.io/component=%s, but its %s is the certctl %s: certgate judges it as the %s; fix the label (selectors, dashboards and NetworkPolicies keyed on it pick the wrong pods)", [env.id, env.labels.component, evidence(env), env.role, env.role])
	f := {"msg": msg, "ref": env.ref, "subject": env.id}
}

# Nothing judged. The units are each chart render, each compose file set, and
# all plain manifest streams together (a directory may split one deployment
# over several files).

judged_releases := {env.labels.release |
	some env in input.envs
	env.role in judged_roles
	env.labels.release
}

judged_sets := {env.labels.set |
	some env in input.envs
	env.role in judged_roles
	env.labels.set
}

chart_release_ids := {rel.id | some rel in object.get(input, "releases", [])}

warn contains f if {
	some rel in object.get(input, "releases", [])
	objs := [o | some o in input.manifests; o.labels.release == rel.id]
	count(objs) > 0
	not judged_releases[rel.id]
	msg := sprintf("nothing certgate judges was found in %s: none of its %v rendered objects %s", [rel.id, count(objs), why])
	f := {"msg": msg, "ref": objs[0].ref, "subject": rel.id}
}

warn contains f if {
	some c in input.compose
	count(object.get(c.value, "services", {})) > 0
	not judged_sets[c.labels.set]
	msg := sprintf("nothing certgate judges was found in compose file set %s: none of its %v services %s", [c.labels.set, count(c.value.services), why])
	f := {"msg": msg, "ref": c.ref, "subject": c.labels.set}
}

stream_objects := [o | some o in input.manifests; not chart_release_ids[o.labels.release]]

warn contains f if {
	count(stream_objects) > 0
	streams := {o.labels.release | some o in stream_objects}
	count(streams & judged_releases) == 0
	files := sort({k8s.file_path(o.ref.file) | some o in stream_objects}) # paths, not file IDs
	msg := sprintf("nothing certgate judges was found in %s: none of its %v Kubernetes objects %s", [concat(", ", files), count(stream_objects), why])
	f := {"msg": msg, "ref": stream_objects[0].ref, "subject": concat(", ", files)}
}

why := "runs a certctl server or agent image, sets a server- or agent-only variable or is labelled app.kubernetes.io/component server or agent, so no environment rule, DEPL-H1 or DEPL-M3 looked at it; if it runs certctl, name the role in certgate.yaml (roles: {<workload>: server})"
