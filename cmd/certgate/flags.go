package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	units "github.com/docker/go-units"
	"github.com/spf13/pflag"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
	pipeline "github.com/certgate/certgate/lint/run"
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
		fs.StringVarP(&f.format, "format", "o", "text", "output format: "+strings.Join(format.Names(), ", "))
		fs.StringVar(&f.output, "output", "", "write the report to this file instead of stdout")
	}
}

// runner validates the flags and returns the Runner they describe (clock,
// target release, catalog) with the failure threshold and the notes to say
// beside the report (the gate's ignored SOURCE_DATE_EPOCH). extra options
// narrow the catalog: the gate's commands compile only the rules that judge
// what they can see.
func (f *evalFlags) runner(environ []string, extra ...lint.Option) (r pipeline.Runner, failOn lint.Severity, notes []string, err error) {
	clockEnv := environ
	if f.gate {
		// The gate's clock cannot be set from the environment it judges: a
		// SOURCE_DATE_EPOCH there would let a stale demo acknowledgement pass.
		clockEnv = nil
	}
	if r.Now, err = parseNow(f.now, clockEnv); err != nil {
		return r, "", nil, usageError("%v", err)
	}
	if f.gate && f.now == "" {
		if v, ok := lookupEnv(environ, "SOURCE_DATE_EPOCH"); ok && v != "" {
			notes = append(notes, fmt.Sprintf("SOURCE_DATE_EPOCH=%.40q is ignored by the startup gate: it judged at the system clock, %s (only --now sets another instant)",
				v, r.Now.UTC().Format(time.RFC3339)))
		}
	}
	if f.certctlVersion != "" {
		if r.Release, err = lint.NormalizeVersion(f.certctlVersion); err != nil {
			return r, "", nil, usageError("--certctl-version: %v", err)
		}
		r.ReleaseSource = lint.ReleaseFromFlag
	}
	if failOn, err = lint.ParseSeverity(f.failOn); err != nil {
		return r, "", nil, usageError("--fail-on: %v", err)
	}
	maxSize, err := parseSize(f.maxInputSize)
	if err != nil {
		return r, "", nil, usageError("--max-input-size: %v", err)
	}
	readfile.SetMaxSize(maxSize)
	opts := make([]lint.Option, 0, len(f.policyDirs)+len(extra))
	for _, d := range f.policyDirs {
		opts = append(opts, lint.WithPolicyDir(d))
	}
	opts = append(opts, extra...)
	r.Compile = func(ctx context.Context) (eng *lint.Engine, err error) {
		withoutGC(func() { eng, err = lint.New(ctx, opts...) })
		return eng, err
	}
	r.AroundEval = boundHeap
	return r, failOn, notes, nil
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
