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

test_deny_empty_default_by_release if {
	lib.deny_empty_flag(env({})) == "off" with input.meta.certctl_version as "2.1.0"
	lib.deny_empty_flag(env({})) == "on" with input.meta.certctl_version as "2.2.0"
	lib.deny_empty_flag({"id": "t", "role": "server", "vars": {}, "release": "2.2.0"}) == "on" with input.meta.certctl_version as "2.1.0"
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

test_note_in_finding if {
	e := {"id": "t", "role": "server", "vars": {"X": {"value": "true", "known": true, "ref": null, "note": "default of ${X}; export X to override"}}}
	lib.finding(e, "X", "m").msg == "m (default of ${X}; export X to override)"
	lib.finding(env({"X": "1"}), "X", "m").msg == "m"
}

test_value_or if {
	lib.value_or(env({}), "X", "d") == "d"
	lib.value_or(env({"X": ""}), "X", "d") == "d"
	lib.value_or(env({"X": "v"}), "X", "d") == "v"
	not lib.value_or(unknown_env("X"), "X", "d")
}

test_listens_on_loopback if {
	every h in ["127.0.0.1", "127.1.2.3", "localhost", "LocalHost", "::1", "[::1]"] {
		lib.listens_on_loopback(h)
	}
	every h in ["0.0.0.0", "::", "10.0.0.1", "certctl", "1127.0.0.1"] {
		not lib.listens_on_loopback(h)
	}
}

test_byte_len_counts_utf8_bytes if {
	lib.byte_len("") == 0
	lib.byte_len("abc") == 3
	lib.byte_len("é") == 2
	lib.byte_len("€") == 3
	lib.byte_len("😀") == 4
}

test_secret_var if {
	every n in ["CERTCTL_AUTH_SECRET", "CERTCTL_AGENT_BOOTSTRAP_TOKEN", "POSTGRES_PASSWORD", "CERTCTL_CONFIG_ENCRYPTION_KEY", "CERTCTL_API_KEY", "CERTCTL_API_KEYS_NAMED", "CERTCTL_DATABASE_URL", "CERTCTL_SCEP_PROFILE_CORP_CHALLENGE_PASSWORD"] {
		lib.secret_var(n)
	}
	every n in ["CERTCTL_SERVER_TLS_KEY_PATH", "CERTCTL_KEYGEN_MODE", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY", "POSTGRES_PASSWORD_FILE", "CERTCTL_KEY_DIR", "CERTCTL_SERVER_HOST"] {
		not lib.secret_var(n)
	}
}

test_database_url_password if {
	lib.database_url_password("postgres://u:pw@db/x") == "pw"
	lib.database_url_password("postgresql://u:p@ss@db:5432/x?sslmode=require") == "p@ss"
	lib.database_url_password("host=db user=u password='a b' dbname=x") == "a b"
	lib.database_url_password("host=db password=secret") == "secret"
	not lib.database_url_password("postgres://u@db/x")
	not lib.database_url_password("postgres://db/x")
	not lib.database_url_password("host=db user=u")
}
