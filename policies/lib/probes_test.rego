package certgate.lib_test

import data.certgate.lib

test_probed_env_is_the_first_server_env if {
	e := lib.probed_env with input as {"envs": [{"id": "a", "role": "agent"}, {"id": "s1", "role": "server"}, {"id": "s2", "role": "server"}]}
	e.id == "s1"
	not lib.probed_env with input as {"envs": [{"id": "a", "role": "agent"}]}
}

test_probe_finding_without_env if {
	f := lib.probe_finding("X", "m") with input as {"envs": []}
	f.ref == null
	g := lib.probe_finding("X", "m") with input as {"envs": [{"id": "s", "role": "server", "vars": {"X": {"value": "", "known": true, "ref": {"file": "f", "doc": 0, "path": ["X"]}}}}]}
	g.ref.path == ["X"]
}

test_url_parts if {
	lib.url_parts("HTTPS://u@acme.example.com:443/dir") == {"scheme": "https", "host": "acme.example.com"}
	lib.url_parts("http://[::1]:14000/dir").host == "::1"
	not lib.url_parts("acme.example.com/dir")
}

test_loopback_host if {
	lib.loopback_host("LOCALHOST")
	lib.loopback_host("127.0.0.2")
	not lib.loopback_host("10.0.0.1")
	not lib.loopback_host("localhost.example.com")
}
