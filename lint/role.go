package lint

// serverOnlyVars are read only by the certctl server: an environment that sets
// one is a server's, whatever its service or container is called.
var serverOnlyVars = []string{
	"CERTCTL_SERVER_TLS_CERT_PATH",
	"CERTCTL_SERVER_TLS_KEY_PATH",
	"CERTCTL_DATABASE_URL",
	"CERTCTL_AUTH_TYPE",
	"CERTCTL_AUTH_SECRET",
	"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY",
	"CERTCTL_DEMO_MODE_ACK",
	"CERTCTL_DEMO_MODE_ACK_TS",
	"CERTCTL_ACME_INSECURE",
	"CERTCTL_ACME_INSECURE_ACK",
	"CERTCTL_MAX_BODY_SIZE",
	"CERTCTL_RATE_LIMIT_BACKEND",
}

// agentOnlyVars are read only by the certctl agent.
var agentOnlyVars = []string{"CERTCTL_AGENT_ID", "CERTCTL_SERVER_URL"}

// RoleFromVars names the role an environment's variables reveal: server when it
// sets a server-only variable (checked first, since a server also reads the
// agent bootstrap token), agent when it sets an agent-only one, "" otherwise.
// Loaders call it after their own name, image and label checks.
func RoleFromVars(vars map[string]Var) string {
	for _, k := range serverOnlyVars {
		if _, ok := vars[k]; ok {
			return RoleServer
		}
	}
	for _, k := range agentOnlyVars {
		if _, ok := vars[k]; ok {
			return RoleAgent
		}
	}
	return ""
}
