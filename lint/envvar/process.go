package envvar

import (
	"slices"
	"strings"

	"github.com/certgate/certgate/lint"
)

// TrustVars are the variables outside certctl's own prefixes that decide what
// a certctl server trusts: Go's crypto/x509 reads them for its system roots.
var TrustVars = []string{"SSL_CERT_FILE", "SSL_CERT_DIR"}

// Process is the environment of a certctl process started with environ
// (os.Environ form), judged in role: certctl's variables (FromEnviron) and
// the TrustVars it sets, as known values, so the probes see the trust of the
// process being judged. certgate env, certgate exec and the startup gate
// (server.Check) all read a process environment through it.
func Process(environ []string, role string) lint.Env {
	e := FromEnviron(environ)
	addTrustVars(&e, environ)
	if role != "" {
		e.Role = role
	}
	return e
}

// addTrustVars copies the TrustVars that environ sets into e.
func addTrustVars(e *lint.Env, environ []string) {
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if ok && slices.Contains(TrustVars, name) {
			if e.Vars == nil {
				e.Vars = map[string]lint.Var{}
			}
			e.Vars[name] = lint.Var{Value: value, Known: true}
		}
	}
}
