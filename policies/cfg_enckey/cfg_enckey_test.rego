package certgate.cfg_enckey_test

import data.certgate.cfg_enckey

server(v) := {"envs": [{"id": "t", "role": "server", "origin": "process", "vars": {"CERTCTL_CONFIG_ENCRYPTION_KEY": {"value": v, "known": true, "ref": null}}}], "meta": {"certctl_version": "2.2.0", "now_unix": 0}}

denies(v) := d if {
	d := cfg_enckey.deny with input as server(v)
}

test_short_key_denies if {
	d := denies("Ek5short")
	count(d) == 1
	some f in d
	contains(f.msg, "is 8 bytes long, less than 32: the server refuses to start")
	not contains(f.msg, "Ek5short")
	count(denies("0123456789abcdef0123456789abcde")) == 1
}

test_long_enough_passes if {
	count(denies("0123456789abcdef0123456789abcdef")) == 0
	count(denies("")) == 0
}

test_bytes_not_characters if {
	# 16 characters, 32 bytes: certctl counts bytes.
	count(denies("éééééééééééééééé")) == 0

	# 31 bytes in 16 characters.
	d := denies("ééééééééééééééée")
	count(d) == 1
	some f in d
	contains(f.msg, "is 31 bytes long")
}

test_unknown_passes if {
	doc := json.patch(server(""), [{"op": "replace", "path": "/envs/0/vars/CERTCTL_CONFIG_ENCRYPTION_KEY", "value": {"value": "", "known": false, "ref": null}}])
	count(cfg_enckey.deny) == 0 with input as doc
}
