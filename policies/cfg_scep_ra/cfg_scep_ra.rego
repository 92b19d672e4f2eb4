# METADATA
# title: SCEP RA certificates and keys load on the host
# description: >-
#   With SCEP on, certctl loads each profile's RA certificate and key
#   (CERTCTL_SCEP_PROFILE_<NAME>_RA_CERT_PATH and _RA_KEY_PATH, or the legacy
#   CERTCTL_SCEP_RA_CERT_PATH and CERTCTL_SCEP_RA_KEY_PATH) after reading its
#   configuration, and refuses to start when either file cannot be read, when the
#   key file's mode has any group or other permission bit (mode & 0o077; a
#   Kubernetes Secret volume defaults to 0644), when the pair does not match, when
#   the RA certificate has expired, or when the key is neither RSA nor ECDSA. The
#   startup gate checks these files on the host.
# custom:
#   id: CFG-SCEP-RA
#   inputs: [host]
#   severity: error
#   remediation: Give every SCEP profile a current RA certificate and its own RSA or ECDSA private key in PEM, readable by the server's user, with the key file at mode 0600 or 0400 (chmod go-rwx); or turn the profile off.
#   docs: docs/policies.md#cfg-scep-ra
package certgate.cfg_scep_ra

import data.certgate.lib

ra_read contains [hf, facts] if {
	some x in lib.host_read
	[hf, facts] := x
	hf.kind in {"ra_cert", "ra_key"}
}

deny contains f if {
	some x in ra_read
	[hf, facts] := x
	not facts.readable
	msg := sprintf("%s=%s %s: the server refuses to start (it loads %s). Provide the file, readable by the server's user", [hf.name, facts.path, facts.error, hf.what])
	f := lib.probe_finding(hf.name, msg)
}

deny contains f if {
	some x in ra_read
	[hf, facts] := x
	hf.kind == "ra_key"
	facts.exists
	not facts.dir
	lib.group_or_other(facts.mode)
	msg := sprintf("%s=%s has mode %s, which gives group or other users access to %s: the server refuses to start. chmod 0600 (or 0400) the file; in Kubernetes set the Secret volume's defaultMode or the item's mode to 0400 and do not rely on fsGroup for it", [hf.name, facts.path, lib.octal(facts.mode), hf.what])
	f := lib.probe_finding(hf.name, msg)
}

# The pair of a certificate variable, when both files were read.
pair_of(hf) := p if {
	hf.kind == "ra_cert"
	p := input.host.pairs[hf.name]
	p.checked
}

deny contains f if {
	some x in ra_read
	[hf, _] := x
	p := pair_of(hf)
	not p.ok
	msg := sprintf("%s and %s do not load as a matching X.509 key pair (%s): the server refuses to start (%s). Point them at the RA certificate and its own private key", [hf.name, p.key, p.error, hf.what])
	f := lib.probe_finding(hf.name, msg)
}

deny contains f if {
	some x in ra_read
	[hf, _] := x
	p := pair_of(hf)
	p.ok
	not p.key_type in {"RSA", "ECDSA"}
	msg := sprintf("%s holds a %s key: the server refuses to start (SCEP RA keys must be RSA or ECDSA). Issue the RA certificate for an RSA or ECDSA key", [p.key, p.key_type])
	f := lib.probe_finding(p.key, msg)
}

deny contains f if {
	some x in ra_read
	[hf, facts] := x
	hf.kind == "ra_cert"
	leaf := facts.certs[0]
	lib.expired(leaf)
	msg := sprintf("%s=%s: the RA certificate (%s) expired on %s: the server refuses to start. Renew the RA certificate", [hf.name, facts.path, leaf.subject, lib.day_of(leaf.not_after)])
	f := lib.probe_finding(hf.name, msg)
}
