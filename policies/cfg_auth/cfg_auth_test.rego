package certgate.cfg_auth_test

import data.certgate.cfg_auth

booting := {
	"CERTCTL_SERVER_HOST": "0.0.0.0",
	"CERTCTL_AUTH_TYPE": "api-key",
	"CERTCTL_AUTH_SECRET": "Zq8adminSecretValue4711xx",
}

vars(m) := {name: {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": [name]}} | some name, v in m}

at(version, m) := {"envs": [{"id": "t", "role": "server", "origin": "process", "vars": vars(m)}], "meta": {"certctl_version": version, "now_unix": 0}}

server(m) := at("2.2.0", object.union(booting, m))

bare(m) := at("2.2.0", m)

with_var(doc, name, v) := json.patch(doc, [{"op": "add", "path": sprintf("/envs/0/vars/%s", [name]), "value": v}])

unknown := {"value": "", "known": false, "ref": null}

msgs(set) := concat("\n", [f.msg | some f in set])

test_booting_is_clean if {
	count(cfg_auth.deny) == 0 with input as server({})
	count(cfg_auth.warn) == 0 with input as server({})
}

test_unknown_types_deny if {
	every t in ["API-KEY", "Api-Key", "apikey", "basic", "None", "OIDC"] {
		d := cfg_auth.deny with input as server({"CERTCTL_AUTH_TYPE": t})
		count(d) == 1
		contains(msgs(d), "is not one of api-key|none|oidc")
	}
	d := cfg_auth.deny with input as server({"CERTCTL_AUTH_TYPE": "API-KEY"})
	contains(msgs(d), "case-sensitively")
}

test_jwt_has_its_own_message if {
	d := cfg_auth.deny with input as server({"CERTCTL_AUTH_TYPE": "jwt"})
	count(d) == 1
	contains(msgs(d), "CERTCTL_AUTH_TYPE=\"jwt\" is not supported (certctl has no jwt authenticator")
	contains(msgs(d), "the server refuses to start")
}

test_api_key_without_secret_denies if {
	d := cfg_auth.deny with input as server({"CERTCTL_AUTH_SECRET": ""})
	count(d) == 1
	contains(msgs(d), "CERTCTL_AUTH_SECRET is empty or absent while CERTCTL_AUTH_TYPE=api-key: the server refuses to start")
	d2 := cfg_auth.deny with input as bare({"CERTCTL_API_KEYS_NAMED": "ops:Kx9opsKeyValue"})
	count(d2) == 1
	contains(msgs(d2), "CERTCTL_AUTH_TYPE is unset (certctl's default api-key)")
	contains(msgs(d2), "named keys")
}

test_secret_unknown_passes_maybe_empty_warns if {
	doc := with_var(server({}), "CERTCTL_AUTH_SECRET", unknown)
	count(cfg_auth.deny) == 0 with input as doc
	count(cfg_auth.warn) == 0 with input as doc
	doc2 := with_var(server({}), "CERTCTL_AUTH_SECRET", object.union(unknown, {"maybe_empty": true}))
	count(cfg_auth.deny) == 0 with input as doc2
	w := cfg_auth.warn with input as doc2
	count(w) == 1
	contains(msgs(w), "refuses to start unless it is exported non-empty")
}

test_secret_not_needed_for_other_types if {
	count(cfg_auth.deny) == 0 with input as server({"CERTCTL_AUTH_TYPE": "oidc", "CERTCTL_AUTH_SECRET": ""})
	count(cfg_auth.deny) == 0 with input as server({"CERTCTL_AUTH_TYPE": "none", "CERTCTL_SERVER_HOST": "127.0.0.1", "CERTCTL_AUTH_SECRET": ""})
}

test_none_off_loopback_denies if {
	every h in ["0.0.0.0", "::", "[::1]", "127.0.0.2", "certctl.internal", "LOCALHOST"] {
		d := cfg_auth.deny with input as server({"CERTCTL_AUTH_TYPE": "none", "CERTCTL_SERVER_HOST": h})
		count(d) == 1
		contains(msgs(d), "is not loopback (exactly 127.0.0.1, ::1 or localhost): the server refuses to start")
	}
}

test_none_on_loopback_passes if {
	every h in ["127.0.0.1", "::1", "localhost", ""] {
		count(cfg_auth.deny) == 0 with input as server({"CERTCTL_AUTH_TYPE": "none", "CERTCTL_SERVER_HOST": h})
	}
	count(cfg_auth.deny) == 0 with input as bare({"CERTCTL_AUTH_TYPE": "none"})
}

test_none_off_loopback_demo_acked_passes if {
	every a in ["true", "1", "yes"] {
		count(cfg_auth.deny) == 0 with input as server({"CERTCTL_AUTH_TYPE": "none", "CERTCTL_DEMO_MODE_ACK": a})
	}
	count(cfg_auth.deny) == 1 with input as server({"CERTCTL_AUTH_TYPE": "none", "CERTCTL_DEMO_MODE_ACK": "TRUE"})
}

test_none_off_loopback_ack_unknown_warns if {
	doc := with_var(server({"CERTCTL_AUTH_TYPE": "none"}), "CERTCTL_DEMO_MODE_ACK", unknown)
	count(cfg_auth.deny) == 0 with input as doc
	w := cfg_auth.warn with input as doc
	count(w) == 1
	contains(msgs(w), "unless CERTCTL_DEMO_MODE_ACK resolves to true")
}

test_none_host_unknown_warns if {
	doc := with_var(server({"CERTCTL_AUTH_TYPE": "none"}), "CERTCTL_SERVER_HOST", unknown)
	count(cfg_auth.deny) == 0 with input as doc
	w := cfg_auth.warn with input as doc
	count(w) == 1
	contains(msgs(w), "CERTCTL_SERVER_HOST is only known at run time")
	doc2 := with_var(server({"CERTCTL_AUTH_TYPE": "none", "CERTCTL_DEMO_MODE_ACK": "true"}), "CERTCTL_SERVER_HOST", unknown)
	count(cfg_auth.warn) == 0 with input as doc2
}

test_oidc_exits_before_2_2_0 if {
	every v in ["2.1.0", "2.1.7"] {
		d := cfg_auth.deny with input as at(v, object.union(booting, {"CERTCTL_AUTH_TYPE": "oidc"}))
		count(d) == 1
		contains(msgs(d), sprintf("passes certctl %s's configuration check, but the server then exits at startup", [v]))
	}
	count(cfg_auth.deny) == 0 with input as server({"CERTCTL_AUTH_TYPE": "oidc"})
}

test_release_of_the_environment_decides_oidc if {
	doc := json.patch(server({"CERTCTL_AUTH_TYPE": "oidc"}), [{"op": "add", "path": "/envs/0/release", "value": "2.1.4"}])
	count(cfg_auth.deny) == 1 with input as doc
}

test_agent_is_not_judged if {
	doc := {"envs": [{"id": "a", "role": "agent", "origin": "process", "vars": vars({"CERTCTL_AUTH_TYPE": "jwt"})}], "meta": {"certctl_version": "2.2.0", "now_unix": 0}}
	count(cfg_auth.deny) == 0 with input as doc
}
