package certgate.cfg_cors_test

import data.certgate.cfg_cors

server(m) := {"envs": [{"id": "t", "role": "server", "origin": "process", "vars": {k: {"value": v, "known": true, "ref": null} | some k, v in m}}], "meta": {"certctl_version": "2.2.0", "now_unix": 0}}

test_wildcard_denies if {
	every v in ["*", " * ", "https://a.example.com,*", "https://a.example.com, *\t,"] {
		d := cfg_cors.deny with input as server({"CERTCTL_CORS_ORIGINS": v})
		count(d) == 1
		some f in d
		contains(f.msg, "allows every origin (*): the server refuses to start without a demo acknowledgement")
	}
}

test_exact_origins_pass if {
	every v in ["https://a.example.com", "https://*.example.com", "**", "", "https://a.example.com, https://b.example.com"] {
		count(cfg_cors.deny) == 0 with input as server({"CERTCTL_CORS_ORIGINS": v})
	}
}

test_demo_ack_allows_wildcard if {
	count(cfg_cors.deny) == 0 with input as server({"CERTCTL_CORS_ORIGINS": "*", "CERTCTL_DEMO_MODE_ACK": "true"})
	count(cfg_cors.deny) == 1 with input as server({"CERTCTL_CORS_ORIGINS": "*", "CERTCTL_DEMO_MODE_ACK": "on"})
}

test_demo_ack_unknown_warns if {
	doc := json.patch(server({"CERTCTL_CORS_ORIGINS": "*"}), [{"op": "add", "path": "/envs/0/vars/CERTCTL_DEMO_MODE_ACK", "value": {"value": "", "known": false, "ref": null}}])
	count(cfg_cors.deny) == 0 with input as doc
	count(cfg_cors.warn) == 1 with input as doc
	count(cfg_cors.warn) == 0 with input as server({"CERTCTL_CORS_ORIGINS": "*"})
}
