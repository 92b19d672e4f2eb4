package certgate.user.auth_type_test

import data.certgate.user.auth_type

# server is an input with one certctl server environment holding vars.
server(vars) := {"envs": [{
	"id": "server",
	"role": "server",
	"ref": {"file": "f", "doc": 0, "path": []},
	"vars": {name: {"value": v, "known": true} | some name, v in vars},
}]}

test_unset_is_denied if {
	some f in auth_type.deny with input as server({})
	f.msg == "CERTCTL_AUTH_TYPE is not set"
	f.subject == "server"
}

test_empty_is_denied if {
	count(auth_type.deny) == 1 with input as server({"CERTCTL_AUTH_TYPE": ""})
}

test_set_passes if {
	count(auth_type.deny) == 0 with input as server({"CERTCTL_AUTH_TYPE": "api-key"})
}
