package envvar_test

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/certgate/certgate/lint/envvar"
)

// TestReadErrorNamesTheFileOnce: an env file that cannot be read is named
// once, by its display path, with the cause (no "open PATH:" of Go's own).
func TestReadErrorNamesTheFileOnce(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, load := range map[string]func() (*envvar.Dotenv, error){
		"LoadDotenv": func() (*envvar.Dotenv, error) { return envvar.LoadDotenv(fsys, "missing.env", "conf/missing.env") },
		"LoadDotenvRegular": func() (*envvar.Dotenv, error) {
			return envvar.LoadDotenvRegular(fsys, "missing.env", "conf/missing.env", nil)
		},
	} {
		_, err := load()
		if want := "read env file conf/missing.env: file does not exist"; err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: err = %v, not fs.ErrNotExist", name, err)
		}
	}
}
