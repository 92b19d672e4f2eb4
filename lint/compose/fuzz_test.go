package compose_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/compose"
)

// FuzzLoad: a directory holding the fuzzed docker-compose.yml (and, when the
// second input is not empty, a docker-compose.prod.yml overlay) either loads or
// is an error, never both and never neither; it never panics, and every ref
// the loader produces (environments, variables, projects) locates inside its
// file.
func FuzzLoad(f *testing.F) {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "compose", "*"))
	if err != nil || len(dirs) == 0 {
		f.Fatalf("no compose fixtures: %v", err)
	}
	for _, d := range dirs {
		base, err := os.ReadFile(filepath.Join(d, "docker-compose.yml"))
		if err != nil {
			continue
		}
		f.Add(base, []byte(nil))
		overlays, _ := filepath.Glob(filepath.Join(d, "docker-compose.*.yml"))
		for _, o := range overlays {
			if ov, err := os.ReadFile(o); err == nil {
				f.Add(base, ov)
			}
		}
	}
	for _, s := range [][2]string{
		{"", ""},
		{"services: {}\n", ""},
		{"services:\n  certctl:\n    image: ghcr.io/certctl/certctl:v2.1.7\n    environment:\n      CERTCTL_AUTH_TYPE: ${AUTH:-none}\n", "services:\n  certctl:\n    environment: [CERTCTL_AUTH_TYPE=api-key]\n"},
		{"services:\n  s:\n    image: x\n    environment: &e {A: 1}\n  t:\n    image: x\n    environment: *e\n", ""},
		{"- not a mapping\n", ""},
		{"services:\n  s:\n    image: x\n    environment:\n      A: ${B:?required}\n", "services: [1]\n"},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, base, overlay []byte) {
		dir := t.TempDir()
		write := func(name string, b []byte) {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("docker-compose.yml", base)
		if len(overlay) > 0 {
			write("docker-compose.prod.yml", overlay)
		}
		in, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir})
		if err != nil {
			if in != nil {
				t.Fatalf("an error and an input: %v", err)
			}
			return
		}
		if in == nil {
			t.Fatal("neither an error nor an input")
		}
		for _, e := range in.Envs {
			checkRef(t, in, "environment "+e.ID, e.Ref)
			for name, v := range e.Vars {
				checkRef(t, in, "variable "+name+" of "+e.ID, v.Ref)
			}
		}
		for _, o := range in.Manifests {
			checkRef(t, in, "object", o.Ref)
		}
	})
}

// checkRef fails unless ref names a file of in and, where that file has a
// locator and its text, locates at a line inside that text.
func checkRef(t *testing.T, in *lint.Input, what string, ref *lint.Ref) {
	t.Helper()
	if ref == nil {
		return
	}
	file := in.File(ref.File)
	if file == nil {
		t.Fatalf("%s: ref file %q is not among the input files", what, ref.File)
	}
	if file.Locator == nil || file.Source == nil {
		return // positions unknown: findings name the file and path
	}
	lines := yamlLines(file.Source)
	line, col := file.Locator.Locate(ref.Doc, ref.Path)
	if line < 1 || line > lines || col < 1 {
		t.Fatalf("%s: ref %s doc %d %v locates at %d:%d, outside its %d lines", what, ref.File, ref.Doc, ref.Path, line, col, lines)
	}
}

// yamlLines counts lines as YAML (and yaml.v3's positions) does: "\r\n", a lone
// "\r" and "\n" each end a line, so a file written with old Mac line ends
// locates where an editor shows it.
func yamlLines(src []byte) int {
	n := 1
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			n++
		case '\r':
			n++
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		}
	}
	return n
}
