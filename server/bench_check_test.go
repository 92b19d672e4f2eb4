package server_test

import (
	"context"
	"sort"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint/envvar"
	"github.com/certgate/certgate/server"
)

// fullEnviron is a realistic environment of a certctl server that every known
// release boots with: the parity tables' BootingEnv plus logging, rate limits,
// the database pool, the scheduler, one SCEP and one EST profile, and the
// process noise (PATH, HOME) the env loader drops. 40 of its variables reach
// the policies.
func fullEnviron() []string {
	vars := map[string]string{
		"CERTCTL_LOG_LEVEL":                                            "info",
		"CERTCTL_LOG_FORMAT":                                           "json",
		"CERTCTL_RATE_LIMIT_BACKEND":                                   "postgres",
		"CERTCTL_RATE_LIMIT_JANITOR_INTERVAL":                          "5m",
		"CERTCTL_DATABASE_MAX_CONNS":                                   "50",
		"CERTCTL_MAX_BODY_SIZE":                                        "1048576",
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY":                     "true",
		"CERTCTL_CORS_ORIGINS":                                         "https://certctl.example.com",
		"CERTCTL_KEYGEN_MODE":                                          "agent",
		"CERTCTL_ACME_DIRECTORY_URL":                                   "https://acme.example.com/directory",
		"CERTCTL_ACME_EMAIL":                                           "pki@example.com",
		"CERTCTL_SCHEDULER_RENEWAL_CHECK_INTERVAL":                     "1h",
		"CERTCTL_SCHEDULER_JOB_PROCESSOR_INTERVAL":                     "30s",
		"CERTCTL_SCHEDULER_AGENT_HEALTH_CHECK_INTERVAL":                "2m",
		"CERTCTL_SCHEDULER_NOTIFICATION_PROCESS_INTERVAL":              "1m",
		"CERTCTL_NOTIFICATION_RETRY_INTERVAL":                          "5m",
		"CERTCTL_JOB_TIMEOUT_INTERVAL":                                 "10m",
		"CERTCTL_JOB_AWAITING_CSR_TIMEOUT":                             "24h",
		"CERTCTL_JOB_AWAITING_APPROVAL_TIMEOUT":                        "168h",
		"CERTCTL_SCEP_ENABLED":                                         "true",
		"CERTCTL_SCEP_PROFILES":                                        "corp",
		"CERTCTL_SCEP_PROFILE_CORP_CHALLENGE_PASSWORD":                 "Sc3pChallengeValue99",
		"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH":                       "/etc/certctl/scep/ra.crt",
		"CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH":                        "/etc/certctl/scep/ra.key",
		"CERTCTL_SCEP_PROFILE_CORP_ISSUER_ID":                          "iss-corp",
		"CERTCTL_EST_ENABLED":                                          "true",
		"CERTCTL_EST_PROFILES":                                         "devices",
		"CERTCTL_EST_PROFILE_DEVICES_ISSUER_ID":                        "iss-devices",
		"CERTCTL_EST_PROFILE_DEVICES_MTLS_ENABLED":                     "true",
		"CERTCTL_EST_PROFILE_DEVICES_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH": "/etc/certctl/est/ca.pem",
		"CERTCTL_EST_PROFILE_DEVICES_ALLOWED_AUTH_MODES":               "mtls",
		"POSTGRES_PASSWORD":                                            "Pw7dbPasswordValue",
	}
	for k, v := range testutil.BootingEnv {
		vars[k] = v
	}
	environ := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/home/certctl", "HOSTNAME=certctl-server-7d9c"}
	for k, v := range vars {
		environ = append(environ, k+"="+v)
	}
	sort.Strings(environ)
	return environ
}

func TestFullEnvironBoots(t *testing.T) {
	environ := fullEnviron()
	if n := len(envvar.FromEnviron(environ).Vars); n != 40 {
		t.Fatalf("the benchmark environment has %d variables the policies see, want 40", n)
	}
	report, err := server.Check(context.Background(), environ, server.WithoutHost())
	if err != nil {
		t.Fatalf("the benchmark environment must boot: %v", err)
	}
	for _, f := range report.Findings {
		t.Errorf("unexpected finding on the benchmark environment: %s %s: %s", f.Severity, f.Rule, f.Message)
	}
}

// BenchmarkCheckFull40Vars measures a warm server.Check with the gate's full
// catalog (env and probe rules) on a 40-variable environment that boots.
func BenchmarkCheckFull40Vars(b *testing.B) {
	environ := fullEnviron()
	ctx := context.Background()
	if _, err := server.Check(ctx, environ, server.WithoutHost()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := server.Check(ctx, environ, server.WithoutHost()); err != nil {
			b.Fatal(err)
		}
	}
}
