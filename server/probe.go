package server

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/certgate/certgate/internal/fault"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/redact"
)

// DefaultProbeTimeout bounds each probe when WithProbeTimeout is not given.
const DefaultProbeTimeout = 3 * time.Second

// Probe checks one live dependency of the server (its database, its ACME
// directory). A probe never decides pass or fail: it records facts, and the
// policies judge them as input.probes.<Name>. Probes must honour ctx; the
// gate abandons a probe whose context has expired and records it as failed.
type Probe interface {
	Name() string
	Probe(ctx context.Context, env *ProbeEnv) *ProbeResult
}

// ProbeEnv is what a probe may read: the known values of the server
// environment being judged and the gate's trust settings.
type ProbeEnv struct {
	// Vars holds the known values of the server environment (values only known
	// at run time are absent), with envvar.TrustVars (SSL_CERT_FILE, SSL_CERT_DIR).
	Vars map[string]string
	// CACertificates are PEM bundle paths the ACME probe trusts in addition
	// to the server's own roots (WithCACertificates): an operator's explicit
	// extra, which certctl itself never reads.
	CACertificates []string
	// Timeout is the probe's own budget, for clients that need one up front.
	Timeout time.Duration
}

// Get returns a variable's known value ("" when absent or unknown).
func (e *ProbeEnv) Get(name string) string { return e.Vars[name] }

// ProbeResult is what a probe found. Error and Facts never hold secret values.
type ProbeResult struct {
	Name string `json:"name"`
	// Skipped says why the probe had nothing to check (for example the ACME
	// directory is not configured); empty when it ran.
	Skipped   string `json:"skipped,omitempty"`
	Reachable bool   `json:"reachable"`
	// TLS is whether the connection used TLS; nil when unknown.
	TLS     *bool         `json:"tls"`
	Latency time.Duration `json:"-"`
	// Error is why the dependency was not reachable (redacted).
	Error string `json:"error,omitempty"`
	// Timeout is the probe's budget (WithProbeTimeout), for messages.
	Timeout time.Duration `json:"-"`
	// Facts are the probe's own findings, JSON-shaped, under input.probes.<name>.
	Facts map[string]any `json:"facts,omitempty"`
}

// ProbeFacts are the result as the Input's Probes section holds it.
func (r *ProbeResult) ProbeFacts() lint.ProbeFacts {
	return lint.ProbeFacts{
		Name: r.Name, Skipped: r.Skipped, Reachable: r.Reachable, TLS: r.TLS,
		LatencyMS: r.LatencyMS(), Error: r.Error, Timeout: r.Timeout.String(), Facts: r.Facts,
	}
}

// Value is the JSON-shaped document the policies see as input.probes.<name>:
// the facts plus name, ran, skipped, reachable, tls, latency_ms, timeout (a Go
// duration such as "3s"), timed_out and error.
func (r *ProbeResult) Value() map[string]any {
	f := r.ProbeFacts()
	return f.Value()
}

// LatencyMS is the latency in milliseconds, rounded to 0.1 ms.
func (r *ProbeResult) LatencyMS() float64 {
	return float64(r.Latency.Round(100*time.Microsecond)) / float64(time.Millisecond)
}

// ProbeNames are the probes ProbesByName knows, sorted.
func ProbeNames() []string { return []string{"acme", "db"} }

// ProbesByName returns the built-in probes for names such as "db" and "acme"
// (duplicates and surrounding spaces are ignored). An unknown name is an error
// listing the known ones.
func ProbesByName(names ...string) ([]Probe, error) {
	var out []Probe
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		switch n {
		case "db":
			out = append(out, &DatabaseProbe{})
		case "acme":
			out = append(out, &ACMEProbe{})
		default:
			return nil, fmt.Errorf("unknown probe %q (want one of %s)", n, strings.Join(ProbeNames(), ", "))
		}
	}
	return out, nil
}

// runProbes runs every probe concurrently, each bounded by timeout. A probe
// that times out or panics yields an unreachable result saying so (timed_out
// true for a timeout): a failed probe is never a pass, and the rules judging
// it refuse the start.
func runProbes(ctx context.Context, probes []Probe, env *ProbeEnv) []*ProbeResult {
	results := make([]*ProbeResult, len(probes))
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runProbe(ctx, p, env)
		}()
	}
	wg.Wait()
	sort.SliceStable(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	return results
}

func runProbe(ctx context.Context, p Probe, env *ProbeEnv) *ProbeResult {
	name := p.Name()
	ctx, cancel := context.WithTimeout(ctx, env.Timeout)
	defer cancel()
	start := time.Now()
	done := make(chan *ProbeResult, 1) // buffered: an abandoned probe must not leak blocked
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- &ProbeResult{Error: fmt.Sprintf("probe panicked: %v", v)}
			}
		}()
		if err := fault.Inject(ctx, fault.Probe); err != nil {
			done <- &ProbeResult{Error: err.Error()}
			return
		}
		done <- p.Probe(ctx, env)
	}()
	var r *ProbeResult
	select {
	case r = <-done:
		if r == nil {
			r = &ProbeResult{Error: "probe returned no result"}
		}
	case <-ctx.Done():
		r = &ProbeResult{
			Error: fmt.Sprintf("probe did not finish within %s: %v", env.Timeout, context.Cause(ctx)),
			Facts: map[string]any{"timed_out": true},
		}
	}
	r.Name = name
	r.Timeout = env.Timeout
	// The one redaction step: no URL credentials in a probe's error, whatever
	// the probe or its driver wrote.
	r.Error = redact.String(r.Error)
	if r.Latency == 0 {
		r.Latency = time.Since(start)
	}
	if r.Error != "" && r.Skipped == "" {
		r.Reachable = false
	}
	return r
}

// probesInput is the input.probes section for results.
func probesInput(results []*ProbeResult) map[string]lint.ProbeFacts {
	m := make(map[string]lint.ProbeFacts, len(results))
	for _, r := range results {
		m[r.Name] = r.ProbeFacts()
	}
	return m
}

// probeEnv takes the known values of the first server environment of in.
func probeEnv(in *lint.Input) map[string]string {
	vars := map[string]string{}
	i := slices.IndexFunc(in.Envs, func(e lint.Env) bool { return e.Role == lint.RoleServer })
	if i < 0 {
		return vars
	}
	for name, v := range in.Envs[i].Vars {
		if v.Known {
			vars[name] = v.Value
		}
	}
	return vars
}

func boolPtr(b bool) *bool { return &b }
