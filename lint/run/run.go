// Package run is certgate's pipeline as a library: certgate.yaml, the target
// release, loading every input through the kinds table (lint/load), carve-out
// preparation, evaluation and the carve-outs applied afterwards, in that
// order. A Runner returns a Result and never prints; the CLI (and any other
// caller: the Helm plugin, an editor integration) picks a writer.
//
// What runs before and after evaluation is decided here once: carve-outs are
// validated and handed to CFG-WAIVER before Eval and matched against the
// findings after it; an environment run (certgate env, certgate exec) never
// applies carve-outs, so nothing can waive a refusal of the startup gate.
package run

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/certgate/certgate/internal/displaypath"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/load"
)

// Runner describes one run. The zero value lints the working directory with
// the built-in catalog at the system clock.
type Runner struct {
	// Root is where the run is: certgate.yaml is read from it (unless
	// ConfigFile names one) and reported paths are relative to it. Default:
	// the working directory.
	Root string
	// ConfigFile names certgate.yaml explicitly; it must exist.
	ConfigFile string
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Compose, Chart and Env are the kinds' own settings (see lint/load). An
	// Env with files or an environment makes an environment run.
	Compose load.ComposeSettings
	Chart   load.ChartSettings
	Env     load.EnvSettings
	// Now is the instant time-based rules judge at. Default: time.Now.
	Now time.Time
	// Release is the explicit target release (already normalized) and
	// ReleaseSource says where it came from (lint.ReleaseFromFlag); empty
	// lets certgate.yaml's certctl_version, then image tags, then the
	// default decide.
	Release, ReleaseSource string
	// NoCarveouts applies no carve-out (--no-waivers). Environment runs never
	// apply them.
	NoCarveouts bool
	// Compile returns the engine; it runs while the inputs load. Default:
	// lint.New(ctx).
	Compile func(ctx context.Context) (*lint.Engine, error)
	// Evaluate judges the prepared input. Default: Engine.Eval. The startup
	// gate's commands pass the gate (host facts, probes), whose refusal they
	// keep for themselves.
	Evaluate func(ctx context.Context, eng *lint.Engine, in *lint.Input) (*lint.Report, error)
	// AroundEval, when set, is called before evaluation and its result after
	// it (the CLI bounds the heap of a large input there).
	AroundEval func(eng *lint.Engine, in *lint.Input) (done func())
}

// Result is what a run found.
type Result struct {
	Root string
	// Config is certgate.yaml; nil when there is none. ConfigDisplay is its
	// path relative to Root.
	Config        *config.Config
	ConfigDisplay string
	Engine        *lint.Engine
	// Input is what the policies judged.
	Input *lint.Input
	// Report has the carve-outs applied.
	Report *lint.Report
	// Carveouts is the run's carve-out set; nil when none was applied.
	Carveouts *carveout.Set
	Now       time.Time
}

// Described lists the carve-outs of the run: the applied set's, or the
// register's entries undecided when none was applied (for the audit).
func (r *Result) Described() []*carveout.Carveout {
	if r.Carveouts != nil {
		return r.Carveouts.Carveouts()
	}
	return carveout.Describe(carveout.FromConfig(r.Config, r.ConfigDisplay))
}

