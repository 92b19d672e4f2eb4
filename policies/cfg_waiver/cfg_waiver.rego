# METADATA
# title: Carve-outs must be current
# description: >-
#   A carve-out (an entry of the carveouts register in certgate.yaml, or an inline
#   "# certgate:ignore RULE-ID until=YYYY-MM-DD reason=..." comment) acknowledges a
#   deliberate exception to a rule, with an owner, a reason and a last day. After that
#   day the exception no longer applies and the findings it covered count again. An
#   exception close to its last day, or one that no longer matches any finding (stale),
#   needs its owner's attention.
# custom:
#   id: CFG-WAIVER
#   inputs: [carveout]
#   severity: error
#   remediation: Fix the findings the carve-out covered, or have its owner review it and set a new expires date at most one year ahead; delete carve-outs that match nothing.
#   docs: docs/policies.md#cfg-waiver
package certgate.cfg_waiver

# input.carveouts is filled by lint/carveout: one entry per carve-out with id,
# source (where it is declared), owner, expires (the last day it applies) and
# expires_unix (the first second it no longer applies), and a ref.

# soon is how far ahead an end date starts to warn: 14 days.
soon := 14 * 86400

owner(c) := c.owner if c.owner != ""

owner(c) := "no owner" if c.owner == ""

deny contains f if {
	some c in input.carveouts
	input.meta.now_unix >= c.expires_unix
	msg := sprintf("carve-out %s for %s expired after %s (%s): the findings it covered count again", [c.source, c.id, c.expires, owner(c)])
	f := {"msg": msg, "ref": c.ref, "subject": c.source}
}

warn contains f if {
	some c in input.carveouts
	left := c.expires_unix - input.meta.now_unix
	left > 0
	left <= soon
	days := ceil(left / 86400)
	msg := sprintf("carve-out %s for %s ends after %s, in %d day(s) (%s): renew it with a reason or fix the findings", [c.source, c.id, c.expires, days, owner(c)])
	f := {"msg": msg, "ref": c.ref, "subject": c.source}
}
