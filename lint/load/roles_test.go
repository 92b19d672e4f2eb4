package load_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/load"
)

var testdata = filepath.Join("..", "..", "testdata")

// evalPaths loads paths and evaluates them with the whole catalog.
func evalPaths(t *testing.T, paths []string, opts load.Options) (*lint.Input, *lint.Report) {
	t.Helper()
	in, err := load.Load(context.Background(), paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	in.Meta.CertctlVersion = lint.DefaultCertctlVersion
	in.Meta.NowUnix = time.Now().Unix()
	eng, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r, err := eng.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return in, r
}

func rulesOf(r *lint.Report, subject string) []string {
	var out []string
	for _, f := range r.Findings {
		if strings.Contains(f.Subject, subject) || strings.Contains(f.Message, subject) {
			out = append(out, f.Rule)
		}
	}
	return out
}

func roleOf(in *lint.Input, container string) string {
	for _, e := range in.Envs {
		if e.Labels["container"] == container {
			return e.Role
		}
	}
	return ""
}

// TestAPILabelledServerIsJudged: a Deployment labelled component=api running
// the server image is the server of its stream: env rules, DEPL-H1 and DEPL-M3
// judge it, while its sidecar stays "other".
func TestAPILabelledServerIsJudged(t *testing.T) {
	in, r := evalPaths(t, []string{filepath.Join(testdata, "roles", "api-server.yaml")}, load.Options{})
	if got := roleOf(in, "app"); got != lint.RoleServer {
		t.Fatalf("container app: role %q, want server", got)
	}
	if got := roleOf(in, "proxy"); got != lint.RoleOther {
		t.Errorf("sidecar proxy: role %q, want other", got)
	}
	rules := rulesOf(r, "pki")
	for _, want := range []string{"DEPL-H1", "DEPL-M3"} {
		if !slices.Contains(rules, want) {
			t.Errorf("no %s finding on the api-labelled server; findings: %v", want, rules)
		}
	}
	envRule := false
	for _, f := range r.Findings {
		if strings.Contains(f.Subject, "container app") && f.Rule != "CFG-ROLE" {
			envRule = true
		}
		if strings.Contains(f.Subject, "container proxy") {
			t.Errorf("the sidecar was judged: %+v", f)
		}
		if f.Rule == "CFG-ROLE" {
			t.Errorf("unexpected CFG-ROLE finding: %s", f.Message)
		}
	}
	if !envRule {
		t.Errorf("no environment rule judged the server container; findings: %v", r.Findings)
	}
}

// TestLabelDisagreesWithImage: the image decides, and the label is a warning.
func TestLabelDisagreesWithImage(t *testing.T) {
	in, r := evalPaths(t, []string{filepath.Join(testdata, "roles", "label-mismatch.yaml")}, load.Options{})
	if got := roleOf(in, "certctl"); got != lint.RoleServer {
		t.Fatalf("role %q, want server (the image)", got)
	}
	var found *lint.Finding
	for i, f := range r.Findings {
		if f.Rule == "CFG-ROLE" {
			found = &r.Findings[i]
		}
	}
	if found == nil {
		t.Fatalf("no CFG-ROLE finding: %v", r.Findings)
	}
	if found.Severity != lint.SeverityWarning || !strings.Contains(found.Message, "component=agent") || !strings.Contains(found.Message, "registry.example.com/mirror/certctl:2.2.0") {
		t.Errorf("finding %s %q", found.Severity, found.Message)
	}
	if found.Line != 16 {
		t.Errorf("CFG-ROLE at line %d, want 16 (the container)", found.Line)
	}
}

// TestRolesOverrideKubernetes: certgate.yaml roles: names a Kubernetes
// workload's role when nothing in the stream does.
func TestRolesOverrideKubernetes(t *testing.T) {
	file := filepath.Join(testdata, "roles", "custom-image.yaml")
	in, r := evalPaths(t, []string{file}, load.Options{})
	if got := roleOf(in, "pki"); got != lint.RoleOther {
		t.Fatalf("without roles: role %q, want other", got)
	}
	if !slices.Contains(rulesOf(r, "nothing certgate judges"), "CFG-ROLE") {
		t.Errorf("no 'nothing judged' warning without roles: %v", r.Findings)
	}
	for _, key := range []string{"Deployment/pki", "pki", "Deployment/pki/pki"} {
		cfg, err := config.Parse([]byte("roles:\n  "+key+": server\n"), "certgate.yaml")
		if err != nil {
			t.Fatal(err)
		}
		in, r := evalPaths(t, []string{file}, load.Options{Config: cfg})
		if got := roleOf(in, "pki"); got != lint.RoleServer {
			t.Fatalf("roles %s: role %q, want server", key, got)
		}
		if in.Manifests[0].Role != lint.RoleServer {
			t.Errorf("roles %s: workload role %q", key, in.Manifests[0].Role)
		}
		if !slices.Contains(rulesOf(r, "Deployment pki"), "DEPL-M3") {
			t.Errorf("roles %s: the server workload was not judged by DEPL-M3: %v", key, r.Findings)
		}
	}
}

// TestStreamWithoutServer: objects without a certctl server or agent are a
// warning, not a silent pass; an empty stream stays an error.
func TestStreamWithoutServer(t *testing.T) {
	_, r := evalPaths(t, []string{filepath.Join(testdata, "roles", "no-server.yaml")}, load.Options{})
	var msgs []string
	for _, f := range r.Findings {
		if f.Rule == "CFG-ROLE" && f.Severity == lint.SeverityWarning {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "nothing certgate judges was found in") || !strings.Contains(msgs[0], "no-server.yaml") {
		t.Fatalf("CFG-ROLE warnings %q; findings %v", msgs, r.Findings)
	}
	if r.ExitCode(lint.SeverityWarning) != lint.ExitFindings {
		t.Errorf("--fail-on warning passes a stream with nothing judged")
	}
	if _, err := load.Load(context.Background(), []string{"-"}, load.Options{Stdin: strings.NewReader("# nothing\n")}); err == nil {
		t.Error("an empty stream loaded")
	}
}

// TestValuesIntentPDBOnOneReplica: a values file asks for a PDB, the chart
// skips it on one replica: DEPL-H1 errs at the values key.
func TestValuesIntentPDBOnOneReplica(t *testing.T) {
	chart := filepath.Join(testdata, "charts", "intent")
	values := filepath.ToSlash(filepath.Join(chart, "values-pdb.yaml"))
	for _, opts := range []load.Options{
		{Chart: load.ChartSettings{Values: []string{values}}},
		{Chart: load.ChartSettings{Set: []string{"podDisruptionBudget.enabled=true"}}},
	} {
		_, r := evalPaths(t, []string{chart}, opts)
		var got []lint.Finding
		for _, f := range r.Findings {
			if f.Rule == "DEPL-H1" && strings.Contains(f.Message, "holds no PodDisruptionBudget") {
				got = append(got, f)
			}
		}
		if len(got) != 1 {
			t.Fatalf("%v: DEPL-H1 values-intent findings %v; all %v", opts.Chart.Values, got, r.Findings)
		}
		f := got[0]
		if f.Severity != lint.SeverityError || !strings.Contains(f.Message, "single replica") {
			t.Errorf("finding %s %q", f.Severity, f.Message)
		}
		if len(opts.Chart.Values) > 0 && (f.File != values || f.Line != 3) {
			t.Errorf("at %s, want %s:3", f.Location(), values)
		}
		if len(opts.Chart.Set) > 0 && (f.File != "--set" || f.Path != "podDisruptionBudget.enabled") {
			t.Errorf("at %s, want --set (podDisruptionBudget.enabled)", f.Location())
		}
	}
	// Without the values file the chart's default (off) asks for nothing.
	_, r := evalPaths(t, []string{chart}, load.Options{})
	for _, f := range r.Findings {
		if strings.Contains(f.Message, "holds no PodDisruptionBudget") {
			t.Errorf("finding without the values file: %+v", f)
		}
	}
}

// TestRenderedFindingsPointAtTemplateLines: findings on a rendered object
// point at the template's own line (or at the values line behind them), never
// at a line of the rendered text under the template's name.
func TestRenderedFindingsPointAtTemplateLines(t *testing.T) {
	chart := filepath.Join(testdata, "charts", "intent")
	_, r := evalPaths(t, []string{chart}, load.Options{})
	tmpl := filepath.ToSlash(filepath.Join(chart, "templates", "server.yaml"))
	src, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	onTemplate, onValues := 0, 0
	for _, f := range r.Findings {
		switch f.File {
		case tmpl:
			onTemplate++
			if f.Line == 0 {
				continue
			}
			// The line must be the one that writes what the path names.
			last := f.Path[strings.LastIndexAny(f.Path, ".]")+1:]
			text := lines[f.Line-1]
			if !strings.Contains(f.Path, "containers[0]") && !strings.Contains(text, last+":") {
				t.Errorf("%s %s at %s: template line %q does not write %s", f.Rule, f.Path, f.Location(), text, last)
			}
			if strings.Contains(f.Path, "containers[0]") && !strings.Contains(text, "- name: server") && !strings.Contains(text, "CERTCTL_") {
				t.Errorf("%s %s at %s: template line %q is not the container's", f.Rule, f.Path, f.Location(), text)
			}
		case filepath.ToSlash(filepath.Join(chart, "values.yaml")):
			onValues++
		}
	}
	if onTemplate == 0 || onValues == 0 {
		t.Fatalf("want findings on the template and on values.yaml: %v", r.Findings)
	}
}

// TestMissingChartDependencies: a chart whose dependencies are not vendored is
// an error naming them, as helm template refuses it.
func TestMissingChartDependencies(t *testing.T) {
	_, err := load.Load(context.Background(), []string{filepath.Join(testdata, "charts", "missing-dep")}, load.Options{})
	if err == nil {
		t.Fatal("a chart without its dependencies loaded")
	}
	for _, want := range []string{"postgresql (15.5.0, from https://charts.example.com/stable)", "common", "helm dependency build"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
