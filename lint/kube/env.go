package kube

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/certgate/certgate/lint"
)

// ComponentLabel is the label whose value (server, agent, ...) names a pod's role.
const ComponentLabel = "app.kubernetes.io/component"

// podSpecPath is where each workload kind keeps its pod template spec.
func podSpecPath(kind string) []any {
	switch kind {
	case "Pod":
		return []any{"spec"}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController":
		return []any{"spec", "template", "spec"}
	case "CronJob":
		return []any{"spec", "jobTemplate", "spec", "template", "spec"}
	}
	return nil
}

// podLabelsPath is where each workload kind keeps its pod labels.
func podLabelsPath(kind string) []any {
	p := podSpecPath(kind)
	if p == nil {
		return nil
	}
	return append(slices.Clone(p[:len(p)-1]), "metadata", "labels")
}

// store indexes the Secrets and ConfigMaps of an object set by kind, namespace
// and name, and by kind and name alone for references whose namespace is not
// written down (a stream applied with -n).
type store struct {
	full   map[string]map[string]string
	byName map[string]map[string]string
	// looked, when set, is told the kind and name of every lookup.
	looked func(kind, name string)
}

func key(kind, ns, name string) string { return kind + "\x00" + ns + "\x00" + name }

func newStore(objs []lint.Object) store {
	s := store{full: map[string]map[string]string{}, byName: map[string]map[string]string{}}
	for i := range objs {
		s.add(&objs[i])
	}
	return s
}

// add records o when it is a Secret or ConfigMap; a later object of the same
// kind, namespace and name replaces it, the first of a name stays the one a
// namespace-less reference finds.
func (s store) add(o *lint.Object) {
	kind := o.Labels["kind"]
	if kind != "Secret" && kind != "ConfigMap" {
		return
	}
	data := map[string]string{}
	if d, ok := o.Value["data"].(map[string]any); ok {
		for k, v := range d {
			sv, _ := v.(string)
			if kind == "Secret" {
				b, err := base64.StdEncoding.DecodeString(sv)
				if err != nil {
					continue // undecodable: the key stays unknown
				}
				sv = string(b)
			}
			data[k] = sv
		}
	}
	if d, ok := o.Value["stringData"].(map[string]any); ok && kind == "Secret" {
		// The API server merges stringData over data.
		for k, v := range d {
			sv, _ := v.(string)
			data[k] = sv
		}
	}
	s.full[key(kind, str(o.Value, "metadata", "namespace"), o.Labels["name"])] = data
	if _, dup := s.byName[key(kind, "", o.Labels["name"])]; !dup {
		s.byName[key(kind, "", o.Labels["name"])] = data
	}
}

// lookup finds a Secret or ConfigMap of the set; a namespace-less object and a
// namespace-less reference match each other.
func (s store) lookup(kind, ns, name string) (map[string]string, bool) {
	if s.looked != nil {
		s.looked(kind, name)
	}
	if d, ok := s.full[key(kind, ns, name)]; ok {
		return d, true
	}
	if ns != "" {
		d, ok := s.full[key(kind, "", name)]
		return d, ok
	}
	d, ok := s.byName[key(kind, "", name)]
	return d, ok
}

// Envs returns one environment per container of every workload in objs,
// resolving references against the Secrets and ConfigMaps of objs. Each env is
// labelled with the object's labels plus workload, container, image and
// component, and its ID is the object's subject plus the container. It is
// EnvsWithRoles without certgate.yaml role overrides.
func Envs(objs []lint.Object) []lint.Env { return EnvsWithRoles(objs, nil) }

// EnvsWithRoles is Envs with certgate.yaml's roles: (see RoleOverride), and
// completes the object list a loader assembles: the roles of each workload's
// containers and the workload's own role (server when a container runs the
// server, else agent when one runs the agent, else other) are decided once, by
// lint.DecideWorkloadRoles. The containers' roles go on their environments,
// the workload's onto the object (lint.Object.Role), which rules use to find the
// server workload of a release instead of guessing again; an object's Labels
// map is never changed.
func EnvsWithRoles(objs []lint.Object, roles map[string]string) []lint.Env {
	st := newStore(objs)
	var out []lint.Env
	for i := range objs {
		envs, role := objectEnvs(&objs[i], st, roles)
		objs[i].Role = role
		out = append(out, envs...)
	}
	return out
}

