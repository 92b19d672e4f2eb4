# METADATA
# title: The demo acknowledgement stays in the demo
# description: >-
#   CERTCTL_DEMO_MODE_ACK=true switches on the demo's relaxations in the certctl server: auth
#   type none on a non-loopback host, a CORS origin of *, the demo placeholder values of
#   CERTCTL_AUTH_SECRET and CERTCTL_CONFIG_ENCRYPTION_KEY, and in 2.2.0 server-side key
#   generation and the bypass of the empty bootstrap-token refusal. It belongs only in a demo
#   source: the demo compose overlay (docker-compose.demo.yml or a demo_globs match in
#   certgate.yaml) or a chart profile marked demo. In a base compose file, a non-demo overlay,
#   a non-demo chart profile or a manifest stream, an acknowledgement (true, or a value known
#   only at run time) carries those relaxations into a production-shaped deployment, where
#   nothing but the 24-hour timestamp of SEC-H3 stands in their way. Environments given to
#   certgate env, certgate exec or the startup gate are the operator's deliberate choice and
#   are judged by SEC-H3 alone.
# custom:
#   id: DEPL-DEMO
#   inputs: [env]
#   severity: error
#   remediation: Remove CERTCTL_DEMO_MODE_ACK and CERTCTL_DEMO_MODE_ACK_TS from this source and keep them in the demo overlay or a demo profile (demo true in certgate.yaml); if the file is a demo, name it in certgate.yaml demo_globs.
#   docs: docs/policies.md#depl-demo
package certgate.depl_demo

import data.certgate.lib

ack := "CERTCTL_DEMO_MODE_ACK"

# Environments that come from deployment files; env/exec/gate environments
# (origin process or dotenv) are out of scope.
deployed_origins := {"compose-service", "container"}

# demo_source: the loader marked the environment as coming from a demo source
# (a compose file set with a demo overlay, a demo chart profile), or its chart
# release is a demo profile.
demo_source(env) if env.labels.demo == "true"

demo_source(env) if {
	some rel in object.get(input, "releases", [])
	rel.id == env.labels.release
	rel.demo == true
}

# state says how the server would read the acknowledgement; undefined when it
# certainly does not acknowledge the demo. An unknown value counts: whoever
# starts the deployment decides it, outside any demo source.
state(env) := "is true" if lib.is_true(env, ack)

state(env) := "is set to a value known only at run time" if env.vars[ack].known == false

where(env) := "a compose file set without a demo overlay" if env.origin == "compose-service"

where(env) := "a chart profile or manifest not marked demo" if env.origin == "container"

relaxations_all := [
	"auth type none on a non-loopback host",
	"CORS origin *",
	"the demo placeholder values of CERTCTL_AUTH_SECRET and CERTCTL_CONFIG_ENCRYPTION_KEY",
]

relaxations_220 := [
	"server-side key generation (CERTCTL_KEYGEN_MODE=server)",
	"an empty agent bootstrap token (the SEC-H1 refusal)",
]

relaxations(env) := array.concat(relaxations_all, relaxations_220) if lib.applies(env, ">=2.2.0")

relaxations(env) := relaxations_all if not lib.applies(env, ">=2.2.0")

deny contains f if {
	some env in lib.server_envs
	env.origin in deployed_origins
	not demo_source(env)
	s := state(env)
	msg := sprintf(
		"%s %s in %s (%s), which is not a demo source: the acknowledgement lets the server start with the demo's relaxations (%s); keep it in the demo overlay or a demo profile",
		[ack, s, env.id, where(env), concat(", ", relaxations(env))],
	)
	f := lib.finding(env, ack, msg)
}
