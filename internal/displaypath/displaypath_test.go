package displaypath

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRel(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Dir(root)
	for _, c := range []struct {
		name, root, p, want string
	}{
		{"inside", root, filepath.Join(root, "sub", "a.yaml"), "sub/a.yaml"},
		{"inside, unclean", root, root + "/sub/../b.yaml", "b.yaml"},
		{"the root itself", root, root, "."},
		{"outside", root, filepath.Join(outside, "c.yaml"), filepath.ToSlash(filepath.Join(outside, "c.yaml"))},
		{"a sibling sharing the root's prefix", root, root + "x/d.yaml", filepath.ToSlash(root + "x/d.yaml")},
		{"no root", "", filepath.Join(root, "sub", "a.yaml"), filepath.ToSlash(filepath.Join(root, "sub", "a.yaml"))},
		{"no root, relative", "", "./sub/../e.yaml", "e.yaml"},
		{"a relative root", "sub", filepath.Join(root, "sub", "a.yaml"), filepath.ToSlash(filepath.Join(root, "sub", "a.yaml"))},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Rel(c.root, c.p); got != c.want {
				t.Errorf("Rel(%q, %q) = %q, want %q", c.root, c.p, got, c.want)
			}
		})
	}
}

// TestRelReadsRelativePathsAgainstTheWorkingDirectory: a relative path is the
// file below the working directory, shown relative to the root.
func TestRelReadsRelativePathsAgainstTheWorkingDirectory(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "sub")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	if got, want := Rel(root, "f.yaml"), "sub/f.yaml"; got != want {
		t.Errorf("Rel(root, f.yaml) from root/sub = %q, want %q", got, want)
	}
	if got, want := Rel(sub, "../g.yaml"), "../g.yaml"; got != want {
		t.Errorf("Rel(root/sub, ../g.yaml) = %q, want %q (outside the root: as given, cleaned)", got, want)
	}
}