// objectEnvs returns the environments of the containers of o, resolved
// against st, and the role of the workload; nil and "" for objects that are
// not workloads. o is not changed.
func objectEnvs(o *lint.Object, st store, roles map[string]string) ([]lint.Env, string) {
	spec := podSpecPath(o.Labels["kind"])
	if spec == nil {
		return nil, ""
	}
	podSpec, _ := get(o.Value, spec).(map[string]any)
	podLabels, _ := get(o.Value, podLabelsPath(o.Labels["kind"])).(map[string]any)
	component, _ := podLabels[ComponentLabel].(string)
	if component == "" {
		component = str(o.Value, "metadata", "labels", ComponentLabel)
	}
	ns := str(o.Value, "metadata", "namespace")
	containers, _ := podSpec["containers"].([]any)
	var envs []lint.Env
	var evs []lint.RoleEvidence
	for ci, c := range containers {
		cm, ok := c.(map[string]any)
		if !ok {
			continue
		}
		base := append(append(slices.Clone(o.Ref.Path), spec...), "containers", ci)
		e := containerEnv(o, cm, base, ns, st)
		e.Mounts = containerMounts(podSpec, cm)
		cname, _ := cm["name"].(string)
		envs = append(envs, e)
		evs = append(evs, lint.RoleEvidence{
			Override: RoleOverride(roles, o.Labels["kind"], o.Labels["name"], cname),
			Image:    e.Labels["image"],
			Vars:     e.Vars,
			Label:    component,
			NameRole: lint.RoleFromName(lint.WorkloadNames, o.Labels["name"], cname),
		})
	}
	ds, role := lint.DecideWorkloadRoles(evs)
	for i := range envs {
		e := &envs[i]
		e.Role = ds[i].Role
		e.Labels["component"] = component
		ds[i].Labels(e.Labels)
	}
	return envs, role
}

// RoleOverride looks a Kubernetes container up in certgate.yaml's roles:, most
// specific key first: "Kind/name/container", "Kind/name", the workload name,
// then the container name. "" when none applies.
func RoleOverride(roles map[string]string, kind, name, container string) string {
	for _, k := range []string{kind + "/" + name + "/" + container, kind + "/" + name, name, container} {
		if r, ok := roles[k]; ok && k != "" {
			return r
		}
	}
	return ""
}

func containerEnv(o *lint.Object, c map[string]any, base []any, ns string, st store) lint.Env {
	cname, _ := c["name"].(string)
	image, _ := c["image"].(string)
	labels := map[string]string{}
	for k, v := range o.Labels {
		if k != "subject" && k != "kind" && k != "name" && k != "prefix" && k != "role" {
			labels[k] = v
		}
	}
	labels["workload"] = o.Labels["kind"] + "/" + o.Labels["name"]
	labels["container"], labels["image"] = cname, image
	e := lint.Env{
		ID:     o.Labels["subject"] + " container " + cname,
		Origin: lint.OriginContainer,
		Ref:    &lint.Ref{File: o.Ref.File, Doc: o.Ref.Doc, Path: base},
		Vars:   map[string]lint.Var{},
		Labels: labels,
	}
	// envFrom first: Kubernetes lets env entries override envFrom keys.
	from, _ := c["envFrom"].([]any)
	for i, f := range from {
		fm, _ := f.(map[string]any)
		prefix, _ := fm["prefix"].(string)
		ref := &lint.Ref{File: o.Ref.File, Doc: o.Ref.Doc, Path: append(slices.Clone(base), "envFrom", i)}
		for kind, field := range map[string]string{"Secret": "secretRef", "ConfigMap": "configMapRef"} {
			src, ok := fm[field].(map[string]any)
			if !ok {
				continue
			}
			name, _ := src["name"].(string)
			data, found := st.lookup(kind, ns, name)
			if !found {
				// The keys are unknown too: record the source for policies.
				labels["env_from_unresolved"] = strings.TrimPrefix(labels["env_from_unresolved"]+","+kind+"/"+name, ",")
				continue
			}
			for k, v := range data {
				e.Vars[prefix+k] = lint.Var{Value: v, Known: true, Ref: ref}
			}
		}
	}
	env, _ := c["env"].([]any)
	for i, v := range env {
		vm, _ := v.(map[string]any)
		name, _ := vm["name"].(string)
		if name == "" {
			continue
		}
		ref := &lint.Ref{File: o.Ref.File, Doc: o.Ref.Doc, Path: append(slices.Clone(base), "env", i)}
		if lit, ok := vm["value"]; ok || vm["valueFrom"] == nil {
			e.Vars[name] = lint.Var{Value: scalar(lit), Known: true, Ref: ref}
			continue
		}
		e.Vars[name] = valueFrom(vm["valueFrom"], ns, st, ref)
	}
	return e
}

// valueFrom resolves secretKeyRef and configMapKeyRef from the set; anything
// else (fieldRef, resourceFieldRef, an object outside the set) is unknown.
func valueFrom(vf any, ns string, st store, ref *lint.Ref) lint.Var {
	m, _ := vf.(map[string]any)
	for kind, field := range map[string]string{"Secret": "secretKeyRef", "ConfigMap": "configMapKeyRef"} {
		sel, ok := m[field].(map[string]any)
		if !ok {
			continue
		}
		name, _ := sel["name"].(string)
		k, _ := sel["key"].(string)
		if data, found := st.lookup(kind, ns, name); found {
			if v, ok := data[k]; ok {
				return lint.Var{Value: v, Known: true, Ref: ref}
			}
		}
	}
	return lint.Var{Known: false, Ref: ref}
}

func get(v any, path []any) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p.(string)]
	}
	return v
}

// scalar renders a YAML scalar as the string a container sees.
func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v)
}
