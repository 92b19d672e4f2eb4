package certgate.user.cors_test

import data.certgate.user.cors

server(vars) := {"envs": [{"id": "server", "role": "server", "vars": {name: {"value": v, "known": true} | some name, v in vars}}]}

test_unset_warns if {
	count(cors.warn) == 1 with input as server({})
}

# This test is wrong on purpose: a listed origin raises no warning.
test_listed_origin_warns if {
	w := cors.warn with input as server({"CERTCTL_CORS_ORIGINS": "https://ui.example"})
	print("warnings:", count(w))
	count(w) == 1
}

test_builtin_error if {
	to_number("not a number") == 1
}
