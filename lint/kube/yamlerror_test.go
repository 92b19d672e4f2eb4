package kube_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/kube"
)

// A syntax error in a later document of a stream names the line of the
// stream yaml.v3 points at, whether its parser (which prints a 0-based line)
// or its scanner (a 1-based one) found it.
func TestSyntaxErrorLine(t *testing.T) {
	// Lines 1-3: the first document; 4: ---; the second document from 5.
	const first = "apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n"
	cases := []struct {
		name, second string
		line         int
		msg          string
	}{
		// The parser: a block mapping without its key is reported at the
		// mapping's first line (5), a block sequence at its first entry (8),
		// an open flow mapping at its own line (7).
		{"block mapping", "apiVersion: v1\nkind: B\nmetadata:\n  name: b\n bad: x\n", 5, "did not find expected key"},
		{"block sequence", "apiVersion: v1\nkind: B\nspec:\n  - a\n  b: 1\n", 8, "did not find expected '-' indicator"},
		{"flow mapping", "apiVersion: v1\nkind: B\nmetadata: {name: b\nspec: {}\n", 7, "did not find expected ',' or '}'"},
		// The scanner: the line of the offending text.
		{"mapping value", "apiVersion: v1\nkind: B\nmetadata:\n  name: b: c\n", 8, "mapping values are not allowed in this context"},
		{"tab", "apiVersion: v1\nkind: B\nmetadata:\n\tname: b\n", 8, "found character that cannot start any token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := fmt.Sprintf("s.yaml:%d: document 2: %s", c.line, c.msg)
			_, _, err := kube.Parse([]byte(first+c.second), "s.yaml", nil)
			if err == nil || err.Error() != want {
				t.Fatalf("err = %v, want %q", err, want)
			}
		})
	}
}

// A stream large enough to be decoded in parallel runs reports a syntax error
// at its line in the whole stream, not in the run that holds it.
func TestSyntaxErrorLineLargeStream(t *testing.T) {
	var b strings.Builder
	n := 0
	for b.Len() < 1<<20 {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\ndata:\n  k: %s\n", n, strings.Repeat("v", 64))
		n++
	}
	b.WriteString("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\ndata: {}\n")
	src := b.String()
	line := strings.Count(src[:strings.Index(src, "metadata: {name: broken")], "\n") + 1
	want := fmt.Sprintf("big.yaml:%d: document %d: did not find expected ',' or '}'", line, n+1)
	_, _, err := kube.Parse([]byte(src), "big.yaml", nil)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}
