# METADATA
# title: No placeholder credentials outside the demo overlay
# description: >-
#   Placeholder credentials such as change-me-postgres-password belong only in the demo
#   compose overlay (docker-compose.demo.yml), which is never a production deployment.
#   Anywhere else (a base compose file, another overlay, an env_file of a non-demo
#   service, a .env or --env-file that supplies interpolation values, a rendered
#   Secret, ConfigMap, container env or a values file of a non-demo profile) such a
#   literal ships a publicly known secret. Comments never count.
#   Other well-known placeholders (replace-with-, CHANGE_ME, changeme, <your-...>) are
#   warnings under the same ID. In the environment of a certctl server or agent,
#   certctl's own published demo values of CERTCTL_AUTH_SECRET and
#   CERTCTL_CONFIG_ENCRYPTION_KEY make the server refuse to start without a demo
#   acknowledgement, and any of these placeholders in
#   a secret-bearing variable (a token, secret, password or key, the password of
#   CERTCTL_DATABASE_URL) is an error outside the demo.
# custom:
#   id: DEPL-M2
#   inputs: [env, compose, manifest]
#   severity: error
#   remediation: Replace the literal with a required interpolation such as ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}, a Kubernetes Secret reference, or move it into the demo overlay.
#   docs: docs/policies.md#depl-m2
package certgate.depl_m2

# This file holds the catalog entry and the placeholder classification; the
# sources are judged in compose.rego (compose files and their env_file targets)
# and manifests.rego (rendered objects and Helm values files).

# is_error_placeholder: the change-me- family, case-insensitive.
is_error_placeholder(s) if contains(lower(s), "change-me-")

# is_warning_placeholder: other well-known placeholders, when not already an error.
# One alternation, so a long value (a ConfigMap's data) is scanned once.
is_warning_placeholder(s) if {
	not is_error_placeholder(s)
	regex.match(warning_pattern, s)
}

warning_pattern := `(?i)replace-with-|change_me|changeme|<your[-_][^>]*>`
