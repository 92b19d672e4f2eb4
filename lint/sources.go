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
}

// Sources returns the policy files New reads with the same options (never a
// _test.rego file), sorted by name: what a bundle or a Gatekeeper template must
// carry to judge as the Engine judges. WithInputKinds is ignored.
func Sources(opts ...Option) ([]SourceFile, error) {
	cfg := engineConfig{builtins: true}
	for _, o := range opts {
		o(&cfg)
	}
	var srcs []source
	if cfg.builtins {
		s, err := readSources(policies.FS, "policies/", true)
		if err != nil {
			return nil, fmt.Errorf("read built-in policies: %w", err)
		}
		srcs = append(srcs, s...)
	}
	for _, dir := range cfg.dirs {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("policy directory: %w", err)
		}
		s, err := readSources(os.DirFS(dir), strings.TrimSuffix(dir, "/")+"/", false)
		if err != nil {
			return nil, fmt.Errorf("read policy directory %s: %w", dir, err)
		}
		srcs = append(srcs, s...)
	}
	for _, fsys := range cfg.extra {
		s, err := readSources(fsys, "", false)
		if err != nil {
			return nil, fmt.Errorf("read policies: %w", err)
		}
		srcs = append(srcs, s...)
	}
	out := make([]SourceFile, len(srcs))
	for i, s := range srcs {
		out[i] = SourceFile{Name: s.name, Text: s.text, Builtin: s.builtin}
	}
	slices.SortFunc(out, func(a, b SourceFile) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// ResultSeverity is the severity of what a rule package's result rule (deny,
// warn, info) produces, as Eval decides it; "" for any other name.
func ResultSeverity(kind string) Severity { return resultKinds[kind] }
