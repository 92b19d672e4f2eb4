package server_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
)

var now = time.Unix(1800000000, 0)

func ts(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }

type gateCase struct {
	name     string
	env      []string
	version  string
	sentinel error  // nil: no refusal
	contains string // text the error (or, without sentinel, a warning) must contain
	warnRule string // a warning of this rule must be logged
}

func TestCheck(t *testing.T) {
	const token = "CERTCTL_AGENT_BOOTSTRAP_TOKEN=s3cr3t-value"
	cases := []gateCase{
		// SEC-H1: flag on/off/unset x token set/empty x demo ack; release defaults.
		{name: "h1 flag on, token absent", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true"}, sentinel: server.ErrAgentBootstrapTokenRequired, contains: "SEC-H1: CERTCTL_AGENT_BOOTSTRAP_TOKEN is empty or absent and CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY is true"},
		{name: "h1 flag on, token empty", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=1", "CERTCTL_AGENT_BOOTSTRAP_TOKEN="}, sentinel: server.ErrAgentBootstrapTokenRequired, contains: "refuses to start"},
		{name: "h1 flag on, token set", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true", token}},
		{name: "h1 flag on, token empty, demo ack", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true", "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(-time.Hour)}},
		{name: "h1 flag off, token empty", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=false"}, warnRule: "SEC-H1", contains: "refuses to start from v2.2.0"},
		{name: "h1 flag off, token set", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=false", token}},
		{name: "h1 unset on 2.1.0 warns", env: nil, warnRule: "SEC-H1", contains: "warn-mode pass-through"},
		{name: "h1 unset on 2.2.0 refuses", env: nil, version: "2.2.0", sentinel: server.ErrAgentBootstrapTokenRequired, contains: "certctl 2.2.0 defaults CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY to true"},
		{name: "h1 unset on v2.3.1 refuses", env: nil, version: "v2.3.1", sentinel: server.ErrAgentBootstrapTokenRequired},
		{name: "h1 unset on 2.2.0 with token", env: []string{token}, version: "2.2.0"},
		{name: "h1 unset on 2.2.0 with demo ack", env: []string{"CERTCTL_DEMO_MODE_ACK=yes", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(0)}, version: "2.2.0"},
		{name: "h1 explicit off on 2.2.0", env: []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=no"}, version: "2.2.0", warnRule: "SEC-H1"},

		// SEC-M4: neither / insecure only / ack only / both.
		{name: "m4 neither", env: []string{token}},
		{name: "m4 insecure only", env: []string{token, "CERTCTL_ACME_INSECURE=true"}, sentinel: server.ErrACMEInsecureWithoutAck, contains: "SEC-M4: CERTCTL_ACME_INSECURE is true but CERTCTL_ACME_INSECURE_ACK is not"},
		{name: "m4 ack only", env: []string{token, "CERTCTL_ACME_INSECURE_ACK=true"}, sentinel: server.ErrACMEInsecureWithoutAck, contains: "SEC-M4: CERTCTL_ACME_INSECURE_ACK is true but CERTCTL_ACME_INSECURE is not"},
		{name: "m4 both", env: []string{token, "CERTCTL_ACME_INSECURE=true", "CERTCTL_ACME_INSECURE_ACK=true"}, warnRule: "SEC-M4", contains: "TLS verification of the ACME directory is disabled"},

		// SEC-H3: the demo acknowledgement timestamp.
		{name: "h3 missing", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true"}, sentinel: server.ErrDemoModeAckExpired, contains: "SEC-H3: CERTCTL_DEMO_MODE_ACK is true but CERTCTL_DEMO_MODE_ACK_TS is missing"},
		{name: "h3 yesterday", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=yesterday"}, sentinel: server.ErrDemoModeAckExpired, contains: "is not a unix epoch in seconds"},
		{name: "h3 13 digits", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + strconv.FormatInt(now.UnixMilli(), 10)}, sentinel: server.ErrDemoModeAckExpired, contains: "looks like milliseconds"},
		{name: "h3 -1h", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(-time.Hour)}},
		{name: "h3 exactly -24h", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(-24*time.Hour)}},
		{name: "h3 -24h-1s", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(-24*time.Hour-time.Second)}, sentinel: server.ErrDemoModeAckExpired, contains: "more than 24h"},
		{name: "h3 +30s", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(30*time.Second)}},
		{name: "h3 +10m", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(10*time.Minute)}, sentinel: server.ErrDemoModeAckExpired, contains: "in the future"},
		{name: "h3 spaces", env: []string{token, "CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS= " + ts(-time.Minute) + " "}},

		// SEC-L3: the body size cap.
		{name: "l3 10MB", env: []string{token, "CERTCTL_MAX_BODY_SIZE=10MB"}, sentinel: server.ErrPolicyViolation, contains: "SEC-L3: CERTCTL_MAX_BODY_SIZE=\"10MB\" is not a base-10 byte count"},
		{name: "l3 0", env: []string{token, "CERTCTL_MAX_BODY_SIZE=0"}, warnRule: "SEC-L3", contains: "not positive"},
		{name: "l3 -1", env: []string{token, "CERTCTL_MAX_BODY_SIZE=-1"}, warnRule: "SEC-L3", contains: "not positive"},
		{name: "l3 1048576", env: []string{token, "CERTCTL_MAX_BODY_SIZE=1048576"}},
		{name: "l3 134217728", env: []string{token, "CERTCTL_MAX_BODY_SIZE=134217728"}, warnRule: "SEC-L3", contains: "above 64 MiB"},

		// CFG-BOOL: spellings certctl reads as false.
		{name: "bool True", env: []string{token, "CERTCTL_ACME_INSECURE=True"}, sentinel: server.ErrPolicyViolation, contains: "CFG-BOOL: CERTCTL_ACME_INSECURE=\"True\" is not one of true|false|1|0|yes|no: certctl reads it as false"},
		{name: "bool on", env: []string{token, "CERTCTL_DEMO_MODE_ACK=on"}, sentinel: server.ErrPolicyViolation, contains: "CFG-BOOL"},
		{name: "bool yes", env: []string{token, "CERTCTL_ACME_INSECURE=no"}},
	}
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
			if tc.sentinel == nil && tc.warnRule == "" && len(report.Findings) != 0 {
				t.Fatalf("want a clean report, got %+v", report.Findings)
			}
			if strings.Contains(logs.String(), "s3cr3t-value") || (err != nil && strings.Contains(err.Error(), "s3cr3t-value")) {
				t.Fatal("the bootstrap token leaked into the output")
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
	_, err := server.Check(context.Background(), []string{
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true",
		"CERTCTL_ACME_INSECURE=true",
		"CERTCTL_DEMO_MODE_ACK=true",
	}, server.WithClock(func() time.Time { return now }))
	for _, want := range []error{server.ErrACMEInsecureWithoutAck, server.ErrDemoModeAckExpired} {
		if !errors.Is(err, want) {
			t.Errorf("err does not wrap %v", want)
		}
	}
	// The demo ack bypasses SEC-H1 even though its timestamp is missing.
	if errors.Is(err, server.ErrAgentBootstrapTokenRequired) {
		t.Errorf("demo acknowledgement must bypass SEC-H1: %v", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 joined errors, got %d: %q", len(lines), err)
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
	err := server.Run(context.Background(), []string{"CERTCTL_ACME_INSECURE=true"}, boot)
	if !errors.Is(err, server.ErrACMEInsecureWithoutAck) || booted {
		t.Fatalf("Run booted=%v err=%v; want refusal before boot", booted, err)
	}
	if err := server.Run(context.Background(), []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN=x"}, boot); err != nil || !booted {
		t.Fatalf("Run booted=%v err=%v; want boot", booted, err)
	}
	bootErr := errors.New("listen: address in use")
	if err := server.Run(context.Background(), nil, func(context.Context) error { return bootErr }); !errors.Is(err, bootErr) {
		t.Fatalf("Run must return boot's error, got %v", err)
	}
}

func BenchmarkCheck(b *testing.B) {
	environ := []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/home/certctl", "HOSTNAME=certctl-server-7d9c",
		"CERTCTL_DATABASE_URL=postgres://certctl:$(POSTGRES_PASSWORD)@postgres:5432/certctl?sslmode=require",
		"POSTGRES_PASSWORD=pw", "CERTCTL_AUTH_TYPE=api-key", "CERTCTL_AUTH_SECRET=abc",
		"CERTCTL_SERVER_TLS_CERT_PATH=/etc/certctl/tls/tls.crt", "CERTCTL_SERVER_TLS_KEY_PATH=/etc/certctl/tls/tls.key",
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
