package carveout_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
)

// FuzzInline: the inline carve-out comments of any .env or YAML text either
// validate or are an error, never both and never neither; the scan never
// panics, every carve-out it finds is at a line of the text, and the ref of
// every carve-out entry locates at that line through the file's locator.
func FuzzInline(f *testing.F) {
	var fixtures []string
	for _, g := range []string{"compose/*/*.yml", "compose/*/.env", "compose/*/*.env", "dotenv/*.env", "compose-boot/*.env", "bench/*.env", "manifest/*.yaml", "mount/*.yaml"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "testdata", filepath.FromSlash(g)))
		fixtures = append(fixtures, m...)
	}
	if len(fixtures) == 0 {
		f.Fatal("no fixtures")
	}
	for _, p := range fixtures {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, filepath.Ext(p) == ".env")
	}
	for _, s := range []struct {
		src    string
		dotenv bool
	}{
		{"A=1 # certgate:ignore SEC-L3 reason=\"demo only\" until=2027-01-01 owner=ops\n", true},
		{"# certgate:ignore SEC-L3\nA=1\n", true},
		{"A=1 # certgate:ignore SEC-L3 colour=red\n", true},
		{"a: 1 # certgate:ignore SEC-L3 reason=r until=2027-01-01 owner=o\n", false},
		{"a: \"x # certgate:ignore SEC-L3\"\nb: |\n  # certgate:ignore SEC-L3\n", false},
		{"a: 'it''s # certgate:ignore SEC-L3'\n", false},
		{"a: !!str &x \"# certgate:ignore SEC-L3\" # certgate:ignore SEC-H1 reason=r\n", false},
		{"{{ if .x }}\n# certgate:ignore SEC-L3 reason=\"r\"\n{{ end }}\n", false},
		{"a: >\n\n  text\nb: 1 # certgate:ignore\n", false},
	} {
		f.Add([]byte(s.src), s.dotenv)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	catalog := []lint.Policy{{ID: "SEC-L3"}, {ID: "SEC-H1"}, {ID: "CFG-WAIVER"}}
	f.Fuzz(func(t *testing.T, src []byte, dotenv bool) {
		file := &lint.File{ID: "x.yaml", Path: "x.yaml", Kind: lint.FileCompose, Source: src}
		if dotenv {
			file.ID, file.Path, file.Kind = "x.env", "x.env", lint.FileDotenv
		} else {
			var n yaml.Node
			if yaml.Unmarshal(src, &n) == nil {
				file.Locator = lint.YAMLLocator{Docs: []*yaml.Node{&n}}
			}
		}
		in := &lint.Input{}
		in.AddFile(file)
		set, prep, err := carveout.Prepare(in, carveout.Register{}, catalog, at)
		if err != nil {
			if set != nil || prep != nil {
				t.Fatalf("an error and a carve-out set: %v", err)
			}
			return
		}
		if set == nil || prep == nil {
			t.Fatal("neither an error nor a carve-out set")
		}
		if err := prep.AddTo(in); err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, c := range set.Carveouts() {
			if !c.Inline || c.File != file.Path || c.Line < 1 || c.Line > lines {
				t.Fatalf("carve-out %s (inline %v) is at %s:%d, outside the text's %d lines", c.ID, c.Inline, c.File, c.Line, lines)
			}
		}
		entries := in.Carveouts
		if len(entries) != len(set.Carveouts()) {
			t.Fatalf("%d carve-out entries for %d carve-outs", len(entries), len(set.Carveouts()))
		}
		for i, e := range entries {
			ref := e.Ref
			located := in.File(ref.File)
			if ref.File != file.ID || located == nil || located.Locator == nil {
				t.Fatalf("carve-out ref %v does not name the located file %s", ref, file.ID)
			}
			if line, _ := located.Locator.Locate(ref.Doc, ref.Path); line != set.Carveouts()[i].Line {
				t.Fatalf("carve-out ref %v locates at line %d, not at its comment's line %d", ref, line, set.Carveouts()[i].Line)
			}
		}
	})
}
