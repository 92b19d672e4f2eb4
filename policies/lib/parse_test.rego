# Tests of parse.rego; env(vars) is defined in certctl_test.rego.
package certgate.lib_test

import data.certgate.lib

test_parse_int if {
	lib.parse_int("42") == 42
	lib.parse_int("+42") == 42
	lib.parse_int("-1") == -1
	not lib.parse_int("10MB")
	not lib.parse_int(" 1")
	not lib.parse_int("")
	not lib.parse_int("99999999999999999999")
}

test_parse_int_leading_zeros if {
	lib.parse_int("0000000000000000000000000042") == 42
	lib.parse_int("-00000000000000000000000001") == -1
	lib.parse_int("9223372036854775807") == 9223372036854775807
	not lib.parse_int("9223372036854775808")
	not lib.parse_int("")
	not lib.parse_int(" 1")
	not lib.parse_int("1e3")
}

test_parse_duration if {
	lib.parse_duration("0") == 0
	lib.parse_duration("1m") == 60000000000
	lib.parse_duration("1h30m") == 5400000000000
	lib.parse_duration("1.5s") == 1500000000
	lib.parse_duration(".5s") == 500000000
	lib.parse_duration("-2m") == -120000000000
	lib.parse_duration("300ms") == 300000000
	lib.parse_duration("2µs") == 2000
	every bad in ["60", "", "1d", "1 m", "m", ".s", "1m ", "--1m", "1.2.3s"] {
		not lib.parse_duration(bad)
	}
}

test_format_duration if {
	lib.format_duration(60000000000) == "1m0s"
	lib.format_duration(300000000000) == "5m0s"
	lib.format_duration(30000000000) == "30s"
	lib.format_duration(5400000000000) == "1h30m0s"
}

test_list_items if {
	lib.list_items(" a ,\tb,, ,c") == ["a", "b", "c"]
	lib.list_items("") == []
}

test_agent_booleans if {
	every v in ["1", "t", "T", "TRUE", "True", "yes", "ON"] {
		lib.is_agent_true(env({"X": v}), "X")
	}
	not lib.is_agent_true(env({"X": "y"}), "X")
}
