package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	units "github.com/docker/go-units"
	"github.com/spf13/pflag"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/format"
)

// evalFlags are the flags of every command that evaluates policies.
type evalFlags struct {
	now            string
	certctlVersion string
	policyDirs     []string
	format         string
	output         string
	failOn         string
	maxInputSize   string
	// gate marks the startup gate's commands (env, exec): their clock is the
	// system clock or --now, never SOURCE_DATE_EPOCH, which the environment
	// being judged could set.
	gate bool
}

func (f *evalFlags) register(fs *pflag.FlagSet, formats bool) {
	nowHelp := "judge time-based rules at this instant (RFC3339 or unix seconds; default: SOURCE_DATE_EPOCH, else the system clock)"
	if f.gate {
		nowHelp = "judge time-based rules at this instant (RFC3339 or unix seconds; default: the system clock; SOURCE_DATE_EPOCH is ignored)"
	}
	fs.StringVar(&f.now, "now", "", nowHelp)
	fs.StringVar(&f.certctlVersion, "certctl-version", "", "certctl release whose defaults and refusals apply, to ask \"what breaks when I upgrade?\" (default: certgate.yaml's certctl_version, else each workload's image tag, else the newest known release, "+lint.DefaultCertctlVersion+")")
	fs.StringArrayVar(&f.policyDirs, "policy", nil, "directory of extra Rego policies, evaluated next to the built-in catalog (repeatable)")
	fs.StringVar(&f.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning or info")
	fs.StringVar(&f.maxInputSize, "max-input-size", readfile.FormatSize(readfile.DefaultMaxSize), "refuse an input file or stream larger than this (binary units: 64MiB, 1GiB)")
	if formats {
		fs.StringVarP(&f.format, "format", "o", "text", "output format: "+joinNames(format.Names()))
		fs.StringVar(&f.output, "output", "", "write the report to this file instead of stdout")
	}
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// resolved are evalFlags after validation.
type resolved struct {
	now time.Time
	// release is the explicit target release (--certctl-version, else
	// certgate.yaml's certctl_version) and releaseSource names which; both are
	// empty when neither names one (image tags, then the default, decide).
	release, releaseSource string
	failOn                 lint.Severity
	engine                 *lint.Engine
	// notes are said beside the report (the gate's ignored SOURCE_DATE_EPOCH).
	notes []string
}

// useConfig takes certgate.yaml's certctl_version when no flag named a release.
func (r *resolved) useConfig(cfg *config.Config) error {
	if r.release != "" || cfg == nil || cfg.CertctlVersion == "" {
		return nil
	}
	v, err := lint.NormalizeVersion(cfg.CertctlVersion)
	if err != nil {
		return usageError("%s: certctl_version: %v", cfg.Path, err)
	}
	r.release, r.releaseSource = v, lint.ReleaseFromConfig
	return nil
}

// stamp sets the run's clock and resolves the target release of every
// environment of in (flag, certgate.yaml, image tag, default).
func (r *resolved) stamp(in *lint.Input) error {
	in.Meta.NowUnix = r.now.Unix()
	if err := lint.ResolveReleases(in, r.release, r.releaseSource); err != nil {
		return usageError("%v", err)
	}
	return nil
}

// resolve validates the flags and compiles the engine; extra options narrow it
// (the gate's commands compile only the rules that judge what they can see).
func (f *evalFlags) resolve(ctx context.Context, environ []string, extra ...lint.Option) (*resolved, error) {
	r, compiled, err := f.resolveStart(ctx, environ, extra...)
	if err != nil {
		return nil, err
	}
	if err := compiled(); err != nil {
		return nil, err
	}
	return r, nil
}

// resolveStart validates the flags and starts compiling the engine on its own
// goroutine, so that inputs load meanwhile; compiled waits for it and returns
// its error (then r.engine is set). Callers check compiled's error before a
// load error, so a catalog that does not compile is reported first, as with
// resolve.
func (f *evalFlags) resolveStart(ctx context.Context, environ []string, extra ...lint.Option) (r *resolved, compiled func() error, err error) {
	r = &resolved{}
	usage := func(format string, args ...any) (*resolved, func() error, error) {
		return nil, nil, usageError(format, args...)
	}
	clockEnv := environ
	if f.gate {
		// The gate's clock cannot be set from the environment it judges: a
		// SOURCE_DATE_EPOCH there would let a stale demo acknowledgement pass.
		clockEnv = nil
	}
	if r.now, err = parseNow(f.now, clockEnv); err != nil {
		return usage("%v", err)
	}
	if f.gate && f.now == "" {
		if v, ok := lookupEnv(environ, "SOURCE_DATE_EPOCH"); ok && v != "" {
			r.notes = append(r.notes, fmt.Sprintf("SOURCE_DATE_EPOCH=%.40q is ignored by the startup gate: it judged at the system clock, %s (only --now sets another instant)",
				v, r.now.UTC().Format(time.RFC3339)))
		}
	}
	if f.certctlVersion != "" {
		if r.release, err = lint.NormalizeVersion(f.certctlVersion); err != nil {
			return usage("--certctl-version: %v", err)
		}
		r.releaseSource = lint.ReleaseFromFlag
	}
	if r.failOn, err = lint.ParseSeverity(f.failOn); err != nil {
		return usage("--fail-on: %v", err)
	}
	maxSize, err := parseSize(f.maxInputSize)
	if err != nil {
		return usage("--max-input-size: %v", err)
	}
	readfile.SetMaxSize(maxSize)
	opts := make([]lint.Option, 0, len(f.policyDirs))
	for _, d := range f.policyDirs {
		opts = append(opts, lint.WithPolicyDir(d))
	}
	done := make(chan error, 1)
	go func() {
		var err error
		withoutGC(func() { r.engine, err = lint.New(ctx, append(opts, extra...)...) })
		if err != nil {
			err = inputError(err)
		}
		done <- err
	}()
	return r, sync.OnceValue(func() error { return <-done }), nil
}

// gcMemoryLimit bounds the heap while holdGC holds the collector off: past
// it the collector runs again, so an input larger than expected costs time,
// never memory beyond the bound.
const gcMemoryLimit = 256 << 20

// holdGC turns the garbage collector off, up to gcMemoryLimit (or a lower
// GOMEMLIMIT), until restore puts both settings back. Compiling the catalog
// allocates some 30 MB that the compiled engine mostly keeps, so collecting
// during it is wasted work (a quarter of the compile time on a fresh heap);
// the gate's commands hold it off for their whole run, which judges one
// environment and allocates little more.
func holdGC() (restore func()) {
	limit := debug.SetMemoryLimit(-1)
	gc := debug.SetGCPercent(-1)
	debug.SetMemoryLimit(min(limit, gcMemoryLimit))
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// A large input is evaluated under a soft memory limit (boundHeap): with the
// collector's default pacing the heap grows to twice what is live, and the
// evaluation of a stream of tens of megabytes keeps a hundred or two live
// (its text, its environments, the partitions in flight), so hundreds of
// megabytes would be garbage waiting. The limit is heapBoundFactor times the
// heap live after loading, and never under heapBoundFloor: an input whose
// evaluation keeps several times what its load left live (thousands of server
// workloads in one release, all in the cross partition) would otherwise have
// the collector run almost without end near the limit, while a stream of tens
// of megabytes, whose load leaves a hundred or more live, is held near three
// times that.
const (
	heapBoundFactor = 3
	heapBoundFloor  = 320 << 20
)

var heapBound struct {
	sync.Mutex
	n   int   // evaluations under the bound
	old int64 // the limit before the first
}

// boundHeap sets the soft memory limit for evaluating in with eng when eng
// evaluates it in partitions (a large input: what one evaluation holds at
// once is bounded, a whole evaluation of a large input might need more than
// the limit) and neither GOMEMLIMIT nor anything else set one; restore puts
// the limit back once the last evaluation under it returns.
func boundHeap(eng *lint.Engine, in *lint.Input) (restore func()) {
	if !eng.Partitioned(in) {
		return func() {}
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return func() {}
	}
	heapBound.Lock()
	defer heapBound.Unlock()
	if heapBound.n == 0 {
		if heapBound.old = debug.SetMemoryLimit(-1); heapBound.old != math.MaxInt64 {
			return func() {}
		}
		runtime.GC() // what the load left live, without its garbage
		live := liveHeap()
		debug.SetMemoryLimit(max(heapBoundFactor*live, heapBoundFloor))
	}
	heapBound.n++
	return sync.OnceFunc(func() {
		heapBound.Lock()
		defer heapBound.Unlock()
		if heapBound.n--; heapBound.n == 0 {
			debug.SetMemoryLimit(heapBound.old)
		}
	})
}

// liveHeap is the heap the last collection found live, in bytes.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// withoutGC runs fn under holdGC.
func withoutGC(fn func()) {
	defer holdGC()()
	fn()
}

// parseSize reads --max-input-size (empty: the default): a size such as 64MiB,
// 512m or 1GiB, in binary units, or a number of bytes.
func parseSize(s string) (int64, error) {
	if s == "" {
		return readfile.DefaultMaxSize, nil
	}
	n, err := units.RAMInBytes(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size such as 64MiB or 1GiB", s)
	}
	return n, nil
}

// parseNow reads --now, falling back to SOURCE_DATE_EPOCH in environ (the
// gate's commands pass none), then the clock.
func parseNow(s string, environ []string) (time.Time, error) {
	if s == "" {
		if v, ok := lookupEnv(environ, "SOURCE_DATE_EPOCH"); ok && v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a unix epoch in seconds", v)
			}
			return time.Unix(n, 0).UTC(), nil
		}
		return time.Now(), nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q: want RFC3339 (2026-11-27T10:00:00Z) or unix seconds", s)
	}
	return t, nil
}

// lookupEnv is the first value of name in environ (os.Environ form).
func lookupEnv(environ []string, name string) (string, bool) {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// writeRun writes the report in the chosen format to --output or w; run
// describes the run (catalog, version, root, inputs) to the writer.
func (f *evalFlags) writeRun(w io.Writer, r *lint.Report, run format.Run) error {
	return emit(w, f.output, func(w io.Writer) error { return f.render(w, r, run) })
}

// render writes the report in the chosen format.
func (f *evalFlags) render(w io.Writer, r *lint.Report, run format.Run) error {
	wr, err := format.New(f.format, run)
	if err != nil {
		return usageError("--format: %v", err)
	}
	return wr.Write(w, r)
}

// emit writes what render produces to w, or to the file output when it is set.
// The file is written only once rendering succeeded, so a failed run never
// leaves a truncated report behind.
func emit(w io.Writer, output string, render func(io.Writer) error) error {
	if output == "" {
		return render(w)
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
		return inputError(fmt.Errorf("--output: %w", err))
	}
	return nil
}

// exitFor turns a report into the command's result.
func exitFor(r *lint.Report, failOn lint.Severity) error {
	if code := r.ExitCode(failOn); code != lint.ExitOK {
		return &exitError{code: code}
	}
	return nil
}
