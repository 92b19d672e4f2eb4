package lint

import (
	"cmp"
	"slices"
)

// SourceFile is one policy file of the catalog an Engine is built from: its
// name (policies/sec_h1/sec_h1.rego for the built-in catalog, the --policy
// directory joined with the file's path otherwise) and its text.
type SourceFile struct {
	Name    string
	Text    string
	Builtin bool
	// Origin numbers the policy source outside the catalog the file comes
	// from (1 for the first --policy directory or file system); 0 for the
	// built-in catalog. Rel is the file's path inside that source.
	Origin int
	Rel    string
}

// Sources returns the policy files New reads with the same options (never a
// _test.rego file), sorted by name: what a bundle or a Gatekeeper template must
// carry to judge as the Engine judges. WithInputs is ignored.
func Sources(opts ...Option) ([]SourceFile, error) {
	srcs, err := configOf(opts).sources()
	if err != nil {
		return nil, err
	}
	out := make([]SourceFile, len(srcs))
	for i, s := range srcs {
		out[i] = SourceFile{Name: s.name, Text: s.text, Builtin: s.builtin, Origin: s.origin, Rel: s.rel}
	}
	slices.SortFunc(out, func(a, b SourceFile) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// ResultSeverity is the severity of what a rule package's result rule (deny,
// warn, info) produces, as Eval decides it; "" for any other name.
func ResultSeverity(kind string) Severity { return resultKinds[kind] }

// CatalogDigest is the digest an Engine built with the same options reports,
// computed from the policy files alone: naming the catalog needs no compile.
func CatalogDigest(opts ...Option) (string, error) {
	srcs, err := configOf(opts).sources()
	if err != nil {
		return "", err
	}
	return digest(srcs), nil
}
