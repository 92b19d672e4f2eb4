package certgate.lib.k8s_test

import data.certgate.lib.k8s

server_labels := {"app.kubernetes.io/name": "certctl", "app.kubernetes.io/component": "server"}

obj(kind, name, value, labels) := {
	"ref": {"file": sprintf("%s.yaml@r", [name]), "doc": 0, "path": []},
	"value": object.union({"apiVersion": "v1", "kind": kind, "metadata": {"name": name}}, value),
	"labels": object.union({"release": "r", "subject": sprintf("%s %s", [kind, name]), "kind": kind, "name": name}, labels),
}

pod_spec := {"containers": [{"name": "server", "image": "ghcr.io/certctl-io/certctl:2.1.0"}]}

deployment(n) := obj("Deployment", "srv", {"spec": {"replicas": n, "template": {"metadata": {"labels": server_labels}, "spec": pod_spec}}}, {"role": "server"})

agent := obj("DaemonSet", "agent", {"spec": {"template": {"metadata": {"labels": {"app": "agent"}}, "spec": pod_spec}}}, {"role": "agent"})

cronjob := obj("CronJob", "job", {"spec": {"jobTemplate": {"spec": {"template": {"metadata": {"labels": {"app": "job"}}, "spec": pod_spec}}}}}, {})

pod := obj("Pod", "p", {"metadata": {"name": "p", "labels": {"app": "pod"}}, "spec": pod_spec}, {})

config_map := obj("ConfigMap", "cm", {"data": {"a": "1"}}, {})

pdb(selector) := obj("PodDisruptionBudget", "pdb", {"spec": {"minAvailable": 1, "selector": selector}}, {})

netpol(selector) := obj("NetworkPolicy", "np", {"spec": {"podSelector": selector}}, {})

service(selector) := obj("Service", "svc", {"spec": {"selector": selector}}, {})

hpa(min) := obj("HorizontalPodAutoscaler", "hpa", {"spec": {"minReplicas": min, "scaleTargetRef": {"kind": "Deployment", "name": "srv"}}}, {})

in_objs(objs) := {"manifests": objs}

# Workloads and pod templates.

test_workload_kinds if {
	"Deployment" in k8s.workload_kinds
	"StatefulSet" in k8s.workload_kinds
	not "Service" in k8s.workload_kinds
	not "CronJob" in k8s.workload_kinds # its template sits under jobTemplate
}

test_pod_template if {
	k8s.pod_template(deployment(1)) == {"metadata": {"labels": server_labels}, "spec": pod_spec}
	k8s.pod_template(cronjob).metadata.labels == {"app": "job"}
	k8s.pod_template(pod) == pod.value
	k8s.pod_template(obj("Deployment", "bare", {}, {})) == {}
	not k8s.pod_template(config_map)
}

test_pod_labels if {
	k8s.pod_labels(deployment(1)) == server_labels
	k8s.pod_labels(cronjob) == {"app": "job"}
	k8s.pod_labels(pod) == {"app": "pod"}
	k8s.pod_labels(obj("Deployment", "bare", {}, {})) == {}
	not k8s.pod_labels(config_map)
}

test_pod_spec if {
	k8s.pod_spec(deployment(1)) == pod_spec
	k8s.pod_spec(cronjob) == pod_spec
	k8s.pod_spec(pod) == pod_spec
	k8s.pod_spec(obj("StatefulSet", "bare", {"spec": {"template": {}}}, {})) == {}
	not k8s.pod_spec(config_map)
}

test_server_workloads if {
	k8s.server_workloads == {deployment(1)} with input as in_objs([deployment(1), agent])
	sts := obj("StatefulSet", "srv", {}, {"role": "server"})
	k8s.server_workloads == {sts} with input as in_objs([sts])
	job := obj("Job", "srv", {}, {"role": "server"}) # only Deployments and StatefulSets
	count(k8s.server_workloads) == 0 with input as in_objs([job, agent])
}

# Indexes.

