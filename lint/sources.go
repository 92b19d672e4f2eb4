package lint

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/certgate/certgate/policies"
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
// carry to judge as the Engine judges. WithInputKinds is ignored.
func Sources(opts ...Option) ([]SourceFile, error) {
	cfg := engineConfig{builtins: true}
	for _, o := range opts {
		o(&cfg)
	}
	var out []SourceFile
	add := func(srcs []source, prefix string, origin int) {
		for _, s := range srcs {
			out = append(out, SourceFile{Name: s.name, Text: s.text, Builtin: s.builtin, Origin: origin, Rel: strings.TrimPrefix(s.name, prefix)})
		}
	}
	if cfg.builtins {
		s, err := readSources(policies.FS, "policies/", true)
		if err != nil {
			return nil, fmt.Errorf("read built-in policies: %w", err)
		}
		add(s, "policies/", 0)
	}
	origin := 0
	for _, dir := range cfg.dirs {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("policy directory: %w", err)
		}
		prefix := strings.TrimSuffix(dir, "/") + "/"
		s, err := readSources(os.DirFS(dir), prefix, false)
		if err != nil {
			return nil, fmt.Errorf("read policy directory %s: %w", dir, err)
		}
		origin++
		add(s, prefix, origin)
	}
	for _, fsys := range cfg.extra {
		s, err := readSources(fsys, "", false)
		if err != nil {
			return nil, fmt.Errorf("read policies: %w", err)
		}
		origin++
		add(s, "", origin)
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
	files, err := Sources(opts...)
	if err != nil {
		return "", err
	}
	srcs := make([]source, len(files))
	for i, f := range files {
		srcs[i] = source{name: f.Name, text: f.Text, builtin: f.Builtin}
	}
	return digest(srcs), nil
}
