package testutil

// BrokenRego is a rule package that does not parse: a catalog holding it must
// never compile, and the gate must refuse the start.
const BrokenRego = "package certgate.bad\n\ndeny contains x if {\n"

// StrictRego errors at evaluation (strict builtin errors) when
// CERTCTL_MAX_BODY_SIZE is not a number, and finds nothing otherwise.
const StrictRego = `# METADATA
# title: Strict
# description: Reads the body size as a number.
# custom:
#   id: CFG-STRICT
#   severity: error
#   remediation: None.
package certgate.strict

deny contains {"msg": "negative", "ref": null} if {
	some env in input.envs
	to_number(env.vars.CERTCTL_MAX_BODY_SIZE.value) < 0
}
`
