package server_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
)

var now = time.Unix(testutil.ParityNow, 0)

func ts(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }

// booting is testutil.BootingEnv (an environment every known release starts
// with) changed by edits: "KEY=VALUE" sets, "KEY" removes.
func booting(edits ...string) []string {
	env := maps.Clone(testutil.BootingEnv)
	for _, e := range edits {
		if k, v, ok := strings.Cut(e, "="); ok {
			env[k] = v
		} else {
			delete(env, e)
		}
	}
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

const noToken = "CERTCTL_AGENT_BOOTSTRAP_TOKEN"

type gateCase struct {
	name     string
	env      []string
	version  string // default: the gate's own default release
	sentinel error  // nil: no refusal
	contains string // text the error (or, without sentinel, a warning) must contain
	warnRule string // a warning of this rule must be logged
}

// TestCheck runs the gate on variations of the booting environment: refusals
// wrap their sentinel and start with the rule ID, warnings are logged, and
// clean environments pass. The parity tables (testdata/parity) cover every
// refusal at every release; these cases cover what the gate adds to them.
func TestCheck(t *testing.T) {
	cases := []gateCase{
		{name: "booting environment", env: booting()},
		{name: "booting environment at 2.1.0", env: booting(), version: "2.1.0"},

		// SEC-H1: flag on/off/unset x token set/empty x demo ack; release defaults.
		{name: "h1 flag on, token absent", env: booting(noToken, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true"), version: "2.1.1", sentinel: server.ErrAgentBootstrapTokenRequired, contains: "SEC-H1: CERTCTL_AGENT_BOOTSTRAP_TOKEN is empty or absent and CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY is true"},
		{name: "h1 flag on, token empty", env: booting("CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=1", "CERTCTL_AGENT_BOOTSTRAP_TOKEN="), sentinel: server.ErrAgentBootstrapTokenRequired, contains: "refuses to start"},
		{name: "h1 flag on, token set", env: booting("CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true")},
		{name: "h1 flag on, token empty, demo ack on 2.2.0", env: booting(noToken, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true", "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(-time.Hour)), version: "2.2.0"},
		{name: "h1 flag on, token empty, demo ack on 2.1.7", env: booting(noToken, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true", "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(-time.Hour)), version: "2.1.7", sentinel: server.ErrAgentBootstrapTokenRequired, contains: "does not bypass this check before certctl 2.2.0"},
		{name: "h1 flag off, token empty", env: booting(noToken, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=false"), warnRule: "SEC-H1", contains: "any agent can register"},
		{name: "h1 unset on 2.1.1 warns", env: booting(noToken), version: "2.1.1", warnRule: "SEC-H1", contains: "warn-mode pass-through"},
		{name: "h1 unset on 2.1.0 passes", env: booting(noToken), version: "2.1.0"},
		{name: "h1 unset on 2.2.0 refuses", env: booting(noToken), version: "2.2.0", sentinel: server.ErrAgentBootstrapTokenRequired, contains: "certctl 2.2.0 defaults CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY to true"},
		{name: "h1 unset on v2.2.0 refuses", env: booting(noToken), version: "v2.2.0", sentinel: server.ErrAgentBootstrapTokenRequired},
		{name: "h1 unset by default refuses (2.2.0 is the default)", env: booting(noToken), sentinel: server.ErrAgentBootstrapTokenRequired},
		{name: "h1 unset on 2.2.0 with demo ack", env: booting(noToken, "CERTCTL_DEMO_MODE_ACK=yes", "CERTCTL_DEMO_MODE_ACK_TS="+ts(0)), version: "2.2.0"},
		{name: "h1 explicit off on 2.2.0", env: booting(noToken, "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=no"), version: "2.2.0", warnRule: "SEC-H1"},

		// SEC-M4: neither / insecure only / ack only / both.
		{name: "m4 insecure only", env: booting("CERTCTL_ACME_INSECURE=true"), sentinel: server.ErrACMEInsecureWithoutAck, contains: "SEC-M4: CERTCTL_ACME_INSECURE is true but CERTCTL_ACME_INSECURE_ACK is not"},
		{name: "m4 insecure only on 2.1.0", env: booting("CERTCTL_ACME_INSECURE=true"), version: "2.1.0"},
		{name: "m4 ack only", env: booting("CERTCTL_ACME_INSECURE_ACK=true"), sentinel: server.ErrACMEInsecureWithoutAck, contains: "SEC-M4: CERTCTL_ACME_INSECURE_ACK is true but CERTCTL_ACME_INSECURE is not"},
		{name: "m4 both", env: booting("CERTCTL_ACME_INSECURE=true", "CERTCTL_ACME_INSECURE_ACK=true"), warnRule: "SEC-M4", contains: "TLS verification of the ACME directory is disabled"},

		// SEC-H3: the demo acknowledgement timestamp.
		{name: "h3 missing", env: booting("CERTCTL_DEMO_MODE_ACK=true"), sentinel: server.ErrDemoModeAckExpired, contains: "SEC-H3: CERTCTL_DEMO_MODE_ACK is true but CERTCTL_DEMO_MODE_ACK_TS is missing"},
		{name: "h3 blank", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=  "), sentinel: server.ErrDemoModeAckExpired, contains: "is blank"},
		{name: "h3 yesterday", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=yesterday"), sentinel: server.ErrDemoModeAckExpired, contains: "is not a unix epoch in seconds"},
		{name: "h3 13 digits", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+strconv.FormatInt(now.UnixMilli(), 10)), sentinel: server.ErrDemoModeAckExpired, contains: "looks like milliseconds"},
		{name: "h3 -1h", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(-time.Hour))},
		{name: "h3 exactly -24h", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(-24*time.Hour)), sentinel: server.ErrDemoModeAckExpired, contains: "24h or more"},
		{name: "h3 -23h30m warns", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(-23*time.Hour-30*time.Minute)), warnRule: "SEC-H3", contains: "the next restart after 08:30:00 UTC refuses"},
		{name: "h3 -24h-1s", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(-24*time.Hour-time.Second)), sentinel: server.ErrDemoModeAckExpired, contains: "24h00m01s old"},
		{name: "h3 +30s", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(30*time.Second))},
		{name: "h3 +10m", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS="+ts(10*time.Minute)), sentinel: server.ErrDemoModeAckExpired, contains: "in the future"},
		{name: "h3 spaces", env: booting("CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS= "+ts(-time.Minute)+" ")},
		{name: "h3 missing on 2.1.0", env: booting("CERTCTL_DEMO_MODE_ACK=true"), version: "2.1.0"},

		// SEC-L3: the body size cap.
		{name: "l3 10MB", env: booting("CERTCTL_MAX_BODY_SIZE=10MB"), sentinel: server.ErrPolicyViolation, contains: "SEC-L3: CERTCTL_MAX_BODY_SIZE=\"10MB\" is not a base-10 byte count"},
		{name: "l3 0", env: booting("CERTCTL_MAX_BODY_SIZE=0"), warnRule: "SEC-L3", contains: "not positive"},
		{name: "l3 -1", env: booting("CERTCTL_MAX_BODY_SIZE=-1"), warnRule: "SEC-L3", contains: "not positive"},
		{name: "l3 1048576", env: booting("CERTCTL_MAX_BODY_SIZE=1048576")},
		{name: "l3 134217728", env: booting("CERTCTL_MAX_BODY_SIZE=134217728"), warnRule: "SEC-L3", contains: "above 64 MiB"},

		// CFG-BOOL: spellings certctl reads as false.
		{name: "bool True", env: booting("CERTCTL_ACME_INSECURE=True"), sentinel: server.ErrPolicyViolation, contains: "CFG-BOOL: CERTCTL_ACME_INSECURE=\"True\" is not one of true|false|1|0|yes|no"},
		{name: "bool on", env: booting("CERTCTL_DEMO_MODE_ACK=on"), sentinel: server.ErrPolicyViolation, contains: "CFG-BOOL"},
		{name: "bool no", env: booting("CERTCTL_ACME_INSECURE=no")},

		// The families of certctl's configuration check wrap ErrPolicyViolation.
		{name: "listen no TLS", env: booting("CERTCTL_SERVER_TLS_CERT_PATH"), sentinel: server.ErrPolicyViolation, contains: "CFG-LISTEN: CERTCTL_SERVER_TLS_CERT_PATH is empty or absent"},
		{name: "auth jwt", env: booting("CERTCTL_AUTH_TYPE=jwt"), sentinel: server.ErrPolicyViolation, contains: "CFG-AUTH: CERTCTL_AUTH_TYPE=\"jwt\""},
		{name: "placeholder secret", env: booting("CERTCTL_AUTH_SECRET=change-me-in-production"), sentinel: server.ErrPolicyViolation, contains: "DEPL-M2: CERTCTL_AUTH_SECRET is certctl's published demo placeholder"},
	}
	secrets := testutil.ParityCase{}.Secrets()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			opts := []server.Option{
				server.WithClock(func() time.Time { return now }),
				server.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
			}
			if tc.version != "" {
				opts = append(opts, server.WithCertctlVersion(tc.version))
			}
			report, err := server.Check(context.Background(), tc.env, opts...)
			if tc.sentinel == nil {
				if err != nil {
					t.Fatalf("Check refused: %v", err)
				}
			} else {
				if !errors.Is(err, tc.sentinel) {
					t.Fatalf("err = %v, want it to wrap %v", err, tc.sentinel)
				}
				if errors.Is(err, server.ErrGateUnavailable) {
					t.Fatalf("a violation must not look like a gate failure: %v", err)
				}
				if !strings.Contains(err.Error(), tc.contains) {
					t.Fatalf("err = %q, want it to contain %q", err, tc.contains)
				}
				var v *server.ViolationError
				if !errors.As(err, &v) || !strings.HasPrefix(err.Error(), v.Finding.Rule+": ") {
					t.Fatalf("error text must start with the rule ID: %q", err)
				}
			}
			if report == nil {
				t.Fatal("nil report")
			}
			if tc.warnRule != "" {
				if !hasFinding(report, tc.warnRule, lint.SeverityWarning, tc.contains) {
					t.Fatalf("want a %s warning containing %q, got %+v", tc.warnRule, tc.contains, report.Findings)
				}
				if !strings.Contains(logs.String(), "rule="+tc.warnRule) {
					t.Fatalf("warning not logged: %s", logs.String())
				}
			}
			if tc.sentinel == nil && tc.warnRule == "" && len(report.Blocking(lint.SeverityWarning)) != 0 {
				t.Fatalf("want no errors or warnings, got %+v", report.Findings)
			}
			for _, s := range append(secrets, "change-me-in-production") {
				if strings.Contains(logs.String(), s) || (err != nil && strings.Contains(err.Error(), s)) {
					t.Fatal("a secret value of the environment leaked into the output")
				}
			}
		})
	}
}

