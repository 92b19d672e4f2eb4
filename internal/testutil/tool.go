package testutil

import (
	"testing"

	"github.com/certgate/certgate/internal/gotool"
)

// Tool finds a CLI a test runs (gotool.Find) and fails the test naming the
// go install command that provides it.
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	p, err := gotool.Find(name)
	if err != nil {
		t.Fatalf("%v; install it with go install %s (make tools)", err, install)
	}
	return p
}
