package certgate.lib_profiles_test

import data.certgate.lib

env(vars) := {"id": "t", "role": "server", "vars": {name: {"value": v, "known": true, "ref": null} | some name, v in vars}}

unknown(name, maybe_empty) := {"id": "t", "role": "server", "vars": {name: {"value": "", "known": false, "maybe_empty": maybe_empty, "ref": null}}}

test_profile_names_split_like_certctl if {
	lib.profile_names(env({"L": " corp ,\tIoT,, \n"}), "L") == ["corp", "IoT"]
	lib.profile_names(env({"L": "\ncorp\n"}), "L") == ["corp"]
	lib.profile_names(env({"L": ""}), "L") == []
	lib.profile_names(env({}), "L") == []
	not lib.profile_names(unknown("L", false), "L")
}

test_profiles_key_and_path_id if {
	lib.profiles(env({"L": "Corp,corp,iot"}), "L") == {{"key": "CORP", "path_id": "corp"}, {"key": "IOT", "path_id": "iot"}}
	lib.profile_var("P_", {"key": "CORP", "path_id": "corp"}, "ISSUER_ID") == "P_CORP_ISSUER_ID"
}

test_valid_path_id if {
	every id in ["a", "0", "corp", "a-b", "a--b", "iot-2"] {
		lib.valid_path_id(id)
	}
	every id in ["", "-a", "a-", "-", "a_b", "A", "a b", "a.b", "é"] {
		not lib.valid_path_id(id)
	}
}

test_duplicate_path_ids if {
	lib.duplicate_path_ids(env({"L": "corp,iot,CORP,Iot,x"}), "L") == {"corp", "iot"}
	lib.duplicate_path_ids(env({"L": "corp,iot"}), "L") == set()
}

test_no_profiles if {
	lib.no_profiles(env({}), "L") == "yes"
	lib.no_profiles(env({"L": " , "}), "L") == "yes"
	lib.no_profiles(env({"L": "corp"}), "L") == "no"
	lib.no_profiles(unknown("L", true), "L") == "maybe"
	lib.no_profiles(unknown("L", false), "L") == "no"
}

test_conditions if {
	lib.cond_on(env({"B": "yes"}), "B") == "yes"
	lib.cond_on(env({"B": "TRUE"}), "B") == "no"
	lib.cond_on(env({}), "B") == "no"
	lib.cond_on(unknown("B", false), "B") == "maybe"
	lib.cond_off(env({"B": "True"}), "B") == "yes"
	lib.cond_off(env({"B": "1"}), "B") == "no"
	lib.cond_off(unknown("B", false), "B") == "maybe"
	lib.cond_empty(env({"S": ""}), "S") == "yes"
	lib.cond_empty(env({"S": "x"}), "S") == "no"
	lib.cond_empty(unknown("S", false), "S") == "no"
	lib.cond_empty(unknown("S", true), "S") == "maybe"
}

test_conds if {
	lib.conds_hold([["A", "yes"], ["B", "yes"]])
	not lib.conds_hold([["A", "yes"], ["B", "maybe"]])
	lib.conds_uncertain([["A", "yes"], ["B", "maybe"], ["C", "maybe"]]) == ["B", "C"]
	not lib.conds_uncertain([["A", "maybe"], ["B", "no"]])
	not lib.conds_uncertain([["A", "yes"]])
}

test_effective_duration if {
	lib.effective_duration(env({"D": "90s"}), "D", 1) == 90000000000
	lib.effective_duration(env({"D": "90"}), "D", 1) == 1
	lib.effective_duration(env({}), "D", 1) == 1
	not lib.effective_duration(unknown("D", false), "D", 1)
	lib.shown_duration(env({"D": "90"}), "D", "60s") == `D ("90" does not parse: default 60s)`
	lib.shown_duration(env({"D": "-1m"}), "D", "60s") == "D=-1m"
}

test_profile_vars if {
	lib.profile_vars("P_", {"key": "CORP", "path_id": "corp"}, ["ISSUER_ID", "MTLS_ENABLED"]) == {"ISSUER_ID": "P_CORP_ISSUER_ID", "MTLS_ENABLED": "P_CORP_MTLS_ENABLED"}
	lib.profile_vars("P_", {"key": "CORP", "path_id": "corp"}, []) == {}
}
