package config_test

import (
	"errors"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint/config"
)

// TestParseErrorLine: a syntax error in certgate.yaml names the line yaml.v3
// points at, for its parser's errors (printed 0-based) and its scanner's
// (printed 1-based) alike; other errors keep yaml.v3's wording and type.
func TestParseErrorLine(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		// the mapping it was parsing starts on line 1, which yaml.v3 never
		// prints: the line is the offending key's
		{"block mapping", "demo_globs:\n  - a.yml\nroles:\n  server: server\n agent: agent\n",
			"certgate.yaml: yaml: line 5: did not find expected key"},
		{"flow mapping", "demo_globs: [a.yml]\nroles: {server: server\ncarveouts: []\n",
			"certgate.yaml: yaml: line 2: did not find expected ',' or '}'"},
		{"mapping value", "demo_globs: [a.yml]\nroles:\n  server: server: x\n",
			"certgate.yaml: yaml: line 3: mapping values are not allowed in this context"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse([]byte(c.src), "certgate.yaml")
			if err == nil || err.Error() != c.want {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	_, err := config.Parse([]byte("demo_globs: [a.yml]\nno_such_key: 1\n"), "certgate.yaml")
	var te *yaml.TypeError
	if want := "certgate.yaml: yaml: unmarshal errors:\n  line 2: field no_such_key not found in type config.Config"; err == nil || err.Error() != want || !errors.As(err, &te) {
		t.Errorf("unknown key: err = %v, want %q wrapping a *yaml.TypeError", err, want)
	}
}
