// Package testutil holds what tests of several packages share: the repository
// root, the certgate binary built once per test process, and the OASIS SARIF
// schema (vendored in testdata/schemas).
package testutil

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// RepoRoot is the repository root, found from this file's own location so it
// holds whatever directory a test has changed to.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the testutil package")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	return root
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// CertgateBinary builds cmd/certgate once per test process, for tests that need
// a real process (exec replaces the process image; probes run as a user would).
func CertgateBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "certgate-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "certgate")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/certgate/certgate/cmd/certgate").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build cmd/certgate: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// SARIFSchema compiles the OASIS SARIF 2.1.0 schema vendored in
// testdata/schemas, so a clone of the repository alone runs every test.
func SARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(RepoRoot(t), "testdata", "schemas", "sarif-schema-2.1.0.json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("SARIF schema: %v", errors.Unwrap(err))
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// RemoveBinary deletes the binary CertgateBinary built, if any: from TestMain
// after m.Run (Main does both).
func RemoveBinary() {
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
}
