package load

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
	"github.com/certgate/certgate/lint/kube"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"

func TestDetectChartAndManifest(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(dir, "mychart")
	write(t, chart, "Chart.yaml", "apiVersion: v2\nname: mychart\nversion: 0.1.0\n")
	cases := map[string]string{
		chart:                                "chart",
		write(t, dir, "deploy/app.yaml", cm): "manifest",
		write(t, dir, "deploy/app.yml", "# c\n---\n"+cm):                   "manifest",
		write(t, dir, "values.yaml", "server:\n  replicas: 1\n"):           "",
		write(t, dir, "notes.txt", cm):                                     "",
		write(t, dir, "docker-compose.yml", "services: {a: {image: x}}\n"): "compose",
		filepath.Join(chart, "Chart.yaml"):                                 "",
	}
	for p, want := range cases {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := detect(p, st.IsDir()); got != want {
			t.Errorf("%s: detected %q, want %q", p, got, want)
		}
	}
}

// TestWalkClaimsChartOnce: a chart directory is claimed as a whole (its
// templates are never loaded as manifests), and testdata is skipped.
func TestWalkClaimsChartOnce(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
	write(t, dir, "c/templates/cm.yaml", cm)
	write(t, dir, "testdata/broken.yaml", "apiVersion: v1\nkind: [\n")
	write(t, dir, "m.yaml", cm)
	byKind := map[string][]string{}
	if err := walk(dir, byKind, new([]lint.Skipped)); err != nil {
		t.Fatal(err)
	}
	if len(byKind["chart"]) != 1 || len(byKind["manifest"]) != 1 || !strings.HasSuffix(byKind["manifest"][0], "m.yaml") {
		t.Fatalf("walk found %v", byKind)
	}
}

func TestLoadStdinStream(t *testing.T) {
	in, err := Load(context.Background(), []string{"-"}, Options{Stdin: strings.NewReader(cm)})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Manifests) != 1 || in.Files[0].Path != StdinName || in.Manifests[0].Labels["release"] != StdinName {
		t.Fatalf("manifests %+v files %+v", in.Manifests, in.Files)
	}
	_, err = Load(context.Background(), []string{"-"}, Options{Stdin: strings.NewReader("")})
	if !errors.Is(err, kube.ErrEmpty) {
		t.Fatalf("empty stdin: %v", err)
	}
}

func TestDeclaredChartProfiles(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	cfg := &config.Config{Dir: root, Charts: []config.Chart{{
		Path:        "charts/certctl",
		ReleaseName: "rel",
		Profiles: map[string]config.Profile{
			"default": {Values: []string{"charts/certctl/values-tls.yaml"}},
			"ha":      {Values: []string{"charts/certctl/values-tls.yaml", "charts/certctl/values-ha.yaml"}},
		},
	}}}
	opts := Options{Root: root, Config: cfg}
	if got := DeclaredCharts(opts); len(got) != 1 || got[0] != "charts/certctl" {
		t.Fatalf("DeclaredCharts = %v", got)
	}
	in, err := loadCharts(context.Background(), []string{"charts/certctl"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	rels := in.Releases
	if len(rels) != 2 {
		t.Fatalf("releases = %d, want one per profile", len(rels))
	}
	for _, r := range rels {
		if r.Name != "rel" || !strings.HasPrefix(r.ID, "charts/certctl profile ") {
			t.Errorf("release %v %v", r.ID, r.Name)
		}
	}
	// -f describes the one render: profiles do not apply.
	opts.Chart.Values = []string{"charts/certctl/values-tls.yaml", "charts/certctl/values-ha.yaml"}
	opts.Chart.ReleaseName = "flag"
	in, err = loadCharts(context.Background(), []string{"charts/certctl"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	rels = in.Releases
	if len(rels) != 1 || rels[0].ID != "charts/certctl" || rels[0].Name != "flag" {
		t.Fatalf("releases with -f: %+v", rels)
	}
}
