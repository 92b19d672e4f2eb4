package certgate.cfg_apikeys_test

import data.certgate.cfg_apikeys

server(v) := {"envs": [{"id": "t", "role": "server", "origin": "process", "vars": {"CERTCTL_API_KEYS_NAMED": {"value": v, "known": true, "ref": {"file": "f", "doc": 0, "path": ["CERTCTL_API_KEYS_NAMED"]}}}}], "meta": {"certctl_version": "2.2.0", "now_unix": 0}}

msgs(set) := concat("\n", [f.msg | some f in set])

denies(v) := d if {
	d := cfg_apikeys.deny with input as server(v)
}

test_well_formed_lists_pass if {
	every v in [
		"ops:Kx9opsKeyValue",
		"ops:Kx9opsKeyValue:admin, agent-1:Ag3agentKey ,\tci_bot:Ci7key,,",
		"ops:Kx9old,ops:Kx9new",
		"",
		" , ",
	] {
		count(denies(v)) == 0
	}
}

test_field_count if {
	every v in ["Kx9lonelyKeyValue", "ops:Kx9:admin:extra", "ops:Kx9:admin,ci:k:admin:x"] {
		d := denies(v)
		count(d) == 1
		contains(msgs(d), "colon-separated field(s), not name:key or name:key:admin: the server refuses to start")
	}
	contains(msgs(denies("ok:Kx9,Kx9lonelyKeyValue")), "entry 2 has 1 colon-separated field(s)")
}

test_third_field_must_be_admin if {
	d := denies("ops:Kx9opsKeyValue:Admin")
	count(d) == 1
	contains(msgs(d), "the third field of entry 1 (ops) is not admin (\"Admin\": certctl compares case-sensitively)")
	d2 := denies("ops:Kx9opsKeyValue:rw")
	count(d2) == 1
	not contains(msgs(d2), "rw")
	count(denies("ops:Kx9opsKeyValue:")) == 1
}

test_name_pattern if {
	every v in ["o ps:Kx9", "ops.team:Kx9", ":Kx9", "é:Kx9"] {
		d := denies(v)
		count(d) == 1
		contains(msgs(d), "the name of entry 1 is not made of letters, digits, _ and - only")
	}
}

test_empty_key if {
	d := denies("ops:")
	count(d) == 1
	contains(msgs(d), "the key of entry 1 (ops) is empty")
	count(denies("ops::admin")) == 1
}

test_duplicate_name_and_key if {
	d := denies("ops:Kx9same, ci:Ci7 ,ops:Kx9same")
	count(d) == 1
	contains(msgs(d), "entry 3 (ops) repeats the name and key of entry 1")
	count(denies("ops:Kx9same,ops2:Kx9same")) == 0
}

test_mixed_admin_flags if {
	d := denies("ops:Kx9a:admin,ops:Kx9b")
	count(d) == 1
	contains(msgs(d), "the name ops is listed both with and without admin")
	count(denies("ops:Kx9a:admin,ops:Kx9b:admin")) == 0
}

test_no_key_in_messages if {
	every v in ["Kx9lonelyKeyValue", "Kx9/+=key:Zz8otherKey", "ops:Kx9secretKey:rw", "ops:Kx9secretKey,ops:Kx9secretKey", "ops:Kx9secretKey:admin,ops:Kx9otherKey"] {
		d := denies(v)
		count(d) > 0
		not contains(msgs(d), "Kx9")
	}
}

test_unknown_and_agent_not_judged if {
	doc := json.patch(server("x"), [{"op": "replace", "path": "/envs/0/vars/CERTCTL_API_KEYS_NAMED", "value": {"value": "", "known": false, "ref": null}}])
	count(cfg_apikeys.deny) == 0 with input as doc
	agent := json.patch(server("Kx9lonely"), [{"op": "replace", "path": "/envs/0/role", "value": "agent"}])
	count(cfg_apikeys.deny) == 0 with input as agent
}
