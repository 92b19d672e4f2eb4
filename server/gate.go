// Package server is certgate's startup gate: the same policies that certgate lint
// runs, evaluated in-process against the environment a certctl server is about
// to start with, before its core boots.
//
//	report, err := server.Check(ctx, os.Environ())
//	if errors.Is(err, server.ErrACMEInsecureWithoutAck) { ... }
//
// The gate fails closed: if the policies do not compile, evaluation fails or
// panics, Check returns an error wrapping ErrGateUnavailable. It never prints;
// warnings go to the *slog.Logger given with WithLogger. The package depends on
// the evaluator, the env loader, pgx and lego's ACME client only (no Helm,
// Kubernetes or compose loader).
//
// Live probes are opt-in (WithProbes, ProbesByName): without them the gate
// makes no network connection. Each probe runs concurrently under its own
// timeout (WithProbeTimeout, default 3 s); its facts become input.probes.<name>
// and the CFG-DB-* and CFG-ACME-DIR policies judge them. A probe that times out
// or panics is recorded as unreachable, which those policies refuse.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/certgate/certgate/internal/fault"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

// DefaultCertctlVersion is the release judged when none is given.
const DefaultCertctlVersion = lint.DefaultCertctlVersion

// Option configures Check and Run.
type Option func(*config)

type config struct {
	now           func() time.Time
	version       string
	versionSource string
	role          string
	logger        *slog.Logger
	engine        *lint.Engine
	failOn        lint.Severity

	noHost      bool
	hostEnviron []string

	probes         []Probe
	probeTimeout   time.Duration
	caCertificates []string
	probeResults   func([]*ProbeResult)
}

// WithClock sets the clock the demo acknowledgement is judged against.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithCertctlVersion sets the certctl release whose defaults and refusals apply
// (default DefaultCertctlVersion, the newest known release).
func WithCertctlVersion(v string) Option {
	return WithCertctlVersionFrom(v, "server.WithCertctlVersion")
}

// WithCertctlVersionFrom sets the target release and says where it came from
// (for example "--certctl-version" or "certgate.yaml certctl_version"), for
// reports. An empty v keeps the default.
func WithCertctlVersionFrom(v, source string) Option {
	return func(c *config) { c.version, c.versionSource = v, source }
}

// WithRole judges the environment as the certctl agent's (lint.RoleAgent)
// instead of the server's (the default).
func WithRole(role string) Option { return func(c *config) { c.role = role } }

// WithLogger receives one record per warning and info finding, and one per
// refusal. Without it the gate is silent.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithEngine uses an engine the caller built (for example with --policy dirs)
// instead of the shared built-in one.
func WithEngine(e *lint.Engine) Option { return func(c *config) { c.engine = e } }

// WithFailOn lowers or raises the severity that refuses the start (default error).
func WithFailOn(s lint.Severity) Option { return func(c *config) { c.failOn = s } }

// WithProbes runs these live probes (see ProbesByName) concurrently before
// the evaluation; their results are input.probes.<name>. Without it the gate
// makes no network connection.
func WithProbes(p ...Probe) Option { return func(c *config) { c.probes = append(c.probes, p...) } }

// WithProbeTimeout bounds each probe (default DefaultProbeTimeout). A probe
// that does not finish in time is recorded as unreachable.
func WithProbeTimeout(d time.Duration) Option { return func(c *config) { c.probeTimeout = d } }

// WithCACertificates trusts the PEM certificates in path (a bundle) in
// addition to the roots the ACME probe would otherwise use.
func WithCACertificates(path string) Option {
	return func(c *config) { c.caCertificates = append(c.caCertificates, path) }
}

// WithProbeResults receives the probe results (sorted by name) before the
// evaluation, for display; they hold no secret values.
func WithProbeResults(f func([]*ProbeResult)) Option { return func(c *config) { c.probeResults = f } }

// WithoutHost skips the host facts: the gate then judges values only, for
// example when it runs outside the container whose files certctl will read.
func WithoutHost() Option { return func(c *config) { c.noHost = true } }

// WithHostEnviron gives CheckInput the process environment its process
// environment came from, for the variables the env loader does not keep
// (OTEL_RESOURCE_ATTRIBUTES). Check uses its own environ.
func WithHostEnviron(environ []string) Option {
	return func(c *config) { c.hostEnviron = environ }
}

// Inputs are what the gate can judge: the server's environment and the
// live probes. Its engine compiles only the rules that judge them.
var Inputs = []string{"env", "probe", "host"}

var (
	builtinOnce   sync.Once
	builtinEngine *lint.Engine
	builtinErr    error
)