test_ids_by_kind if {
	index := k8s.ids_by_kind with input as in_objs([deployment(1), agent, config_map, object.union(config_map, {"labels": {"release": "s"}})])
	index[["r", "Deployment"]] == [0]
	index[["r", "ConfigMap"]] == [2]
	index[["s", "ConfigMap"]] == [3]
	not index[["r", "Service"]]
}

test_kind_count if {
	k8s.kind_count(deployment(1), "ConfigMap") == 2 with input as in_objs([deployment(1), config_map, config_map])
	k8s.kind_count(deployment(1), "PodDisruptionBudget") == 0 with input as in_objs([deployment(1), config_map])
	other := object.union(deployment(1), {"labels": {"release": "other"}})
	k8s.kind_count(other, "ConfigMap") == 0 with input as in_objs([deployment(1), config_map])
}

test_pod_label_sets if {
	sets := k8s.pod_label_sets with input as in_objs([deployment(1), agent, config_map, obj("Deployment", "bare", {}, {})])
	sets.r == {server_labels, {"app": "agent"}}
	not sets.other
}

test_pod_ids if {
	index := k8s.pod_ids with input as in_objs([deployment(1), agent, config_map, cronjob])
	index[["r", "app.kubernetes.io/component", "server"]] == [0]
	index[["r", "app", "agent"]] == [1]
	index[["r", "app", "job"]] == [3]
	not index[["r", "app", "cm"]]
}

test_rarest_label if {
	index := {["r", "a", "1"]: [0, 1, 2], ["r", "b", "2"]: [1]}
	k8s.rarest_label(index, "r", {"a": "1", "b": "2"}) == [1, "b", "2"]
	k8s.rarest_label(index, "r", {"a": "1", "c": "3"}) == [0, "c", "3"]
	not k8s.rarest_label(index, "r", {})
}

test_exact_labels if {
	k8s.exact_labels("Service", service({"a": "1"})) == {"a": "1"}
	not k8s.exact_labels("Service", service({}))
	k8s.exact_labels("PodDisruptionBudget", pdb({"matchLabels": {"a": "1"}})) == {"a": "1"}
	k8s.exact_labels("NetworkPolicy", netpol({"matchLabels": {"a": "1"}})) == {"a": "1"}
	not k8s.exact_labels("PodDisruptionBudget", pdb({"matchExpressions": [{"key": "a", "operator": "Exists"}]}))
	not k8s.exact_labels("NetworkPolicy", netpol({}))
	not k8s.exact_labels("ConfigMap", config_map)
}

test_in_expression if {
	in_a := {"key": "a", "operator": "In", "values": ["1", "2"]}
	exists := {"key": "b", "operator": "Exists"}
	k8s.in_expression("PodDisruptionBudget", pdb({"matchExpressions": [exists, in_a]})) == in_a
	k8s.in_expression("NetworkPolicy", netpol({"matchExpressions": [in_a]})) == in_a
	not k8s.in_expression("PodDisruptionBudget", pdb({"matchExpressions": [exists]}))
	not k8s.in_expression("NetworkPolicy", netpol({"matchLabels": {"a": "1"}}))
	not k8s.in_expression("Service", service({"a": "1"}))
}

test_selector_path if {
	k8s.selector_path.PodDisruptionBudget == ["spec", "selector"]
	k8s.selector_path.NetworkPolicy == ["spec", "podSelector"]
	not "Service" in object.keys(k8s.selector_path) # a Service's selector is a plain mapping
}

test_selector_ids if {
	in_server := {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["server", "agent"]}]}
	objs := [deployment(1), agent, pdb({"matchLabels": server_labels}), netpol(in_server), service({}), config_map]
	index := k8s.selector_ids with input as in_objs(objs)
	index[["r", "PodDisruptionBudget", "app.kubernetes.io/component", "server"]] == [2]
	index[["r", "NetworkPolicy", "app.kubernetes.io/component", "server"]] == [3]
	index[["r", "NetworkPolicy", "app.kubernetes.io/component", "agent"]] == [3]
	index[["r", "Service"]] == [4] # requires no label: tried against every workload
	not index[["r", "ConfigMap"]]
}

