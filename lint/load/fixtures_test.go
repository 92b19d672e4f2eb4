package load_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/load"
)

// TestKindsTable: every entry of the registration table is complete, named
// once, and has fixtures under testdata/<name> or a test that names it.
func TestKindsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range load.Kinds {
		if k.Name == "" || k.Doc == "" || k.Detect == nil || k.Load == nil {
			t.Errorf("incomplete kind %+v", k)
		}
		if seen[k.Name] {
			t.Errorf("kind %s registered twice", k.Name)
		}
		seen[k.Name] = true
	}
	for _, want := range []string{"compose", "chart", "manifest"} {
		if !seen[want] {
			t.Errorf("kind %s is not registered", want)
		}
	}
}

var wantComment = regexp.MustCompile(`# want: ([A-Z0-9 -]+)$`)

// TestManifestFixtures is the driver for testdata/manifest: a "# want: RULE..."
// comment states the findings expected on its line, and the test fails on both
// missing and unexpected findings (at every severity).
func TestManifestFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "manifest", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	eng, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i, line := range strings.Split(string(src), "\n") {
				if m := wantComment.FindStringSubmatch(line); m != nil {
					for _, rule := range strings.Fields(m[1]) {
						want = append(want, fmt.Sprintf("%d %s", i+1, rule))
					}
				}
			}
			in, err := load.Load(context.Background(), []string{file}, load.Options{})
			if err != nil {
				t.Fatal(err)
			}
			in.Meta.CertctlVersion = lint.DefaultCertctlVersion
			r, err := eng.Eval(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Findings {
				if f.File != file {
					t.Errorf("finding outside the fixture: %+v", f)
				}
				got = append(got, fmt.Sprintf("%d %s", f.Line, f.Rule))
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("findings (line rule)\n got: %q\nwant: %q", got, want)
			}
		})
	}
}
