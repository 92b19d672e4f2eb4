package lint_test

import (
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
)

func helmPart(id, sha string, rel string) *lint.Input {
	return &lint.Input{
		Files:     []*lint.File{{ID: id, Path: id, Kind: lint.FileHelmValues, SHA256: sha}},
		Envs:      []lint.Env{{ID: rel + " env"}},
		Manifests: []lint.Object{{Ref: &lint.Ref{File: id}}},
		Releases:  []lint.Release{{ID: rel, ChartPath: "charts/certctl"}},
	}
}

// Merge appends the lists of two inputs: two chart renders keep both
// releases (the second no longer replaces the first), a file both carry is
// kept once, and the sections only other carries are taken over.
func TestMergeAppends(t *testing.T) {
	in := helmPart("charts/certctl/values.yaml", "aa", "charts/certctl profile ha")
	in.Skipped = []lint.Skipped{{Path: "a.yaml", Reason: "r"}}
	shared := in.Files[0]
	other := helmPart("charts/certctl/values-demo.yaml", "bb", "charts/certctl profile demo")
	other.Files = append(other.Files, shared, &lint.File{ID: shared.ID, Path: shared.Path, Kind: shared.Kind, SHA256: shared.SHA256})
	other.Compose = []lint.Object{{Ref: &lint.Ref{File: "c.yml"}}}
	other.Skipped = []lint.Skipped{{Path: "b.yaml", Reason: "r"}}
	other.Carveouts = []lint.CarveoutFact{}
	other.Host = &lint.HostFacts{}
	other.Probes = map[string]lint.ProbeFacts{"db": {Name: "db"}}
	other.Meta = lint.Meta{CertctlVersion: "2.2.0", NowUnix: 7}
	if err := in.Merge(other); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range in.Files {
		ids = append(ids, f.ID)
	}
	if got := strings.Join(ids, " "); got != "charts/certctl/values.yaml charts/certctl/values-demo.yaml" {
		t.Errorf("files %s", got)
	}
	if len(in.Envs) != 2 || len(in.Manifests) != 2 || len(in.Compose) != 1 {
		t.Errorf("envs %d, manifests %d, compose %d", len(in.Envs), len(in.Manifests), len(in.Compose))
	}
	if len(in.Releases) != 2 || in.Releases[0].ID != "charts/certctl profile ha" || in.Releases[1].ID != "charts/certctl profile demo" {
		t.Errorf("releases %+v", in.Releases)
	}
	if len(in.Skipped) != 2 || in.Skipped[1].Path != "b.yaml" {
		t.Errorf("skipped %+v", in.Skipped)
	}
	if in.Carveouts == nil || in.Host != other.Host || len(in.Probes) != 1 {
		t.Errorf("sections carveouts %v host %v probes %v", in.Carveouts, in.Host, in.Probes)
	}
	if in.Meta.CertctlVersion != "2.2.0" || in.Meta.NowUnix != 7 {
		t.Errorf("meta %+v", in.Meta)
	}
	// An empty list keeps its section present: input.skipped: [] stays [].
	empty := &lint.Input{}
	if err := empty.Merge(&lint.Input{Skipped: []lint.Skipped{}}); err != nil {
		t.Fatal(err)
	}
	if empty.Skipped == nil || empty.Releases != nil {
		t.Errorf("skipped %#v, releases %#v", empty.Skipped, empty.Releases)
	}
}

// Merge refuses what one input can hold only once, names it, and leaves in
// as it was.
func TestMergeRefusesConflicts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    func() *lint.Input
		other func() *lint.Input
		want  string
	}{
		{
			name:  "probes",
			in:    func() *lint.Input { return &lint.Input{Probes: map[string]lint.ProbeFacts{}} },
			other: func() *lint.Input { return &lint.Input{Probes: map[string]lint.ProbeFacts{"db": {}}} },
			want:  "input.probes",
		},
		{
			name:  "host",
			in:    func() *lint.Input { return &lint.Input{Host: &lint.HostFacts{}} },
			other: func() *lint.Input { return &lint.Input{Host: &lint.HostFacts{}} },
			want:  "input.host",
		},
		{
			name:  "carve-outs, even empty",
			in:    func() *lint.Input { return &lint.Input{Carveouts: []lint.CarveoutFact{}} },
			other: func() *lint.Input { return &lint.Input{Carveouts: []lint.CarveoutFact{}} },
			want:  "input.carveouts",
		},
		{
			name:  "meta",
			in:    func() *lint.Input { return &lint.Input{Meta: lint.Meta{CertctlVersion: "2.1.4"}} },
			other: func() *lint.Input { return &lint.Input{Meta: lint.Meta{CertctlVersion: "2.2.0"}} },
			want:  `meta.certctl_version differs: "2.1.4" and "2.2.0"`,
		},
		{
			name:  "clock",
			in:    func() *lint.Input { return &lint.Input{Meta: lint.Meta{NowUnix: 1}} },
			other: func() *lint.Input { return &lint.Input{Meta: lint.Meta{NowUnix: 2}} },
			want:  "meta.now_unix differs: 1 and 2",
		},
		{
			name:  "file ID with other content",
			in:    func() *lint.Input { return helmPart("values.yaml", "aa", "r1") },
			other: func() *lint.Input { return helmPart("values.yaml", "bb", "r2") },
			want:  "file values.yaml: two different files with this ID",
		},
		{
			name:  "file ID without a digest",
			in:    func() *lint.Input { return helmPart("values.yaml", "", "r1") },
			other: func() *lint.Input { return helmPart("values.yaml", "", "r2") },
			want:  "file values.yaml",
		},
		{
			name:  "release ID",
			in:    func() *lint.Input { return helmPart("a.yaml", "aa", "charts/certctl") },
			other: func() *lint.Input { return helmPart("b.yaml", "bb", "charts/certctl") },
			want:  "release charts/certctl",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in()
			before, err := in.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			err = in.Merge(tc.other())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Merge = %v, want an error naming %q", err, tc.want)
			}
			after, err := in.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(before) != string(after) {
				t.Errorf("a refused merge changed the input:\n%s\n%s", before, after)
			}
		})
	}
}

// TestMergeMany: several inputs merge in one call, each checked against in
// and the ones before it; a conflict among them changes nothing.
func TestMergeMany(t *testing.T) {
	in := &lint.Input{}
	a := helmPart("a.yaml", "aa", "rel a")
	b := helmPart("b.yaml", "bb", "rel b")
	if err := in.Merge(a, b); err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 2 || len(in.Releases) != 2 || len(in.Envs) != 2 {
		t.Fatalf("files %d releases %d envs %d", len(in.Files), len(in.Releases), len(in.Envs))
	}
	in = &lint.Input{}
	clash := helmPart("a.yaml", "cc", "rel c")
	if err := in.Merge(a, clash); err == nil || !strings.Contains(err.Error(), "file a.yaml") {
		t.Fatalf("Merge(a, clash) = %v, want the file conflict", err)
	}
	if len(in.Files) != 0 || len(in.Releases) != 0 {
		t.Fatalf("a refused merge changed in: %+v", in)
	}
	one, two := &lint.Input{Host: &lint.HostFacts{}}, &lint.Input{Host: &lint.HostFacts{}}
	if err := (&lint.Input{}).Merge(one, two); err == nil || !strings.Contains(err.Error(), "input.host") {
		t.Fatalf("two host sections in one call: %v", err)
	}
}
