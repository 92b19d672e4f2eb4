# Which certctl release an environment runs, and whether a rule exists in it.
# A rule package that exists only in some releases declares custom.releases in
# its METADATA and the same range as its `releases` constant, and guards every
# finding with lib.applies(env, releases), so any OPA that loads the catalog
# judges releases exactly as certgate does (a Go test keeps the two in step).
package certgate.lib

# version is the certctl release env runs: its own (from its workload's image
# tag) when it has one, else the target release of the input.
version(env) := v if {
	v := object.get(env, "release", "")
	v != ""
} else := input.meta.certctl_version

# applies: env's release is inside range, a space-separated list of constraints
# that must all hold (">=2.1.1", ">=2.1.1 <2.2.0", "2.2.0"); "" is every release.
applies(env, range) if in_range(version(env), range)

# A single constraint, the common case, is judged directly (one call, cached
# per range); only a list is split.
in_range(_, "")

in_range(v, range) if {
	not contains(range, " ")
	satisfies(v, range)
}

in_range(v, range) if {
	contains(range, " ")
	constraints := [c | some c in split(trim_space(range), " "); c != ""]
	every c in constraints {
		satisfies(v, c)
	}
}

# satisfies: v meets one constraint, an operator (or none) and a version
# x.y.z. The operator is what precedes the version: string builtins, cheaper
# than a submatch regex; compares knows only the valid operators.
satisfies(v, c) if {
	want := trim_left(c, "<>=")
	regex.match(`^[0-9]+\.[0-9]+\.[0-9]+$`, want)
	compares(trim_suffix(c, want), semver.compare(v, want))
}

compares("", 0)

compares("=", 0)

compares(">=", d) if d >= 0

compares(">", 1)

compares("<=", d) if d <= 0

compares("<", -1)
