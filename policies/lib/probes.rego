package certgate.lib

# Helpers for the live probes of the startup gate (input.probes.<name>) and for
# the static reading of connection URLs. METADATA for this package lives in
# certctl.rego.

# probed_env is the environment the gate probed: the first server environment.
probed_env := input.envs[i] if {
	i := min({j | some j; input.envs[j].role == "server"})
}

# probe_finding builds a finding about a probe, pointing at the variable that
# configured it.
probe_finding(name, msg) := finding(probed_env, name, msg)

probe_finding(_, msg) := {"msg": msg, "ref": null, "subject": "probe"} if not probed_env

# local_db_host: the database is on this machine, in this compose project or in
# this cluster, so traffic to it does not cross an untrusted network.
local_db_host(host) if host == ""

local_db_host(host) if startswith(host, "/")

local_db_host(host) if lower(host) in {"localhost", "::1", "[::1]", "postgres"}

local_db_host(host) if regex.match(`^127\.[0-9]+\.[0-9]+\.[0-9]+$`, host)

local_db_host(host) if endswith(lower(host), ".svc.cluster.local")

local_db_host(host) if endswith(lower(host), ".svc")

# A single-label name (the chart's certctl-postgresql, a compose service)
# resolves only through the local search domain: the namespace or project.
local_db_host(host) if regex.match(`^[A-Za-z0-9_-]+$`, host)

# host_of is the host of a host[:port] pair, brackets of an IPv6 literal removed.
host_of(hp) := trim_suffix(trim_prefix(regex.replace(hp, `\]:[0-9]*$`, "]"), "["), "]") if startswith(hp, "[")

host_of(hp) := split(hp, ":")[0] if not startswith(hp, "[")

# loopback_host: a URL host that never leaves this machine.
loopback_host(host) if lower(host) in {"localhost", "::1", "[::1]"}

loopback_host(host) if regex.match(`^127\.[0-9]+\.[0-9]+\.[0-9]+$`, host)

# url_parts splits an absolute URL into scheme and host; undefined otherwise.
url_parts(u) := {"scheme": lower(m[0][1]), "host": host_of(m[0][2])} if {
	m := regex.find_all_string_submatch_n(`^([A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]+)`, u, 1)
	count(m) == 1
}
