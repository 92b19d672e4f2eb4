package certgate.cfg_listen_test

import data.certgate.cfg_listen

booting := {
	"CERTCTL_SERVER_HOST": "0.0.0.0",
	"CERTCTL_SERVER_PORT": "8443",
	"CERTCTL_SERVER_TLS_CERT_PATH": "/tls/server.crt",
	"CERTCTL_SERVER_TLS_KEY_PATH": "/tls/server.key",
}

vars(m) := {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in m}

doc(origin, m) := {"envs": [{"id": "t", "role": "server", "origin": origin, "vars": vars(m)}], "meta": {"certctl_version": "2.2.0", "now_unix": 0}}

process(m) := doc("process", object.union(booting, m))

container(m) := doc("container", object.union(booting, m))

without(m, names) := object.remove(object.union(booting, m), names)

msgs(set) := concat("\n", [f.msg | some f in set])

test_booting_is_clean if {
	count(cfg_listen.deny) == 0 with input as process({})
	count(cfg_listen.warn) == 0 with input as process({})
	count(cfg_listen.deny) == 0 with input as container({})
	count(cfg_listen.warn) == 0 with input as container({})
}

test_port_out_of_range_denies if {
	every p in ["0", "-1", "65536", "99999", "00000"] {
		d := cfg_listen.deny with input as process({"CERTCTL_SERVER_PORT": p})
		count(d) == 1
		contains(msgs(d), "is outside 1-65535: the server refuses to start")
	}
}

test_port_in_range_passes if {
	every p in ["1", "65535", "0008443", "+443"] {
		count(cfg_listen.deny) == 0 with input as process({"CERTCTL_SERVER_PORT": p})
		count(cfg_listen.warn) == 0 with input as process({"CERTCTL_SERVER_PORT": p})
	}
}

test_port_not_an_integer_is_cfg_default_outside_a_container if {
	every p in ["https", "8443 ", "8443.0", "0x20fb"] {
		count(cfg_listen.warn) == 0 with input as process({"CERTCTL_SERVER_PORT": p})
		count(cfg_listen.deny) == 0 with input as process({"CERTCTL_SERVER_PORT": p})
	}
}

test_port_not_an_integer_in_container_is_8080 if {
	w := cfg_listen.warn with input as container({"CERTCTL_SERVER_PORT": "https"})
	count(w) == 1
	contains(msgs(w), "CERTCTL_SERVER_PORT is \"https\", which does not parse (certctl's default 8080 applies): the certctl image exposes and health-checks port 8443")
}

test_tls_paths_absent_or_empty_deny if {
	d := cfg_listen.deny with input as doc("process", without({}, ["CERTCTL_SERVER_TLS_CERT_PATH", "CERTCTL_SERVER_TLS_KEY_PATH"]))
	count(d) == 2
	contains(msgs(d), "CERTCTL_SERVER_TLS_CERT_PATH is empty or absent: the server refuses to start")
	contains(msgs(d), "CERTCTL_SERVER_TLS_KEY_PATH is empty or absent")
	d2 := cfg_listen.deny with input as process({"CERTCTL_SERVER_TLS_KEY_PATH": ""})
	count(d2) == 1
	some f in d2
	f.ref.path == ["CERTCTL_SERVER_TLS_KEY_PATH"]
}

test_tls_path_unknown_passes_maybe_empty_warns if {
	base := process({})
	unknown := {"value": "", "known": false, "ref": null}
	d1 := json.patch(base, [{"op": "replace", "path": "/envs/0/vars/CERTCTL_SERVER_TLS_CERT_PATH", "value": unknown}])
	count(cfg_listen.deny) == 0 with input as d1
	count(cfg_listen.warn) == 0 with input as d1
	d2 := json.patch(base, [{"op": "replace", "path": "/envs/0/vars/CERTCTL_SERVER_TLS_CERT_PATH", "value": object.union(unknown, {"maybe_empty": true})}])
	count(cfg_listen.deny) == 0 with input as d2
	w := cfg_listen.warn with input as d2
	count(w) == 1
	contains(msgs(w), "refuses to start unless it is exported non-empty")
}

test_container_default_host_denies if {
	d := cfg_listen.deny with input as doc("compose-service", without({}, ["CERTCTL_SERVER_HOST", "CERTCTL_SERVER_PORT"]))
	count(d) == 1
	contains(msgs(d), "CERTCTL_SERVER_HOST is unset (certctl's default 127.0.0.1)")
	contains(msgs(d), "health-checks https://localhost:8443/health")
	contains(msgs(d), "CERTCTL_SERVER_HOST=0.0.0.0 and CERTCTL_SERVER_PORT=8443")

	# The error already asks for the port: no second finding about it.
	count(cfg_listen.warn) == 0 with input as doc("compose-service", without({}, ["CERTCTL_SERVER_HOST", "CERTCTL_SERVER_PORT"]))
}

test_container_unset_port_warns if {
	w := cfg_listen.warn with input as doc("compose-service", without({}, ["CERTCTL_SERVER_PORT"]))
	count(w) == 1
	contains(msgs(w), "CERTCTL_SERVER_PORT is unset (certctl's default 8080): the certctl image exposes and health-checks port 8443")
	count(cfg_listen.deny) == 0 with input as doc("compose-service", without({}, ["CERTCTL_SERVER_PORT"]))
}

test_container_loopback_hosts_deny if {
	every h in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1"] {
		count(cfg_listen.deny) == 1 with input as container({"CERTCTL_SERVER_HOST": h})
	}
}

test_container_reachable_hosts_pass if {
	every h in ["0.0.0.0", "::", "certctl", "10.0.0.5"] {
		count(cfg_listen.deny) == 0 with input as container({"CERTCTL_SERVER_HOST": h})
	}
}

test_process_loopback_host_passes if {
	count(cfg_listen.deny) == 0 with input as process({"CERTCTL_SERVER_HOST": "127.0.0.1", "CERTCTL_SERVER_PORT": "8080"})
	count(cfg_listen.warn) == 0 with input as process({"CERTCTL_SERVER_HOST": "127.0.0.1", "CERTCTL_SERVER_PORT": "8080"})
}

test_container_other_port_warns if {
	w := cfg_listen.warn with input as container({"CERTCTL_SERVER_PORT": "9443"})
	count(w) == 1
	contains(msgs(w), "CERTCTL_SERVER_PORT is 9443: the certctl image exposes and health-checks port 8443")
	count(cfg_listen.deny) == 0 with input as container({"CERTCTL_SERVER_PORT": "9443"})
}

test_container_port_out_of_range_only_denies if {
	count(cfg_listen.deny) == 1 with input as container({"CERTCTL_SERVER_PORT": "0"})
	count(cfg_listen.warn) == 0 with input as container({"CERTCTL_SERVER_PORT": "0"})
}

test_agent_is_not_judged if {
	d := {"envs": [{"id": "a", "role": "agent", "origin": "container", "vars": {}}], "meta": {"certctl_version": "2.2.0", "now_unix": 0}}
	count(cfg_listen.deny) == 0 with input as d
}