test_selector_candidates if {
	objs := [deployment(1), agent, pdb({"matchLabels": server_labels}), pdb({"matchLabels": {"app": "agent"}}), pdb({})]
	k8s.selector_candidates(deployment(1), "PodDisruptionBudget") == {2, 4} with input as in_objs(objs)
	k8s.selector_candidates(agent, "PodDisruptionBudget") == {3, 4} with input as in_objs(objs)
	count(k8s.selector_candidates(deployment(1), "NetworkPolicy")) == 0 with input as in_objs(objs)
}

test_selecting if {
	objs := [deployment(1), agent, pdb({"matchLabels": server_labels}), netpol({}), service(server_labels), service({"app": "agent"}), service({})]
	k8s.selecting(deployment(1), "PodDisruptionBudget") == {objs[2]} with input as in_objs(objs)
	k8s.selecting(deployment(1), "NetworkPolicy") == {objs[3]} with input as in_objs(objs) # an empty podSelector selects every pod
	k8s.selecting(deployment(1), "Service") == {objs[4]} with input as in_objs(objs) # an empty Service selector selects none
	count(k8s.selecting(agent, "PodDisruptionBudget")) == 0 with input as in_objs(objs)
	k8s.selecting(agent, "Service") == {objs[5]} with input as in_objs(objs)
	not k8s.selecting(deployment(1), "ConfigMap")
}

# Selectors.

test_selects_match_labels if {
	k8s.selects({"matchLabels": {"a": "1"}}, {"a": "1", "b": "2"})
	not k8s.selects({"matchLabels": {"a": "2"}}, {"a": "1"})
	k8s.selects({}, {"a": "1"})
}