func hasFinding(r *lint.Report, rule string, sev lint.Severity, text string) bool {
	for _, f := range r.Findings {
		if f.Rule == rule && f.Severity == sev && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}

func TestCheckJoinsOneErrorPerViolation(t *testing.T) {
	env := booting(noToken,
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true",
		"CERTCTL_ACME_INSECURE=true",
		"CERTCTL_DEMO_MODE_ACK=true",
	)
	check := func(version string) error {
		_, err := server.Check(context.Background(), env, server.WithCertctlVersion(version), server.WithClock(func() time.Time { return now }))
		for _, want := range []error{server.ErrACMEInsecureWithoutAck, server.ErrDemoModeAckExpired} {
			if !errors.Is(err, want) {
				t.Errorf("%s: err does not wrap %v", version, want)
			}
		}
		return err
	}
	// On 2.2.0 the demo ack bypasses SEC-H1 even though its timestamp is missing.
	err := check("2.2.0")
	if errors.Is(err, server.ErrAgentBootstrapTokenRequired) {
		t.Errorf("demo acknowledgement must bypass SEC-H1 on 2.2.0: %v", err)
	}
	if lines := strings.Split(err.Error(), "\n"); len(lines) != 2 {
		t.Fatalf("want 2 joined errors, got %d: %q", len(lines), err)
	}
	// Before 2.2.0 it does not.
	err = check("2.1.7")
	if !errors.Is(err, server.ErrAgentBootstrapTokenRequired) {
		t.Errorf("demo acknowledgement must not bypass SEC-H1 on 2.1.7: %v", err)
	}
	if lines := strings.Split(err.Error(), "\n"); len(lines) != 3 {
		t.Fatalf("want 3 joined errors, got %d: %q", len(lines), err)
	}
}

func TestCheckFailsClosed(t *testing.T) {
	t.Run("policy does not compile", func(t *testing.T) {
		_, err := lint.New(context.Background(), lint.WithPolicyFS(fstest.MapFS{
			"bad.rego": {Data: []byte("package certgate.bad\n\ndeny contains x if {\n")},
		}))
		if err == nil {
			t.Fatal("a broken policy compiled")
		}
	})
	t.Run("bad release", func(t *testing.T) {
		_, err := server.Check(context.Background(), nil, server.WithCertctlVersion("latest"))
		if !errors.Is(err, server.ErrGateUnavailable) {
			t.Fatalf("err = %v, want ErrGateUnavailable", err)
		}
	})
	t.Run("evaluation error", func(t *testing.T) {
		eng, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(fstest.MapFS{
			"boom.rego": {Data: []byte(`# METADATA
# title: Boom
# description: Fails at evaluation.
# custom:
#   id: CFG-BOOM
#   severity: error
#   remediation: None.
package certgate.boom

deny contains {"msg": "x", "ref": null} if to_number("not a number") > 0
`)},
		}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = server.Check(context.Background(), nil, server.WithEngine(eng))
		if !errors.Is(err, server.ErrGateUnavailable) {
			t.Fatalf("err = %v, want ErrGateUnavailable", err)
		}
	})
	t.Run("panic", func(t *testing.T) {
		_, err := server.Check(context.Background(), nil, server.WithClock(func() time.Time { panic("clock broke") }))
		if !errors.Is(err, server.ErrGateUnavailable) || !strings.Contains(err.Error(), "clock broke") {
			t.Fatalf("err = %v, want ErrGateUnavailable with the panic", err)
		}
	})
}

func TestRun(t *testing.T) {
	booted := false
	boot := func(context.Context) error { booted = true; return nil }
	err := server.Run(context.Background(), booting("CERTCTL_ACME_INSECURE=true"), boot)
	if !errors.Is(err, server.ErrACMEInsecureWithoutAck) || booted {
		t.Fatalf("Run booted=%v err=%v; want refusal before boot", booted, err)
	}
	if err := server.Run(context.Background(), booting(), boot); err != nil || !booted {
		t.Fatalf("Run booted=%v err=%v; want boot", booted, err)
	}
	bootErr := errors.New("listen: address in use")
	if err := server.Run(context.Background(), booting(), func(context.Context) error { return bootErr }); !errors.Is(err, bootErr) {
		t.Fatalf("Run must return boot's error, got %v", err)
	}
}

// BenchmarkCheck is a warm gate on a typical 15-variable server environment,
// host facts included (the TLS pair is a real one: reading and matching it is
// part of every start).
func BenchmarkCheck(b *testing.B) {
	environ := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/home/certctl", "HOSTNAME=certctl-server-7d9c",
		"CERTCTL_DATABASE_URL=postgres://certctl:$(POSTGRES_PASSWORD)@postgres:5432/certctl?sslmode=require",
		"POSTGRES_PASSWORD=pw", "CERTCTL_AUTH_TYPE=api-key", "CERTCTL_AUTH_SECRET=abc",
		"CERTCTL_SERVER_TLS_CERT_PATH=" + filepath.Join(testutil.HostTLSDir, "server.crt"),
		"CERTCTL_SERVER_TLS_KEY_PATH=" + filepath.Join(testutil.HostTLSDir, "server.key"),
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN=token", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true",
		"CERTCTL_RATE_LIMIT_BACKEND=postgres", "CERTCTL_MAX_BODY_SIZE=1048576",
		"CERTCTL_ACME_DIRECTORY_URL=https://acme.example.com/directory", "CERTCTL_ACME_EMAIL=pki@example.com",
	}
	ctx := context.Background()
	if _, err := server.Check(ctx, environ); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := server.Check(ctx, environ); err != nil {
			b.Fatal(err)
		}
	}
}
