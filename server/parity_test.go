package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
	"github.com/certgate/certgate/server"
)

// sentinels are the errors a refusal by these rules must wrap; every other
// rule's refusal wraps ErrPolicyViolation.
var sentinels = map[string]error{
	"SEC-H1": server.ErrAgentBootstrapTokenRequired,
	"SEC-M4": server.ErrACMEInsecureWithoutAck,
	"SEC-H3": server.ErrDemoModeAckExpired,
}

// TestParity runs every case of testdata/parity through server.Check at every
// release of its range: the rules and severities must be exactly the expected
// ones, each refusal must wrap its sentinel, and no secret may reach the error
// text or a message.
func TestParity(t *testing.T) {
	ctx := context.Background()
	for _, c := range testutil.ParityCases(t) {
		for _, v := range c.ReleaseList() {
			t.Run(fmt.Sprintf("%s/%s/%s", c.File, c.Name, v), func(t *testing.T) {
				report, err := parityCheck(ctx, c, v)
				if report == nil {
					t.Fatalf("gate unavailable: %v", err)
				}
				for _, p := range c.CheckParity(report) {
					t.Error(p)
				}
				blocking := report.Blocking(lint.SeverityError)
				if (err != nil) != (len(blocking) > 0) {
					t.Errorf("error %v with %d blocking findings", err, len(blocking))
				}
				for _, f := range blocking {
					want := sentinels[f.Rule]
					if want == nil {
						want = server.ErrPolicyViolation
					}
					if !errors.Is(err, want) {
						t.Errorf("%s refusal does not wrap %v", f.Rule, want)
					}
					if err != nil && !strings.Contains(err.Error(), f.Rule+": ") {
						t.Errorf("error text does not name %s: %v", f.Rule, err)
					}
				}
				for _, s := range c.Secrets() {
					if err != nil && strings.Contains(err.Error(), s) {
						t.Errorf("error text shows a secret value of the environment")
					}
					for _, f := range report.Findings {
						if strings.Contains(f.Message, s) || strings.Contains(f.Path, s) || strings.Contains(f.Subject, s) {
							t.Errorf("%s shows a secret value of the environment", f.Rule)
						}
					}
				}
			})
		}
	}
}

func parityCheck(ctx context.Context, c testutil.ParityCase, version string) (*lint.Report, error) {
	// The cases are about values: the files they name are another host's.
	opts := []server.Option{server.WithoutHost(), server.WithCertctlVersion(version), server.WithClock(func() time.Time { return time.Unix(c.Now(), 0) })}
	if c.Role == lint.RoleAgent {
		e := envvar.FromEnviron(c.Environ())
		e.Role = lint.RoleAgent
		in := &lint.Input{Meta: lint.Meta{NowUnix: c.Now(), CertctlVersion: version}, Envs: []lint.Env{e}}
		return server.CheckInput(ctx, in, opts...)
	}
	return server.Check(ctx, c.Environ(), opts...)
}
