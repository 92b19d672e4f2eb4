package policies_test

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"

	"github.com/certgate/certgate/policies"
)

// TestRegoFormatted: every Rego file of the catalog, tests included, is as
// `opa fmt` writes it (fix with: opa fmt -w policies/).
func TestRegoFormatted(t *testing.T) {
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		got, err := format.SourceWithOpts(path, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if !bytes.Equal(got, src) {
			t.Errorf("policies/%s is not formatted: opa fmt -w policies/%s", path, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
