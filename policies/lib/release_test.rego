package certgate.lib_test

import data.certgate.lib

test_releases if {
	e := {"id": "t", "role": "server", "vars": {}}
	lib.applies(e, ">=2.1.1") with input.meta.certctl_version as "2.1.1"
	not lib.applies(e, ">=2.1.1") with input.meta.certctl_version as "2.1.0"
	lib.applies(e, ">=2.1.1 <2.2.0") with input.meta.certctl_version as "2.1.7"
	not lib.applies(e, ">=2.1.1 <2.2.0") with input.meta.certctl_version as "2.2.0"
	lib.applies(e, "") with input.meta.certctl_version as "2.1.0"
	lib.applies(e, "2.2.0") with input.meta.certctl_version as "2.2.0"
	not lib.applies(e, "<=2.1.7") with input.meta.certctl_version as "2.2.0"
}

test_release_operators if {
	e := {"id": "t", "role": "server", "vars": {}}
	every r in ["2.1.4", "=2.1.4", ">=2.1.4", "<=2.1.4", ">2.1.3", "<2.1.5", " >=2.1.1  <2.2.0 ", " "] {
		lib.applies(e, r) with input.meta.certctl_version as "2.1.4"
	}
	every r in ["2.1.3", "=2.1.3", ">=2.1.5", "<=2.1.3", ">2.1.4", "<2.1.4", ">=2.1.1 <2.1.4", "=>2.1.4", "==2.1.4", "~2.1.4", ">=2.1", ">=v2.1.4", ">=2.1.4-rc1", "latest"] {
		not lib.applies(e, r) with input.meta.certctl_version as "2.1.4"
	}
}

test_env_release_wins if {
	e := {"id": "t", "role": "server", "vars": {}, "release": "2.1.0"}
	lib.version(e) == "2.1.0" with input.meta.certctl_version as "2.2.0"
	not lib.applies(e, ">=2.1.1") with input.meta.certctl_version as "2.2.0"
	lib.version({"release": ""}) == "2.2.0" with input.meta.certctl_version as "2.2.0"
}