// builtin compiles the embedded catalog once per process.
func builtin(ctx context.Context) (*lint.Engine, error) {
	builtinOnce.Do(func() { builtinEngine, builtinErr = lint.New(ctx, lint.WithInputs(Inputs...)) })
	return builtinEngine, builtinErr
}

// Check evaluates the policies against environ (os.Environ form) as the
// environment of a certctl server. It returns the full report and, when any
// finding is at or above the threshold, an error joining one *ViolationError per
// finding. Gate failures wrap ErrGateUnavailable.
func Check(ctx context.Context, environ []string, opts ...Option) (report *lint.Report, err error) {
	cfg := newConfig(opts)
	defer cfg.recoverPanic(ctx, &report, &err)
	if err := fault.Inject(ctx, fault.Loader); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGateUnavailable, err)
	}
	// The env kind's reading of a process environment: certctl's variables
	// and SSL_CERT_FILE, SSL_CERT_DIR (what the server trusts).
	e := envvar.Process(environ, cfg.role)
	in := &lint.Input{
		Meta: lint.Meta{NowUnix: cfg.now().Unix()},
		Envs: []lint.Env{e},
	}
	if err := lint.ResolveReleases(in, cfg.version, cfg.versionSource); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrGateUnavailable, err)
	}
	cfg.hostEnviron = environ
	return cfg.check(ctx, in)
}

// CheckInput is Check for an Input the caller built (for example from .env
// files): in.Meta is used as given, and the probes read the known values of
// its first server environment. The host facts become in.Host, the probe
// results in.Probes.
func CheckInput(ctx context.Context, in *lint.Input, opts ...Option) (report *lint.Report, err error) {
	cfg := newConfig(opts)
	return cfg.check(ctx, in)
}

func newConfig(opts []Option) *config {
	cfg := &config{now: time.Now, failOn: lint.SeverityError, probeTimeout: DefaultProbeTimeout}
	for _, o := range opts {
		o(cfg)
	}
	if cfg.probeTimeout <= 0 {
		cfg.probeTimeout = DefaultProbeTimeout
	}
	return cfg
}

// recoverPanic turns a panic in the gate into a refusal: the gate fails closed.
// Defer it directly (recover only works in the deferred call itself).
func (cfg *config) recoverPanic(ctx context.Context, report **lint.Report, err *error) {
	if p := recover(); p != nil {
		*report, *err = nil, fmt.Errorf("%w: panic: %v", ErrGateUnavailable, p)
		cfg.log(ctx, slog.LevelError, "certgate: startup gate panicked", "panic", fmt.Sprint(p))
	}
}

func (cfg *config) check(ctx context.Context, in *lint.Input) (report *lint.Report, err error) {
	defer cfg.recoverPanic(ctx, &report, &err)
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGateUnavailable, err)
	}
	eng := cfg.engine
	if eng == nil {
		if eng, err = builtin(ctx); err == nil {
			err = fault.Inject(ctx, fault.Catalog)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrGateUnavailable, err)
		}
	}
	if !cfg.noHost {
		in.Host = CollectHostFacts(hostVars(in, cfg.hostEnviron))
	}
	if len(cfg.probes) > 0 {
		results := runProbes(ctx, cfg.probes, &ProbeEnv{Vars: probeEnv(in), CACertificates: cfg.caCertificates, Timeout: cfg.probeTimeout})
		for _, r := range results {
			cfg.log(ctx, slog.LevelInfo, "certgate: probe", "probe", r.Name, "reachable", r.Reachable, "latency_ms", r.LatencyMS())
		}
		if cfg.probeResults != nil {
			cfg.probeResults(results)
		}
		in.Probes = probesInput(results)
	}
	if err := fault.Inject(ctx, fault.Engine); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGateUnavailable, err)
	}
	report, err = eng.Eval(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGateUnavailable, err)
	}
	var errs []error
	for _, f := range report.Findings {
		if f.Blocks(cfg.failOn) {
			errs = append(errs, &ViolationError{Finding: f})
			cfg.log(ctx, slog.LevelError, "certgate: refusing to start", "rule", f.Rule, "message", f.Message)
			continue
		}
		level := slog.LevelWarn
		if f.Severity == lint.SeverityInfo {
			level = slog.LevelInfo
		}
		cfg.log(ctx, level, "certgate: "+f.Message, "rule", f.Rule)
	}
	return report, errors.Join(errs...)
}

// Run checks environ and calls boot only when the gate passes. It returns the
// gate's error unchanged (so errors.Is works) or boot's error.
func Run(ctx context.Context, environ []string, boot func(context.Context) error, opts ...Option) error {
	if _, err := Check(ctx, environ, opts...); err != nil {
		return err
	}
	return boot(ctx)
}

func (c *config) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if c.logger != nil {
		c.logger.Log(ctx, level, msg, args...)
	}
}
