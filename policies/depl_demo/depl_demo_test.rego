package certgate.depl_demo_test

import data.certgate.depl_demo

var(v) := {"value": v, "known": true, "ref": {"file": "docker-compose.yml", "doc": 0, "path": ["services", "server", "environment", "CERTCTL_DEMO_MODE_ACK"]}}

unknown_var := {"value": "", "known": false, "ref": null}

compose_env(vars, demo) := {
	"id": "docker-compose.yml service server", "origin": "compose-service", "role": "server",
	"ref": null, "vars": vars, "labels": {"set": "docker-compose.yml", "demo": demo},
}

container_env(vars, release) := {
	"id": "chart profile p: Deployment/certctl container server", "origin": "container", "role": "server",
	"ref": null, "vars": vars, "labels": {"release": release},
}

doc(envs, version) := {"meta": {"certctl_version": version}, "envs": envs, "files": []}

test_ack_in_base_set_denies if {
	f := depl_demo.deny with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "false")], "2.1.7")
	count(f) == 1
	some x in f
	x.ref.file == "docker-compose.yml"
	contains(x.msg, "CERTCTL_DEMO_MODE_ACK is true in docker-compose.yml service server (a compose file set without a demo overlay)")
	contains(x.msg, "auth type none on a non-loopback host, CORS origin *")
	not contains(x.msg, "key generation")
}

test_ack_in_demo_set_passes if {
	count(depl_demo.deny) == 0 with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "true")], "2.2.0")
}

test_other_true_spellings_deny if {
	every v in ["1", "yes"] {
		count(depl_demo.deny) == 1 with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": var(v)}, "false")], "2.2.0")
	}
}

test_not_true_passes if {
	every v in ["false", "", "TRUE", "no"] {
		count(depl_demo.deny) == 0 with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": var(v)}, "false")], "2.2.0")
	}
	count(depl_demo.deny) == 0 with input as doc([compose_env({}, "false")], "2.2.0")
}

test_unknown_ack_denies if {
	f := depl_demo.deny with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": unknown_var}, "false")], "2.2.0")
	some x in f
	contains(x.msg, "is set to a value known only at run time")
}

test_absent_ack_in_open_env_passes if {
	e := object.union(container_env({}, "r"), {"labels": {"release": "r", "env_from_unresolved": "Secret/x"}})
	count(depl_demo.deny) == 0 with input as doc([e], "2.2.0")
}

test_release_220_names_keygen_and_token if {
	some x in depl_demo.deny with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "false")], "2.2.0")
	contains(x.msg, "server-side key generation (CERTCTL_KEYGEN_MODE=server), an empty agent bootstrap token")
}

test_note_is_appended if {
	v := object.union(var("true"), {"note": "default of ${DEMO}; export DEMO to override"})
	some x in depl_demo.deny with input as doc([compose_env({"CERTCTL_DEMO_MODE_ACK": v}, "false")], "2.2.0")
	endswith(x.msg, "(default of ${DEMO}; export DEMO to override)")
}

test_chart_profile_not_demo_denies if {
	d := object.union(doc([container_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "chart profile p")], "2.2.0"), {"releases": [{"id": "chart profile p", "demo": false}]})
	some x in depl_demo.deny with input as d
	contains(x.msg, "(a chart profile or manifest not marked demo)")
}

test_chart_demo_profile_passes if {
	d := object.union(doc([container_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "chart profile demo")], "2.2.0"), {"releases": [{"id": "chart profile demo", "demo": true}]})
	count(depl_demo.deny) == 0 with input as d
	labelled := object.union(container_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "x"), {"labels": {"release": "x", "demo": "true"}})
	count(depl_demo.deny) == 0 with input as doc([labelled], "2.2.0")
}

test_manifest_stream_denies if {
	count(depl_demo.deny) == 1 with input as doc([container_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "stream.yaml")], "2.2.0")
}

test_operator_environments_are_out_of_scope if {
	every origin in ["process", "dotenv"] {
		e := object.union(compose_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "false"), {"origin": origin})
		count(depl_demo.deny) == 0 with input as doc([e], "2.2.0")
	}
}

test_agent_is_out_of_scope if {
	e := object.union(compose_env({"CERTCTL_DEMO_MODE_ACK": var("true")}, "false"), {"role": "agent"})
	count(depl_demo.deny) == 0 with input as doc([e], "2.2.0")
}
