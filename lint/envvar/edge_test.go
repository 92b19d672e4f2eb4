package envvar_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/envvar"
)

var dotenvFixtures = os.DirFS(filepath.Join("..", "..", "testdata", "dotenv"))

// TestDotenvBOMIsStripped: docker compose drops a leading UTF-8 byte-order
// mark; so does certgate, and the first variable keeps its name, line and
// column. The file's digest is of its bytes on disk.
func TestDotenvBOMIsStripped(t *testing.T) {
	d, err := envvar.LoadDotenv(dotenvFixtures, "bom.env", "deploy/.env")
	if err != nil {
		t.Fatal(err)
	}
	if d.Values["CERTCTL_MAX_BODY_SIZE"] != "10MB" || d.Values["CERTCTL_AUTH_TYPE"] != "api-key" {
		t.Errorf("values %q", d.Values)
	}
	if l, c := d.File.Locator.Locate(0, []any{"CERTCTL_MAX_BODY_SIZE"}); l != 2 || c != 1 {
		t.Errorf("CERTCTL_MAX_BODY_SIZE at %d:%d, want 2:1", l, c)
	}
	// A BOM before the first assignment itself.
	d, err = envvar.ParseDotenv([]byte("\uFEFFCERTCTL_A=1\n"), "x.env")
	if err != nil {
		t.Fatal(err)
	}
	if l, c := d.File.Locator.Locate(0, []any{"CERTCTL_A"}); d.Values["CERTCTL_A"] != "1" || l != 1 || c != 1 {
		t.Errorf("values %q, CERTCTL_A at %d:%d", d.Values, l, c)
	}
	raw, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "dotenv", "bom.env"))
	other, _ := envvar.ParseDotenv(raw[3:], "x.env")
	if d2, _ := envvar.LoadDotenv(dotenvFixtures, "bom.env", ""); d2.File.SHA256 == other.File.SHA256 {
		t.Error("the digest ignores the byte-order mark")
	}
}

// TestDotenvControlCharacters: a NUL or another control character in a value,
// written in the file or made by an escape, is an error naming the file, the
// line and the variable; tabs, newlines in quoted values and CRLF line ends are
// not, nor is a control character in a comment (compose never reads it).
func TestDotenvControlCharacters(t *testing.T) {
	bad := map[string]struct {
		src  string
		want string
	}{
		"nul":           {"CERTCTL_A=1\nCERTCTL_MAX_BODY_SIZE=1048576\x00\n", "x.env:2: CERTCTL_MAX_BODY_SIZE: "},
		"nul-quoted":    {"CERTCTL_A=\"a\x00b\"\n", "x.env:1: CERTCTL_A: "},
		"nul-multiline": {"CERTCTL_A='first\nsecond\x00'\n", "x.env:2: CERTCTL_A: "},
		"escape":        {"CERTCTL_A=1\nCERTCTL_B=\"a\\ab\"\n", "x.env:2: CERTCTL_B: "},
		"esc-sequence":  {"CERTCTL_A=\x1b[31mred\n", "x.env:1: CERTCTL_A: "},
		"lone-cr":       {"CERTCTL_A=\"a\rb\"\n", "x.env:1: CERTCTL_A: "},
		"del":           {"CERTCTL_A=a\x7fb\n", "x.env:1: CERTCTL_A: "},
	}
	for name, c := range bad {
		_, err := envvar.ParseDotenv([]byte(c.src), "x.env")
		if err == nil || !strings.Contains(err.Error(), "env file "+c.want) || !strings.Contains(err.Error(), "control character") {
			t.Errorf("%s: err = %v, want %q and the control character", name, err, c.want)
		}
	}
	if _, err := envvar.LoadDotenv(dotenvFixtures, "nul.env", "deploy/nul.env"); err == nil || !strings.Contains(err.Error(), "deploy/nul.env:2: CERTCTL_MAX_BODY_SIZE: ") || !strings.Contains(err.Error(), "U+0000") {
		t.Errorf("nul.env: err = %v", err)
	}
	good := map[string]map[string]string{
		"CERTCTL_A=a\tb\n":                      {"CERTCTL_A": "a\tb"},
		"CERTCTL_A=\"one\ntwo\"\n":              {"CERTCTL_A": "one\ntwo"},
		"CERTCTL_A=\"one\\ntwo\"\n":             {"CERTCTL_A": "one\ntwo"},
		"CERTCTL_A=1\r\nCERTCTL_B='x\r\ny'\r\n": {"CERTCTL_A": "1", "CERTCTL_B": "x\r\ny"},
		"# note\x01\nCERTCTL_A=1 # c\x00\n":     {"CERTCTL_A": "1"},
		"CERTCTL_A=${UNSET}\n":                  {"CERTCTL_A": ""},
	}
	for src, want := range good {
		d, err := envvar.ParseDotenv([]byte(src), "x.env")
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		for k, v := range want {
			if d.Values[k] != v {
				t.Errorf("%q: %s = %q, want %q", src, k, d.Values[k], v)
			}
		}
	}
}

// TestDotenvUnreadable: a .env that cannot be read is an error naming it.
func TestDotenvUnreadable(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink("loop.env", filepath.Join(dir, "loop.env")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.env"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{"loop.env": "symbolic links", "dir.env": "directory"}
	if os.Geteuid() != 0 { // root reads a file without permission
		if err := os.WriteFile(filepath.Join(dir, "secret.env"), []byte("A=1\n"), 0); err != nil {
			t.Fatal(err)
		}
		cases["secret.env"] = "permission denied"
	}
	for name, want := range cases {
		_, err := envvar.LoadDotenv(os.DirFS(dir), name, "deploy/"+name)
		if err == nil || !strings.Contains(err.Error(), "deploy/"+name) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", name, err, want)
		}
	}
}
