package certgate.depl_m3_test

import data.certgate.depl_m3

server_labels := {"app.kubernetes.io/name": "certctl", "app.kubernetes.io/component": "server"}

deployment := {
	"ref": {"file": "srv.yaml", "doc": 0, "path": []},
	"value": {"kind": "Deployment", "metadata": {"name": "srv"}, "spec": {"replicas": 1, "template": {"metadata": {"labels": server_labels}, "spec": {}}}},
	"labels": {"release": "r", "role": "server", "subject": "Deployment srv"},
}

netpol(selector, release) := {
	"ref": {"file": "np.yaml", "doc": 0, "path": []},
	"value": {"kind": "NetworkPolicy", "metadata": {"name": "np"}, "spec": {"podSelector": selector}},
	"labels": {"release": release, "subject": "NetworkPolicy np"},
}

test_no_network_policy_info if {
	some f in depl_m3.info with input as {"manifests": [deployment]}
	contains(f.msg, "networkPolicy.enabled=true")
	contains(f.msg, "operator opt-in")
	f.ref == {"file": "srv.yaml", "doc": 0, "path": ["spec", "template", "metadata", "labels"]}
	f.subject == "Deployment srv"
}

test_network_policy_selecting_server_passes if {
	count(depl_m3.info) == 0 with input as {"manifests": [deployment, netpol({"matchLabels": server_labels}, "r")]}
	count(depl_m3.info) == 0 with input as {"manifests": [deployment, netpol({}, "r")]}
}

test_network_policy_elsewhere_does_not_count if {
	count(depl_m3.info) == 1 with input as {"manifests": [deployment, netpol({"matchLabels": {"app": "other"}}, "r")]}
	count(depl_m3.info) == 1 with input as {"manifests": [deployment, netpol({"matchLabels": server_labels}, "other")]}
}

test_points_at_values_key if {
	rel := {"id": "r", "chart": "certctl", "value_refs": {"networkPolicy.enabled": {"file": "values.yaml", "doc": 0, "path": ["networkPolicy", "enabled"]}}}
	some f in depl_m3.info with input as {"manifests": [deployment], "releases": [rel]}
	f.ref.file == "values.yaml"
}

test_no_server_no_info if {
	count(depl_m3.info) == 0 with input as {"manifests": [object.union(deployment, {"labels": {"role": "agent"}})]}
}

# Values intent: networkPolicy.enabled=true and nothing selects the server.

np_on := {"id": "r", "chart": "certctl", "values": {"networkPolicy": {"enabled": true}}, "value_refs": {"networkPolicy.enabled": {"file": "values-prod.yaml", "doc": 0, "path": ["networkPolicy", "enabled"]}}}

test_asked_not_rendered_warns_at_values_key if {
	some f in depl_m3.warn with input as {"manifests": [deployment], "releases": [np_on]}
	contains(f.msg, "networkPolicy.enabled is true, but no NetworkPolicy of the render selects")
	f.ref.file == "values-prod.yaml"
	count(depl_m3.info) == 0 with input as {"manifests": [deployment], "releases": [np_on]}
}

test_asked_and_rendered_passes if {
	count(depl_m3.warn) == 0 with input as {"manifests": [deployment, netpol({"matchLabels": server_labels}, "r")], "releases": [np_on]}
}

test_not_asked_no_warning if {
	count(depl_m3.warn) == 0 with input as {"manifests": [deployment]}
	off := object.union(np_on, {"values": {"networkPolicy": {"enabled": false}}})
	count(depl_m3.warn) == 0 with input as {"manifests": [deployment], "releases": [off]}
	count(depl_m3.info) == 1 with input as {"manifests": [deployment], "releases": [off]}
}

test_network_policy_selecting_by_expression if {
	in_server := {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["agent", "server"]}]}
	count(depl_m3.info) == 0 with input as {"manifests": [deployment, netpol(in_server, "r")]}
	in_agent := {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["agent"]}]}
	count(depl_m3.info) == 1 with input as {"manifests": [deployment, netpol(in_agent, "r")]}
	both := {"matchLabels": {"app.kubernetes.io/name": "certctl"}, "matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["agent"]}]}
	count(depl_m3.info) == 1 with input as {"manifests": [deployment, netpol(both, "r")]}
	exists := {"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "Exists"}]}
	count(depl_m3.info) == 0 with input as {"manifests": [deployment, netpol(exists, "r")]}
	no_key := {"matchExpressions": [{"operator": "In", "values": ["server"]}]}
	count(depl_m3.info) == 1 with input as {"manifests": [deployment, netpol(no_key, "r")]}
}
