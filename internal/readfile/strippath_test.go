package readfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestStripPath: the operation and path of a *fs.PathError go, whatever its
// cause; an error that is not one, or only wraps one, stays whole.
func TestStripPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.env")
	_, statErr := os.Stat(missing)
	_, readErr := File(missing)
	tooLarge := &fs.PathError{Op: "read", Path: "big.env", Err: &TooLargeError{Limit: 1 << 20}}
	wrapped := fmt.Errorf("chart x: %w", statErr)
	plain := errors.New("boom")
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"stat", statErr, "no such file or directory"},
		{"read", readErr, "no such file or directory"},
		{"too large", tooLarge, "larger than the input size limit of 1MiB (--max-input-size)"},
		{"wrapped", wrapped, wrapped.Error()},
		{"plain", plain, "boom"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := StripPath(c.err)
			if got == nil || got.Error() != c.want {
				t.Fatalf("StripPath(%v) = %v, want %q", c.err, got, c.want)
			}
		})
	}
	if !errors.Is(StripPath(statErr), fs.ErrNotExist) {
		t.Error("the cause of a missing file is no longer fs.ErrNotExist")
	}
	if StripPath(wrapped) != wrapped || StripPath(plain) != plain {
		t.Error("an error that is not a *fs.PathError is not returned as it is")
	}
	if StripPath(nil) != nil {
		t.Error("StripPath(nil) is not nil")
	}
}
