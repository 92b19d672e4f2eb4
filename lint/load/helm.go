package load

import (
	"context"
	"os"
	"path/filepath"

	"github.com/certgate/certgate/internal/displaypath"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/helm"
)

// detectChart claims a directory holding Chart.yaml.
func detectChart(path string, isDir bool) bool {
	if !isDir {
		return false
	}
	st, err := os.Stat(filepath.Join(filepath.FromSlash(path), "Chart.yaml"))
	return err == nil && !st.IsDir()
}

// loadCharts renders every chart found. A chart declared in certgate.yaml is
// rendered once per profile unless -f or --set were given (they then describe
// the one render); any other chart is rendered once with the flags.
func loadCharts(ctx context.Context, paths []string, opts Options) (*lint.Input, error) {
	var specs []helm.Spec
	for _, p := range paths {
		decl := declaredChart(p, opts)
		if decl == nil || len(opts.Chart.Values) > 0 || len(opts.Chart.Set) > 0 || len(decl.Profiles) == 0 {
			s := helm.Spec{Chart: p, Values: opts.Chart.Values, Set: opts.Chart.Set}
			if decl != nil {
				s.ReleaseName, s.Namespace = decl.ReleaseName, decl.Namespace
			}
			specs = append(specs, withFlags(s, opts))
			continue
		}
		for _, name := range decl.ProfileNames() {
			prof := decl.Profiles[name]
			s := helm.Spec{
				Chart: p, Profile: name, Demo: prof.Demo, Set: prof.Set,
				ReleaseName: decl.ReleaseName, Namespace: decl.Namespace,
			}
			for _, v := range prof.Values {
				s.Values = append(s.Values, filepath.Join(configDir(opts), filepath.FromSlash(v)))
			}
			specs = append(specs, withFlags(s, opts))
		}
	}
	return helm.Load(ctx, specs)
}

// withFlags lets --release-name, --namespace and --kube-version override the
// declaration.
func withFlags(s helm.Spec, opts Options) helm.Spec {
	if opts.Chart.ReleaseName != "" {
		s.ReleaseName = opts.Chart.ReleaseName
	}
	if opts.Chart.Namespace != "" {
		s.Namespace = opts.Chart.Namespace
	}
	s.KubeVersion = opts.Chart.KubeVersion
	s.Roles = roles(opts)
	s.Root = opts.Root
	return s
}

// readRoot is the directory a chart's displayed path (input.releases'
// chart_path) is read from, for its files (ChartFiles): an absolute root,
// which displaypath.Rel made it relative to; a relative root left it as
// given.
func readRoot(root string) string {
	if !filepath.IsAbs(root) {
		return ""
	}
	return root
}

// declaredChart returns the certgate.yaml entry for the chart directory p.
func declaredChart(p string, opts Options) *config.Chart {
	if opts.Config == nil {
		return nil
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil
	}
	for i := range opts.Config.Charts {
		c := &opts.Config.Charts[i]
		if d, err := filepath.Abs(filepath.Join(configDir(opts), filepath.FromSlash(c.Path))); err == nil && d == abs {
			return c
		}
	}
	return nil
}

// DeclaredCharts returns the chart directories declared in certgate.yaml, as
// paths relative to opts.Root, so a no-argument lint renders them even when a
// directory walk would not reach them.
func DeclaredCharts(opts Options) []string {
	if opts.Config == nil {
		return nil
	}
	var out []string
	for _, c := range opts.Config.Charts {
		out = append(out, displaypath.Rel(opts.Root, filepath.Join(configDir(opts), filepath.FromSlash(c.Path))))
	}
	return out
}

func configDir(opts Options) string {
	if opts.Config != nil && opts.Config.Dir != "" {
		return opts.Config.Dir
	}
	if opts.Root != "" {
		return opts.Root
	}
	return "."
}

// ChartFile is one file of a chart with the sha256 of its bytes.
type ChartFile = helm.ChartFile

// ChartFiles lists the files of the chart directories dirs, displayed
// relative to root (vendored subcharts included), sorted by path per chart,
// for the audit's list of what was judged.
func ChartFiles(root string, dirs []string) ([]ChartFile, error) {
	var out []ChartFile
	for _, dir := range dirs {
		files, err := helm.ChartFiles(readRoot(root), dir)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}