// Error is a run that could not judge its inputs: a usage problem (an unknown
// release, nothing to lint) or an input, compile or evaluation error. Every
// one is exit 2.
type Error struct {
	// Stage is where the run stopped: config, load, compile, carve-outs,
	// evaluate.
	Stage string
	Err   error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Run loads paths (default "." and the charts certgate.yaml declares, for a
// run that is not an environment run), evaluates them and applies the
// carve-outs.
func (r Runner) Run(ctx context.Context, paths []string) (res *Result, err error) {
	defer recoverPanic("evaluate", &err)
	res, err = r.Prepare(ctx, paths)
	if err != nil {
		return nil, err
	}
	if r.AroundEval != nil {
		defer r.AroundEval(res.Engine, res.Input)()
	}
	evaluate := r.Evaluate
	if evaluate == nil {
		evaluate = func(ctx context.Context, eng *lint.Engine, in *lint.Input) (*lint.Report, error) {
			return eng.Eval(ctx, in)
		}
	}
	report, err := evaluate(ctx, res.Engine, res.Input)
	if err != nil {
		return nil, &Error{Stage: "evaluate", Err: err}
	}
	if res.Carveouts != nil {
		report = res.Carveouts.Apply(report)
	}
	res.Report = report
	return res, nil
}

// Prepare is Run up to evaluation: the loaded input, stamped with the clock
// and target release, with the carve-outs prepared (the document
// certgate lint --dump-input writes).
func (r Runner) Prepare(ctx context.Context, paths []string) (res *Result, err error) {
	defer recoverPanic("load", &err)
	res = &Result{Root: r.Root, Now: r.Now}
	// Absolute, so paths in findings are relative to it whatever the
	// working directory (default: the working directory itself).
	if res.Root, err = filepath.Abs(cmp.Or(res.Root, ".")); err != nil {
		return nil, &Error{Stage: "config", Err: err}
	}
	if res.Now.IsZero() {
		res.Now = time.Now()
	}
	compiled := r.compile(ctx)
	in, release, source, loadErr := r.loadInputs(ctx, paths, res)
	// A catalog that does not compile is reported before any other error.
	if res.Engine, err = compiled(); err != nil {
		return nil, &Error{Stage: "compile", Err: err}
	}
	if loadErr != nil {
		return nil, loadErr
	}
	in.Meta.NowUnix = res.Now.Unix()
	if err := lint.ResolveReleases(in, release, source); err != nil {
		return nil, &Error{Stage: "config", Err: err}
	}
	if !r.NoCarveouts && !r.envRun() {
		set, prep, err := carveout.Prepare(in, carveout.FromConfig(res.Config, res.ConfigDisplay), res.Engine.Policies(), res.Now)
		if err == nil {
			err = prep.AddTo(in)
		}
		if err != nil {
			return nil, &Error{Stage: "carve-outs", Err: err}
		}
		res.Carveouts = set
	}
	res.Input = in
	return res, nil
}

// loadInputs reads certgate.yaml, decides the explicit target release and
// loads the inputs.
func (r Runner) loadInputs(ctx context.Context, paths []string, res *Result) (in *lint.Input, release, source string, err error) {
	if res.Config, err = r.config(res.Root); err != nil {
		return nil, "", "", &Error{Stage: "config", Err: err}
	}
	res.ConfigDisplay = configDisplay(res.Config, res.Root)
	if release, source, err = r.release(res.Config); err != nil {
		return nil, "", "", &Error{Stage: "config", Err: err}
	}
	if in, err = r.load(ctx, paths, res); err != nil {
		return nil, "", "", &Error{Stage: "load", Err: err}
	}
	return in, release, source, nil
}

// envRun reports whether r judges an environment rather than paths.
func (r Runner) envRun() bool { return r.Env.Judged() }

// compile starts the engine's compile and returns its result's future.
func (r Runner) compile(ctx context.Context) func() (*lint.Engine, error) {
	type result struct {
		eng *lint.Engine
		err error
	}
	compile := r.Compile
	if compile == nil {
		compile = func(ctx context.Context) (*lint.Engine, error) { return lint.New(ctx) }
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{err: fmt.Errorf("panic: %v", p)}
			}
			done <- res
		}()
		res.eng, res.err = compile(ctx)
	}()
	return sync.OnceValues(func() (*lint.Engine, error) {
		res := <-done
		return res.eng, res.err
	})
}

// config reads certgate.yaml: ConfigFile, else the one in root (none there
// is no error).
func (r Runner) config(root string) (*config.Config, error) {
	if r.ConfigFile != "" {
		return config.LoadFile(r.ConfigFile)
	}
	return config.Load(root)
}

// release is the explicit target release: the Runner's, else certgate.yaml's
// certctl_version.
func (r Runner) release(cfg *config.Config) (release, source string, err error) {
	if r.Release != "" || cfg == nil || cfg.CertctlVersion == "" {
		return r.Release, r.ReleaseSource, nil
	}
	v, err := lint.NormalizeVersion(cfg.CertctlVersion)
	if err != nil {
		return "", "", fmt.Errorf("%s: certctl_version: %w", cfg.Path, err)
	}
	return v, lint.ReleaseFromConfig, nil
}

// load reads the inputs through the kinds table. A run of paths with none
// walks "." and the charts certgate.yaml declares, wherever they are.
func (r Runner) load(ctx context.Context, paths []string, res *Result) (*lint.Input, error) {
	opts := load.Options{Root: res.Root, Config: res.Config, Stdin: r.Stdin, Compose: r.Compose, Chart: r.Chart, Env: r.Env}
	if r.envRun() {
		if len(paths) > 0 {
			return nil, errors.New("an environment is judged alone: give no paths with it")
		}
	} else {
		if len(paths) == 0 {
			// The root ("." when it is the working directory, as messages
			// name it) and the charts certgate.yaml declares, wherever they
			// are; duplicates of walked charts collapse.
			root := "."
			if wd, err := os.Getwd(); err != nil || wd != res.Root {
				root = res.Root
			}
			paths = append([]string{root}, load.DeclaredCharts(opts)...)
		}
	}
	return load.Load(ctx, paths, opts)
}

// configDisplay is certgate.yaml's path as findings show it (relative to
// root when inside it).
func configDisplay(cfg *config.Config, root string) string {
	if cfg == nil || cfg.Path == "" {
		return config.FileName
	}
	return displaypath.Rel(root, cfg.Path)
}

// recoverPanic turns a panic in a loader, a policy or the evaluator into the
// run's error: the run fails closed, and no stack trace reaches a user.
func recoverPanic(stage string, err *error) {
	if p := recover(); p != nil {
		*err = &Error{Stage: stage, Err: fmt.Errorf("panic: %v", p)}
	}
}

// ChartFiles lists the files of the charts the run rendered (vendored
// subcharts included) with their sha256: what an audit names as judged in
// place of the rendered templates.
func (r *Result) ChartFiles() ([]load.ChartFile, error) {
	return load.ChartFiles(r.Root, r.Input.ChartDirs())
}
