package config_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
	"github.com/certgate/certgate/lint/config"
)

// catalog is enough of the policy catalog for carve-outs to validate.
var catalog = []lint.Policy{{ID: "SEC-L3"}, {ID: "SEC-H1"}, {ID: "DEPL-M2"}, {ID: "CFG-WAIVER"}}

// FuzzParse: any certgate.yaml either parses or is an error, never both and
// never neither; it never panics, the roles it accepts are server, agent or
// other, and every carve-out of the register (described, and prepared when
// the register validates) is located at a line inside the file.
func FuzzParse(f *testing.F) {
	for _, p := range []string{
		filepath.Join("..", "..", "certgate.yaml"),
		filepath.Join("..", "..", "testdata", "audit", "repo", "certgate.yaml"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"certctl_version: 2.1.7\n",
		"roles: {certctl: server, worker: agent}\ndemo_globs: ['*.try.yml']\n",
		"carveouts:\n  - id: SEC-L3\n    paths: [compose/docker-compose.yml]\n    owner: ops\n    reason: r\n    expires: 2027-01-01\n",
		"carveouts:\n  - &c {id: SEC-H1, kind: documented, reason: r, action: a}\n  - *c\n",
		"charts:\n  - path: charts/certctl\n    profiles:\n      default: []\n      demo: {values: [a.yaml], demo: true}\n",
		"nope: 1\n",
		"roles: {x: root}\n",
		"demo_globs: ['[']\n",
		"--- \n---\ncarveouts: []\n",
	} {
		f.Add([]byte(s))
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := config.Parse(src, "certgate.yaml")
		if err != nil {
			if c != nil {
				t.Fatalf("an error and a config: %v", err)
			}
			return
		}
		if c == nil {
			t.Fatal("neither an error nor a config")
		}
		for name, role := range c.Roles {
			if role != "server" && role != "agent" && role != "other" {
				t.Fatalf("roles.%s: %q accepted", name, role)
			}
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		reg := carveout.FromConfig(c, "certgate.yaml")
		for i, co := range carveout.Describe(reg) {
			if co.Line < 1 || co.Line > lines {
				t.Fatalf("carveouts[%d] is described at line %d, outside the file's %d lines", i, co.Line, lines)
			}
		}
		in := &lint.Input{}
		set, prep, err := carveout.Prepare(in, reg, catalog, at)
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
		for _, co := range set.Carveouts() {
			if co.Line < 1 || co.Line > lines {
				t.Fatalf("carve-out %s is at line %d, outside the file's %d lines", co.Source, co.Line, lines)
			}
		}
		entries := in.Carveouts
		if len(entries) != len(set.Carveouts()) {
			t.Fatalf("%d carve-out entries for %d carve-outs", len(entries), len(set.Carveouts()))
		}
		for _, e := range entries {
			ref := e.Ref
			file := in.File(ref.File)
			if file == nil || file.Locator == nil {
				t.Fatalf("carve-out ref %v does not name a located file", ref)
			}
			if line, _ := file.Locator.Locate(ref.Doc, ref.Path); line < 1 || line > lines {
				t.Fatalf("carve-out ref %v locates at line %d, outside the file's %d lines", ref, line, lines)
			}
		}
	})
}
