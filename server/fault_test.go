package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/certgate/certgate/internal/fault"
	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
)

// brokenCatalog is a rule package that does not parse.
var brokenCatalog = fstest.MapFS{"bad.rego": {Data: []byte(testutil.BrokenRego)}}

// strictRule errors at evaluation when CERTCTL_MAX_BODY_SIZE is not a number.
var strictRule = fstest.MapFS{"strict.rego": {Data: []byte(testutil.StrictRego)}}

// inject installs f at p for the rest of the test.
func inject(t *testing.T, p fault.Point, f func(context.Context) error) {
	t.Helper()
	t.Cleanup(fault.Set(p, f))
}

// stall blocks, ignoring its context, until the test ends: a stuck driver.
func stall(t *testing.T) func(context.Context) error {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return func(context.Context) error { <-release; return nil }
}

type faultCase struct {
	name string
	// setup installs the fault and returns the context and options of the call.
	setup    func(t *testing.T) (context.Context, []server.Option)
	env      []string // default: booting()
	want     error    // the sentinel the refusal wraps
	contains string   // text of the refusal
	// control, when set, is checked to pass before the fault is installed,
	// with the options of opts: the refusal is the fault's, not the input's.
	control []string
	opts    func(t *testing.T) []server.Option
}

// TestGateRefusesUnderFaults injects each fault the gate must survive and
// checks that it refuses the start: Check returns an error wrapping the
// expected sentinel (ErrGateUnavailable for a gate failure, the rule's own for
// a failed probe) and Run never calls boot.
func TestGateRefusesUnderFaults(t *testing.T) {
	strictEngine := func(t *testing.T) []server.Option {
		eng, err := lint.New(context.Background(), lint.WithoutBuiltins(), lint.WithPolicyFS(strictRule))
		if err != nil {
			t.Fatal(err)
		}
		return []server.Option{server.WithEngine(eng)}
	}
	faultAt := func(p fault.Point, f func(context.Context) error) func(*testing.T) (context.Context, []server.Option) {
		return func(t *testing.T) (context.Context, []server.Option) {
			inject(t, p, f)
			return context.Background(), nil
		}
	}
	cases := []faultCase{
		{
			name: "built-in catalog does not compile",
			setup: faultAt(fault.Catalog, func(ctx context.Context) error {
				_, err := lint.New(ctx, lint.WithPolicyFS(brokenCatalog))
				if err == nil {
					return errors.New("test setup: the broken catalog compiled")
				}
				return err
			}),
			control: booting(),
			want:    server.ErrGateUnavailable, contains: "bad.rego",
		},
		{
			name: "rule errors at evaluation",
			setup: func(t *testing.T) (context.Context, []server.Option) {
				return context.Background(), strictEngine(t)
			},
			env:     booting("CERTCTL_MAX_BODY_SIZE=10MB"),
			control: booting("CERTCTL_MAX_BODY_SIZE=1048576"),
			opts:    strictEngine,
			want:    server.ErrGateUnavailable, contains: "to_number",
		},
		{
			name:    "loader panics",
			setup:   faultAt(fault.Loader, func(context.Context) error { panic("loader bug") }),
			control: booting(),
			want:    server.ErrGateUnavailable, contains: "panic: loader bug",
		},
		{
			name:    "loader fails",
			setup:   faultAt(fault.Loader, func(context.Context) error { return errors.New("environment unreadable") }),
			control: booting(),
			want:    server.ErrGateUnavailable, contains: "environment unreadable",
		},
		{
			name:    "engine panics",
			setup:   faultAt(fault.Engine, func(context.Context) error { panic("evaluator bug") }),
			control: booting(),
			want:    server.ErrGateUnavailable, contains: "panic: evaluator bug",
		},
		{
			name: "probe panics",
			setup: func(t *testing.T) (context.Context, []server.Option) {
				inject(t, fault.Probe, func(context.Context) error { panic("driver bug") })
				return context.Background(), []server.Option{server.WithProbes(&server.DatabaseProbe{})}
			},
			want: server.ErrPolicyViolation, contains: "CFG-DB-REACH",
		},
		{
			name: "probe hangs past its timeout",
			setup: func(t *testing.T) (context.Context, []server.Option) {
				inject(t, fault.Probe, stall(t))
				return context.Background(), []server.Option{server.WithProbes(&server.DatabaseProbe{}), server.WithProbeTimeout(100 * time.Millisecond)}
			},
			want: server.ErrPolicyViolation, contains: "did not finish within 100ms",
		},
		{
			name: "context cancelled",
			setup: func(t *testing.T) (context.Context, []server.Option) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, nil
			},
			control: booting(),
			want:    server.ErrGateUnavailable, contains: "context canceled",
		},
		{
			name: "context deadline passed",
			setup: func(t *testing.T) (context.Context, []server.Option) {
				ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
				t.Cleanup(cancel)
				return ctx, nil
			},
			want: server.ErrGateUnavailable, contains: "deadline exceeded",
		},
	}
	clock := server.WithClock(func() time.Time { return now })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.control != nil {
				var opts []server.Option
				if tc.opts != nil {
					opts = tc.opts(t)
				}
				if _, err := server.Check(context.Background(), tc.control, append(opts, clock)...); err != nil {
					t.Fatalf("without the fault the gate refused: %v", err)
				}
			}
			env := tc.env
			if env == nil {
				env = booting()
			}
			ctx, opts := tc.setup(t)
			opts = append(opts, clock)
			start := time.Now()
			report, err := server.Check(ctx, env, opts...)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("Check: err = %v, want it to wrap %v and contain %q", err, tc.want, tc.contains)
			}
			if tc.want == server.ErrGateUnavailable && report != nil {
				t.Fatalf("a gate failure returned a report: %+v", report.Findings)
			}
			if tc.want != server.ErrGateUnavailable {
				if errors.Is(err, server.ErrGateUnavailable) {
					t.Fatalf("a probe failure must be the rule's refusal, not a gate failure: %v", err)
				}
				if report == nil || report.Findings == nil {
					t.Fatal("a refusal by a rule must come with its report")
				}
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("the gate took %s", d)
			}

			booted := false
			err = server.Run(ctx, env, func(context.Context) error { booted = true; return nil }, opts...)
			if booted || !errors.Is(err, tc.want) {
				t.Fatalf("Run: booted=%v err=%v; want a refusal wrapping %v", booted, err, tc.want)
			}
		})
	}
}
