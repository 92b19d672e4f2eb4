# METADATA
# title: OTEL_RESOURCE_ATTRIBUTES parses as the OpenTelemetry SDK reads it
# description: >-
#   With CERTCTL_OTEL_ENABLED true, certctl builds its OpenTelemetry resource from
#   the environment and refuses to start when resource detection fails. The SDK
#   reads OTEL_RESOURCE_ATTRIBUTES as comma-separated key=value items (the value
#   trimmed first, each key and value trimmed, values percent-decoded); an item
#   without "=" (an empty item from a stray comma too) fails detection. A value that
#   is not valid percent-encoding is kept undecoded and only logged, and an item
#   with an empty key is dropped: warnings. The startup gate reads the variable
#   from the server's process environment.
# custom:
#   id: CFG-OTEL
#   inputs: [host]
#   severity: error
#   remediation: Write OTEL_RESOURCE_ATTRIBUTES as key=value pairs separated by commas (service.name=certctl,deployment.environment=prod), percent-encode commas, equals signs and spaces inside values, and drop stray commas; or set CERTCTL_OTEL_ENABLED=false.
#   docs: docs/policies.md#cfg-otel
package certgate.cfg_otel

import data.certgate.lib

enabled := "CERTCTL_OTEL_ENABLED"

name := "OTEL_RESOURCE_ATTRIBUTES"

otel := input.host.otel if {
	lib.is_true(lib.probed_env, enabled)
	input.host.otel.set
}

positions(xs) := concat(", ", [sprintf("%d", [x]) | some x in xs])

deny contains f if {
	count(otel.missing_value) > 0
	msg := sprintf("%s is true and %s has %d item(s), of which item(s) %s have no \"=\": the OpenTelemetry SDK fails resource detection and the server refuses to start. Write key=value items separated by commas, without empty items", [enabled, name, otel.pairs, positions(otel.missing_value)])
	f := lib.probe_finding(name, msg)
}

warn contains f if {
	count(otel.bad_escape) > 0
	msg := sprintf("%s: the value(s) of item(s) %s are not valid percent-encoding: the OpenTelemetry SDK keeps them undecoded and logs an error. Encode %% as %%25", [name, positions(otel.bad_escape)])
	f := lib.probe_finding(name, msg)
}

warn contains f if {
	count(otel.empty_key) > 0
	msg := sprintf("%s: item(s) %s have an empty key: the OpenTelemetry SDK drops them silently. Name every attribute", [name, positions(otel.empty_key)])
	f := lib.probe_finding(name, msg)
}
