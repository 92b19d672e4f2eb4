package main

import (
	"context"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/format"
	"github.com/certgate/certgate/lint/carveout"
)

func (lf *lintFlags) registerWaivers(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&lf.noWaivers, "no-waivers", false, "apply no carve-out (certgate.yaml carveouts or inline certgate:ignore comments)")
}

// pathRun is one evaluation of paths, as certgate lint and certgate audit make
// it: the resolved flags, the loaded input and certgate.yaml, the report with
// carve-outs applied, and the carve-out set (nil under --no-waivers).
type pathRun struct {
	r      *resolved
	in     *lint.Input
	cfg    *config.Config
	root   string
	report *lint.Report
	set    *carveout.Set
}

// runPaths resolves the flags, loads args and evaluates them.
func (a *app) runPaths(ctx context.Context, args []string, flags *evalFlags, lf lintFlags) (*pathRun, error) {
	r, compiled, err := flags.resolveStart(ctx, a.environ())
	if err != nil {
		return nil, err
	}
	in, cfg, root, err := a.loadInput(ctx, args, lf, r)
	if err := compiled(); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	report, set, err := evaluate(ctx, r, in, cfg, root, lf.noWaivers)
	if err != nil {
		return nil, err
	}
	return &pathRun{r: r, in: in, cfg: cfg, root: root, report: report, set: set}, nil
}

// dumpInput loads args as runPaths does, prepares the carve-outs (unless
// --no-waivers) and writes the Input document Eval would convert, as JSON.
func (a *app) dumpInput(ctx context.Context, args []string, flags *evalFlags, lf lintFlags) error {
	r, err := flags.resolve(ctx, a.environ())
	if err != nil {
		return err
	}
	in, cfg, root, err := a.loadInput(ctx, args, lf, r)
	if err != nil {
		return err
	}
	if !lf.noWaivers {
		if _, err := carveout.Prepare(in, carveout.FromConfig(cfg, configDisplay(cfg, root)), r.engine.Policies(), r.now); err != nil {
			return inputError(err)
		}
	}
	b, err := in.MarshalJSON()
	if err != nil {
		return inputError(err)
	}
	_, err = a.out.Write(append(b, '\n'))
	return err
}

// evaluate runs the policies over in with the carve-out step around them:
// carveout.Prepare before Eval (an invalid register is exit 2), Set.Apply after.
// With noWaivers the set is nil and nothing is waived.
func evaluate(ctx context.Context, r *resolved, in *lint.Input, cfg *config.Config, root string, noWaivers bool) (*lint.Report, *carveout.Set, error) {
	defer boundHeap(r.engine, in)()
	var set *carveout.Set
	if !noWaivers {
		s, err := carveout.Prepare(in, carveout.FromConfig(cfg, configDisplay(cfg, root)), r.engine.Policies(), r.now)
		if err != nil {
			return nil, nil, inputError(err)
		}
		set = s
	}
	report, err := r.engine.Eval(ctx, in)
	if err != nil {
		return nil, nil, inputError(err)
	}
	if set != nil {
		report = set.Apply(report)
	}
	return report, set, nil
}

// configDisplay is certgate.yaml's path relative to root.
func configDisplay(cfg *config.Config, root string) string {
	if cfg == nil || cfg.Path == "" {
		return config.FileName
	}
	if rel, err := filepath.Rel(root, cfg.Path); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(cfg.Path)
}

// runFor describes the run to the writers: the catalog, the version, the root
// and the files checked.
func runFor(r *resolved, in *lint.Input, root string) format.Run {
	run := format.Run{Policies: r.engine.Policies(), Version: version, Root: root}
	for _, f := range in.Files {
		if f.Kind != carveout.KindConfig {
			run.Inputs = append(run.Inputs, f.Path)
		}
	}
	return run
}
