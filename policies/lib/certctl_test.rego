package certgate.lib_test

import data.certgate.lib

env(vars) := {"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": null} | some name, v in vars}}

unknown_env(name) := {"id": "t", "role": "server", "vars": {name: {"value": "", "known": false, "ref": null}}}

test_true_spellings if {
	every v in ["true", "1", "yes"] {
		lib.is_true(env({"X": v}), "X")
	}
}

test_other_spellings_are_not_true if {
	every v in ["True", "TRUE", "on", "false", "0", "no", "y"] {
		not lib.is_true(env({"X": v}), "X")
		lib.is_not_true(env({"X": v}), "X")
	}
}

test_empty_is_unset if {
	lib.is_unset(env({"X": ""}), "X")
	lib.is_unset(env({}), "X")
	not lib.is_unset(env({"X": "false"}), "X")
}

test_unknown_is_neither if {
	e := unknown_env("X")
	lib.is_unknown(e, "X")
	not lib.is_true(e, "X")
	not lib.is_not_true(e, "X")
	not lib.is_unset(e, "X")
}

test_parse_int if {
	lib.parse_int("42") == 42
	lib.parse_int("+42") == 42
	lib.parse_int("-1") == -1
	not lib.parse_int("10MB")
	not lib.parse_int(" 1")
	not lib.parse_int("")
	not lib.parse_int("99999999999999999999")
}

test_deny_empty_default_by_release if {
	lib.deny_empty_flag(env({})) == "off" with input.meta.certctl_version as "2.1.0"
	lib.deny_empty_flag(env({})) == "on" with input.meta.certctl_version as "2.2.0"
	lib.deny_empty_flag(env({})) == "on" with input.meta.certctl_version as "3.0.0"
}

test_deny_empty_explicit if {
	lib.deny_empty_flag(env({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "yes"})) == "on" with input.meta.certctl_version as "2.1.0"
	lib.deny_empty_flag(env({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": "false"})) == "off" with input.meta.certctl_version as "2.2.0"
	lib.deny_empty_flag(env({"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY": ""})) == "on" with input.meta.certctl_version as "2.2.0"
	lib.deny_empty_flag(unknown_env("CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY")) == "unknown" with input.meta.certctl_version as "2.2.0"
}

test_finding_ref if {
	e := {"id": "t", "role": "server", "ref": {"file": "f", "doc": 0, "path": []}, "vars": {"A": {"value": "", "known": true, "ref": {"file": "f", "doc": 0, "path": ["A"]}}}}
	lib.finding(e, "A", "m").ref.path == ["A"]
	lib.finding(e, "B", "m").ref.path == []
	lib.finding(e, "A", "m").subject == "t"
}

test_open_env_absent_is_unknown if {
	e := {"id": "t", "role": "server", "labels": {"env_from_unresolved": "Secret/elsewhere"}, "vars": {"A": {"value": "", "known": true, "ref": null}}}
	lib.is_unknown(e, "B")
	not lib.is_unset(e, "B")
	not lib.is_not_true(e, "B")
	lib.is_unset(e, "A")
}
