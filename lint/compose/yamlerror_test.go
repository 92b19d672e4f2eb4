package compose_test

import (
	"context"
	"testing"

	"github.com/certgate/certgate/lint/compose"
)

// TestSyntaxErrorLine: a compose file's syntax error names the line yaml.v3
// points at, for its parser's errors (printed 0-based) and its scanner's
// (printed 1-based), in any document of the file.
func TestSyntaxErrorLine(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"block mapping, second document", "services:\n  server:\n    image: x:1\n---\nservices:\n  agent:\n    image: y:1\n   bad: z\n",
			"compose file docker-compose.yml:6: did not find expected key"},
		{"flow sequence", "services:\n  server:\n    image: x:1\n    ports: [1, 2\n    user: a\n",
			"compose file docker-compose.yml:4: did not find expected ',' or ']'"},
		{"mapping value", "services:\n  server:\n    image: x:1: y\n",
			"compose file docker-compose.yml:3: mapping values are not allowed in this context"},
		{"tag URI", "services:\n  server:\n    image: !<%zz> x\n",
			"compose file docker-compose.yml:3: did not find URI escaped octet"},
		{"tag octet", "services:\n  server:\n    image: !x%ff y\n",
			"compose file docker-compose.yml:3: found an incorrect leading UTF-8 octet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "docker-compose.yml", c.src)
			_, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir})
			if err == nil || err.Error() != c.want {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}
