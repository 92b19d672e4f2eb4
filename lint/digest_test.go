package lint_test

import (
	"context"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestCatalogDigestMatchesEngine: certgate version names the catalog without
// compiling it, and must name it as every report does.
func TestCatalogDigestMatchesEngine(t *testing.T) {
	for name, opts := range map[string][]lint.Option{
		"built-in":      nil,
		"with --policy": {lint.WithPolicyDir("../testdata/userpolicies/example")},
	} {
		t.Run(name, func(t *testing.T) {
			eng, err := lint.New(context.Background(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := lint.CatalogDigest(opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got != eng.Digest() {
				t.Errorf("CatalogDigest() = %s, the engine reports %s", got, eng.Digest())
			}
		})
	}
	builtin, _ := lint.CatalogDigest()
	user, _ := lint.CatalogDigest(lint.WithPolicyDir("../testdata/userpolicies/example"))
	if builtin == user {
		t.Error("a --policy directory does not change the digest")
	}
}