test_selects_match_expressions if {
	k8s.selects({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]}, {"a": "1"})
	not k8s.selects({"matchExpressions": [{"key": "a", "operator": "In", "values": ["2"]}]}, {"a": "1"})
	k8s.selects({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["2"]}]}, {"a": "1"})
	not k8s.selects({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"})
	k8s.selects({"matchExpressions": [{"key": "b", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"})
	k8s.selects({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {"a": "1"})
	not k8s.selects({"matchExpressions": [{"key": "b", "operator": "Exists"}]}, {"a": "1"})
	k8s.selects({"matchExpressions": [{"key": "b", "operator": "DoesNotExist"}]}, {"a": "1"})
	not k8s.selects({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"a": "1"})
}

test_expression_matches if {
	k8s.expression_matches({"key": "a", "operator": "In", "values": ["1"]}, {"a": "1"})
	not k8s.expression_matches({"key": "a", "operator": "Gt", "values": ["0"]}, {"a": "1"})
}

test_value_in if {
	k8s.value_in({"a": "1"}, "a", ["1", "2"])
	not k8s.value_in({"a": "1"}, "a", ["2"])
	not k8s.value_in({"a": "1"}, "b", ["1"])
}

# Autoscalers and replicas.

test_hpas if {
	other := object.union(hpa(2), {"value": {"spec": {"scaleTargetRef": {"name": "other"}}}})
	k8s.hpas(deployment(1)) == {hpa(2)} with input as in_objs([deployment(1), hpa(2), other])
	count(k8s.hpas(deployment(1))) == 0 with input as in_objs([deployment(1), other])
}

test_hpa_ids if {
	index := k8s.hpa_ids with input as in_objs([deployment(1), hpa(2)])
	index[["r", "Deployment", "srv"]] == [1]
	not index[["r", "StatefulSet", "srv"]]
}

test_replicas if {
	k8s.replicas(deployment(3)) == 3 with input as in_objs([deployment(3)])
	k8s.replicas(obj("Deployment", "srv", {"spec": {}}, {})) == 1 with input as in_objs([])
	k8s.replicas(deployment(5)) == 2 with input as in_objs([deployment(5), hpa(2)])
	k8s.replicas(deployment(5)) != 5 with input as in_objs([deployment(5), hpa(2)])
}

# Chart values.

release := {"id": "r", "chart": "certctl", "values": {"networkPolicy": {"enabled": true}, "x": {"enabled": "true"}}, "value_refs": {"server.replicas": {"file": "values-prod.yaml", "doc": 0, "path": ["server", "replicas"]}}}

test_certctl_releases if {
	k8s.certctl_releases == [release] with input as {"releases": [release, object.union(release, {"chart": "other"})]}
	k8s.certctl_releases == [] with input as {"manifests": []}
}

test_asked if {
	k8s.asked(release, ["networkPolicy", "enabled"])
	not k8s.asked(release, ["x", "enabled"]) # only the boolean true
	not k8s.asked(release, ["podDisruptionBudget", "enabled"])
}

test_release_ids if {
	index := k8s.release_ids with input as {"releases": [release, object.union(release, {"id": "s"})]}
	index.r == [0]
	index.s == [1]
	not index.t
}

test_obj_ref if {
	o := object.union(deployment(1), {"ref": {"file": "f", "doc": 2, "path": ["items", 0]}})
	k8s.obj_ref(o, ["spec"]) == {"file": "f", "doc": 2, "path": ["items", 0, "spec"]}
	k8s.obj_ref(o, []) != {"file": "f", "doc": 2, "path": ["items", 0, "spec"]}
}

test_value_ref if {
	k8s.value_ref(deployment(1), "server.replicas", ["spec", "replicas"]) == release.value_refs["server.replicas"] with input as {"releases": [release]}
	k8s.value_ref(deployment(1), "server.other", ["spec"]) == {"file": "srv.yaml@r", "doc": 0, "path": ["spec"]} with input as {"releases": [release]}
	other := object.union(release, {"chart": "mychart"})
	k8s.value_ref(deployment(1), "server.replicas", ["spec"]) == {"file": "srv.yaml@r", "doc": 0, "path": ["spec"]} with input as {"releases": [other]}
}

test_intent_ref if {
	k8s.intent_ref(release, "server.replicas", deployment(1)) == release.value_refs["server.replicas"]
	k8s.intent_ref(release, "networkPolicy.enabled", deployment(1)) == {"file": "srv.yaml@r", "doc": 0, "path": []}
}

test_finding if {
	r := {"file": "f", "doc": 0, "path": []}
	k8s.finding(deployment(1), r, "m") == {"msg": "m", "ref": r, "subject": "Deployment srv"}
	not "remediation" in object.keys(k8s.finding(deployment(1), r, "m"))
}

test_finding_fix if {
	r := {"file": "f", "doc": 0, "path": []}
	k8s.finding_fix(deployment(1), r, "m", "Fix it.") == {"msg": "m", "ref": r, "subject": "Deployment srv", "remediation": "Fix it."}
	k8s.finding_fix(deployment(1), r, "m", "Fix it.") != k8s.finding(deployment(1), r, "m")
}

# Messages name files by path, never by an internal file ID.

files := [
	{"id": "charts/certctl/templates/server-deployment.yaml@charts/certctl", "path": "charts/certctl/templates/server-deployment.yaml"},
	{"id": "values-prod.yaml", "path": "values-prod.yaml"},
]

test_file_path if {
	k8s.file_path("charts/certctl/templates/server-deployment.yaml@charts/certctl") == "charts/certctl/templates/server-deployment.yaml" with input as {"files": files}
	k8s.file_path("values-prod.yaml") == "values-prod.yaml" with input as {"files": files}
	k8s.file_path("unknown.yaml") == "unknown.yaml" with input as {"files": files}
}

test_where if {
	k8s.where({"file": "charts/certctl/templates/server-deployment.yaml@charts/certctl", "doc": 0, "path": []}) == "charts/certctl/templates/server-deployment.yaml" with input as {"files": files}
	not contains(k8s.where({"file": "charts/certctl/templates/server-deployment.yaml@charts/certctl", "doc": 0, "path": []}), "@") with input as {"files": files}
	k8s.where({"file": "--set", "doc": 0, "path": ["server", "replicas"]}) == "--set" with input as {"files": files}
}
