# METADATA
# title: Trust bundles hold current PEM certificates on the host
# description: >-
#   certctl loads the client CA trust bundle of every SCEP or EST profile with mTLS
#   on (..._MTLS_CLIENT_CA_TRUST_BUNDLE_PATH) and the Intune connector certificate
#   bundle of every SCEP profile with Intune on (..._INTUNE_CONNECTOR_CERT_PATH)
#   after reading its configuration, and refuses to start when a bundle cannot be
#   read, is not PEM, holds no certificate or a certificate that does not parse, or
#   holds an expired certificate. The startup gate checks these files on the host.
# custom:
#   id: CFG-TRUST-BUNDLE
#   inputs: [host]
#   severity: error
#   remediation: Point each bundle variable at a PEM file of current CA certificates (BEGIN CERTIFICATE blocks), readable by the server's user; drop expired certificates from it; or turn the profile's mTLS or Intune off.
#   docs: docs/policies.md#cfg-trust-bundle
package certgate.cfg_trust_bundle

import data.certgate.lib

bundles contains [hf, facts] if {
	some x in lib.host_read
	[hf, facts] := x
	hf.kind == "bundle"
}

refuse(hf, facts, what) := lib.probe_finding(hf.name, sprintf("%s=%s %s: the server refuses to start (it loads %s). Provide a PEM bundle of current CA certificates", [hf.name, facts.path, what, hf.what]))

deny contains f if {
	some x in bundles
	[hf, facts] := x
	not facts.readable
	f := refuse(hf, facts, facts.error)
}

deny contains f if {
	some x in bundles
	[hf, facts] := x
	facts.readable
	facts.blocks == 0
	f := refuse(hf, facts, "is not PEM (no BEGIN block)")
}

deny contains f if {
	some x in bundles
	[hf, facts] := x
	facts.blocks > 0
	count(facts.certs) == 0
	facts.cert_errors == 0
	f := refuse(hf, facts, sprintf("holds no certificate (only %s)", [concat(", ", {t | some t in facts.block_types})]))
}

deny contains f if {
	some x in bundles
	[hf, facts] := x
	facts.cert_errors > 0
	f := refuse(hf, facts, sprintf("holds %d CERTIFICATE block(s) that do not parse", [facts.cert_errors]))
}

deny contains f if {
	some x in bundles
	[hf, facts] := x
	some c in facts.certs
	lib.expired(c)
	f := refuse(hf, facts, sprintf("holds a certificate (%s) that expired on %s", [c.subject, lib.day_of(c.not_after)]))
}
