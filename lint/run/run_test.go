package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/load"
	"github.com/certgate/certgate/lint/run"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// write creates files (slash paths → contents) under a new directory.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const noToken = `services:
  server:
    image: ghcr.io/certctl-io/certctl-server:2.2.0
    environment:
      CERTCTL_AUTH_TYPE: api-key
      CERTCTL_AUTH_SECRET: ${CERTCTL_AUTH_SECRET:?set it}
      CERTCTL_DATABASE_URL: ${CERTCTL_DATABASE_URL:?set it}
`

func rules(r *lint.Report, waived bool) []string {
	var out []string
	for _, f := range r.Findings {
		if (f.Carveout != nil) == waived {
			out = append(out, f.Rule)
		}
	}
	return out
}

func TestRunLintsPathsAndNeverPrints(t *testing.T) {
	dir := write(t, map[string]string{"docker-compose.yml": noToken})
	res, err := run.Runner{Root: dir, Now: now}.Run(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rules(res.Report, false), "SEC-H1") {
		t.Fatalf("SEC-H1 missing: %v", res.Report.Findings)
	}
	if res.Input.Meta.NowUnix != now.Unix() || res.Input.Meta.CertctlVersion == "" {
		t.Fatalf("input not stamped: %+v", res.Input.Meta)
	}
	if res.Carveouts == nil {
		t.Fatal("carve-outs were not prepared")
	}
}

// TestCarveoutsAroundEvaluation: an inline carve-out waives its finding
// after evaluation, CFG-WAIVER sees it before, and NoCarveouts applies none.
func TestCarveoutsAroundEvaluation(t *testing.T) {
	src := strings.Replace(noToken, "    environment:\n", "    environment:\n      # certgate:ignore SEC-H1 until=2026-12-20 reason=\"lab\"\n", 1)
	dir := write(t, map[string]string{"docker-compose.yml": src})
	res, err := run.Runner{Root: dir, Now: now}.Run(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(rules(res.Report, false), "SEC-H1") || !slices.Contains(rules(res.Report, true), "SEC-H1") {
		t.Fatalf("SEC-H1 not waived: %v", res.Report.Findings)
	}
	if len(res.Input.Carveouts) != 1 {
		t.Fatalf("input.carveouts = %v, want the inline carve-out", res.Input.Carveouts)
	}
	res, err = run.Runner{Root: dir, Now: now, NoCarveouts: true}.Run(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rules(res.Report, false), "SEC-H1") || res.Carveouts != nil || res.Input.Carveouts != nil {
		t.Fatalf("NoCarveouts waived something: %v", res.Report.Findings)
	}
}

func TestPrepareStopsBeforeEvaluation(t *testing.T) {
	dir := write(t, map[string]string{"docker-compose.yml": noToken})
	evaluated := false
	r := run.Runner{Root: dir, Now: now, Evaluate: func(context.Context, *lint.Engine, *lint.Input) (*lint.Report, error) {
		evaluated = true
		return lint.NewReport(nil), nil
	}}
	res, err := r.Prepare(context.Background(), []string{dir})
	if err != nil || evaluated || res.Report != nil || res.Input == nil {
		t.Fatalf("Prepare: err=%v evaluated=%v report=%v", err, evaluated, res.Report)
	}
	if _, err := r.Run(context.Background(), []string{dir}); err != nil || !evaluated {
		t.Fatalf("Run did not use Evaluate: err=%v", err)
	}
}

// TestEnvRun: env is a kind of the same table; an environment run applies no
// carve-out, whatever certgate.yaml says.
func TestEnvRun(t *testing.T) {
	dir := write(t, map[string]string{
		"server.env":    "CERTCTL_AUTH_TYPE=api-key\n",
		"certgate.yaml": "certctl_version: 2.1.7\ncarveouts:\n  - {id: SEC-H1, paths: [\"**\"], reason: r, owner: o, expires: 2026-12-20}\n",
	})
	res, err := run.Runner{Root: dir, Now: now, Env: load.EnvSettings{Files: []string{filepath.Join(dir, "server.env")}}}.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Carveouts != nil || len(rules(res.Report, true)) > 0 {
		t.Fatalf("an environment run applied carve-outs: %v", res.Report.Findings)
	}
	if res.Input.Meta.CertctlVersion != "2.1.7" || len(res.Input.Envs) != 1 || res.Input.Envs[0].Role != lint.RoleServer {
		t.Fatalf("meta %+v envs %+v", res.Input.Meta, res.Input.Envs)
	}
	res, err = run.Runner{Root: dir, Now: now, Env: load.EnvSettings{Environ: []string{"CERTCTL_AUTH_TYPE=api-key", "HOME=/x"}, Role: lint.RoleAgent}}.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Input.Envs[0]; e.Origin != lint.OriginProcess || e.Role != lint.RoleAgent || len(e.Vars) != 1 {
		t.Fatalf("process environment %+v", e)
	}
	if _, err := (run.Runner{Root: dir, Env: load.EnvSettings{Environ: []string{}}}).Run(context.Background(), []string{dir}); err == nil {
		t.Fatal("an environment run with paths ran")
	}
}

func TestRunErrorsNameTheirStage(t *testing.T) {
	dir := write(t, map[string]string{"docker-compose.yml": noToken, "certgate.yaml": "certctl_version: 9.9.9\n"})
	bad := write(t, map[string]string{"certgate.yaml": "carveouts:\n  - {id: SEC-H1, paths: [\"**\"], reason: r, expires: 2026-12-20}\n", "docker-compose.yml": noToken})
	cases := []struct {
		name  string
		r     run.Runner
		paths []string
		stage string
	}{
		{"unknown release", run.Runner{Root: dir}, []string{dir}, "config"},
		{"nothing to lint", run.Runner{Root: t.TempDir()}, nil, "load"},
		{"invalid register", run.Runner{Root: bad}, []string{bad}, "carve-outs"},
		{"compile", run.Runner{Root: bad, Compile: func(context.Context) (*lint.Engine, error) { return nil, errors.New("no catalog") }}, []string{bad}, "compile"},
		{"evaluation", run.Runner{Root: bad, NoCarveouts: true, Evaluate: func(context.Context, *lint.Engine, *lint.Input) (*lint.Report, error) {
			return nil, errors.New("rule failed")
		}}, []string{bad}, "evaluate"},
		{"panic", run.Runner{Root: bad, NoCarveouts: true, Evaluate: func(context.Context, *lint.Engine, *lint.Input) (*lint.Report, error) {
			panic("evaluator bug")
		}}, []string{bad}, "evaluate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.r.Run(context.Background(), c.paths)
			var re *run.Error
			if !errors.As(err, &re) || re.Stage != c.stage {
				t.Fatalf("err = %v (%T), want a run error at stage %s", err, err, c.stage)
			}
			if strings.Contains(err.Error(), "goroutine ") {
				t.Fatalf("stack trace in %v", err)
			}
		})
	}
}

// TestChartFiles: a run that rendered a chart lists the chart's own files
// (what an audit names as judged); a run without a chart lists none.
func TestChartFiles(t *testing.T) {
	r := run.Runner{Root: "../..", Now: now, Chart: load.ChartSettings{Values: []string{"../../charts/certctl/values-tls.yaml"}}}
	res, err := r.Run(context.Background(), []string{"../../charts/certctl"})
	if err != nil {
		t.Fatal(err)
	}
	files, err := res.ChartFiles()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(files, func(f load.ChartFile) bool { return f.Path == "charts/certctl/Chart.yaml" && len(f.SHA256) == 64 }) {
		t.Fatalf("chart files %v", files)
	}
	dir := write(t, map[string]string{"docker-compose.yml": noToken})
	res, err = run.Runner{Root: dir, Now: now}.Run(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if files, err := res.ChartFiles(); err != nil || len(files) != 0 {
		t.Fatalf("a compose run lists chart files %v (%v)", files, err)
	}
}

// TestNoPathsWalksTheRoot: without paths a run walks its Root, wherever the
// working directory is.
func TestNoPathsWalksTheRoot(t *testing.T) {
	dir := write(t, map[string]string{"compose/docker-compose.yml": noToken})
	res, err := run.Runner{Root: dir, Now: now}.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Report.Findings, func(f lint.Finding) bool {
		return f.Rule == "SEC-H1" && f.File == "compose/docker-compose.yml"
	}) {
		t.Fatalf("findings %v", res.Report.Findings)
	}
}
