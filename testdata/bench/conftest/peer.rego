# The peer workload for scripts/bench.sh: conftest evaluating the same kinds of
# checks certgate makes (placeholder literals, the ACME acknowledgement, the demo
# timestamp, the body cap) on the same files, so the two can be compared.
package main

import rego.v1

deny contains msg if {
	walk(input, [path, value])
	is_string(value)
	contains(lower(value), "change-me-")
	msg := sprintf("placeholder credential at %v", [path])
}

deny contains "CERTCTL_ACME_INSECURE without its acknowledgement" if {
	input.CERTCTL_ACME_INSECURE in {"true", "1", "yes"}
	not input.CERTCTL_ACME_INSECURE_ACK in {"true", "1", "yes"}
}

deny contains "CERTCTL_MAX_BODY_SIZE is not a byte count" if {
	v := input.CERTCTL_MAX_BODY_SIZE
	v != ""
	not regex.match(`^[+-]?[0-9]+$`, v)
}

deny contains "demo acknowledgement without a timestamp" if {
	input.CERTCTL_DEMO_MODE_ACK in {"true", "1", "yes"}
	not input.CERTCTL_DEMO_MODE_ACK_TS
}

warn contains "more than one replica without a PodDisruptionBudget" if {
	input.kind == "Deployment"
	input.spec.replicas > 1
}
