package compose_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/compose"
)

// TestBaseDotenvUnreadable: the .env beside a base compose file is read when
// it exists; one that exists but cannot be read (a symlink loop, a directory,
// no permission) is an error naming it, never skipped. A .env that does not
// exist (or a symlink to nothing, which docker compose skips too) is no error.
func TestBaseDotenvUnreadable(t *testing.T) {
	good := "services:\n  server:\n    image: x:1\n"
	cases := map[string]func(t *testing.T, dir string) string{
		"symlink-loop": func(t *testing.T, dir string) string {
			if err := os.Symlink(".env", filepath.Join(dir, ".env")); err != nil {
				t.Skip("no symlinks here:", err)
			}
			return "symbolic links"
		},
		"directory": func(t *testing.T, dir string) string {
			if err := os.Mkdir(filepath.Join(dir, ".env"), 0o755); err != nil {
				t.Fatal(err)
			}
			return "directory"
		},
		"permission": func(t *testing.T, dir string) string {
			if os.Geteuid() == 0 {
				t.Skip("root reads a file without permission")
			}
			if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("A=1\n"), 0); err != nil {
				t.Fatal(err)
			}
			return "permission denied"
		},
		"bom-and-nul": func(t *testing.T, dir string) string {
			write(t, dir, ".env", "\uFEFFA=1\nCERTCTL_X=a\x00\n")
			return ".env:2: CERTCTL_X"
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "docker-compose.yml", good)
			want := setup(t, dir)
			_, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir})
			if err == nil || !strings.Contains(err.Error(), ".env") || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want it to name .env and say %q", err, want)
			}
			if strings.Contains(err.Error(), dir) {
				t.Errorf("error %q carries the absolute path", err)
			}
		})
	}
	for name, setup := range map[string]func(dir string) error{
		"absent":   func(string) error { return nil },
		"dangling": func(dir string) error { return os.Symlink("nowhere.env", filepath.Join(dir, ".env")) },
		"bom": func(dir string) error {
			return os.WriteFile(filepath.Join(dir, ".env"), []byte("\uFEFFIMAGE=x:1\r\n"), 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "docker-compose.yml", good)
			if err := setup(dir); err != nil {
				t.Skip(err)
			}
			if _, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
