package lint_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

// decodeAll decodes every document of src with one decoder, as the loaders
// do, and returns the first error.
func decodeAll(src string) error {
	dec := yaml.NewDecoder(bytes.NewReader([]byte(src)))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return err
		}
	}
}

// TestYAMLErrorAt: the line of a real yaml.v3 error is the line of the text it
// points at, for the parser's errors (printed 0-based) and the scanner's
// (printed 1-based) alike, in any document of a stream.
func TestYAMLErrorAt(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line      int
		msg       string
	}{
		// parser: the first line of the mapping, sequence or node it was
		// parsing, or the line of the token it stopped at when that first
		// line is the text's first (which yaml.v3 never prints)
		{"block mapping from line 1", "a: 1\nb:\n  c: 2\n d: 3\n", 4, "did not find expected key"},
		{"block mapping, second document", "a: 1\n---\nb: 2\nc:\n  d: 3\n e: 4\n", 3, "did not find expected key"},
		{"inner block mapping", "a: 1\nb:\n  c: 2\n  - d\n", 3, "did not find expected key"},
		{"block sequence", "a: 1\nb:\n  - c\n  d: 2\n", 3, "did not find expected '-' indicator"},
		{"flow mapping", "a: 1\nb: {c: 2\nd: 3\n", 2, "did not find expected ',' or '}'"},
		{"flow sequence", "a: 1\n---\nb: [c, d\n  e: 1\n", 3, "did not find expected ',' or ']'"},
		{"node content at the end", "a: 1\nb: [\n", 3, "did not find expected node content"},
		// scanner: the line of the offending text
		{"mapping values", "a: 1\nb: c: d\n", 2, "mapping values are not allowed in this context"},
		{"tab", "a: 1\nb:\n\tc: 2\n", 3, "found character that cannot start any token"},
		{"open quote", "a: 1\n---\nb: 2\nc: \"d\ne: 3\n", 4, "found unexpected end of stream"},
		{"simple key", "a: 1\nb\nc: 2\n", 2, "could not find expected ':'"},
		{"tag", "a: 1\nb: !<c\n", 2, "did not find the expected '>'"},
		{"tag escape", "a: 1\nb: !<%zz> c\n", 2, "did not find URI escaped octet"},
		{"tag octet", "a: 1\nb: !c%ff d\n", 2, "found an incorrect leading UTF-8 octet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := decodeAll(c.src)
			if err == nil {
				t.Fatal("no error")
			}
			line, msg := lint.YAMLErrorAt(err)
			if line != c.line || msg != c.msg {
				t.Errorf("YAMLErrorAt(%q) = %d, %q; want %d, %q", err, line, msg, c.line, c.msg)
			}
		})
	}
}

// TestYAMLErrorAtWithoutLine: an error that names no line keeps its message,
// without yaml.v3's prefix, and has no line.
func TestYAMLErrorAtWithoutLine(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		msg  string
	}{
		{"unknown anchor", decodeAll("a: *b\n"), "unknown anchor 'b' referenced"},
		{"not yaml.v3's", errors.New("boom: line 3: x"), "boom: line 3: x"},
		{"type error", yamlTypeError(t), "unmarshal errors:\n  line 2: cannot unmarshal !!str `x` into int"},
		{"not a number", errors.New("yaml: line 99999999999999999999: did not find expected key"), "line 99999999999999999999: did not find expected key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error")
			}
			line, msg := lint.YAMLErrorAt(c.err)
			if line != 0 || msg != c.msg {
				t.Errorf("YAMLErrorAt(%q) = %d, %q; want 0, %q", c.err, line, msg, c.msg)
			}
		})
	}
}

func yamlTypeError(t *testing.T) error {
	t.Helper()
	var v struct{ B int }
	err := yaml.Unmarshal([]byte("a: 1\nb: x\n"), &v)
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		t.Fatalf("want a *yaml.TypeError, got %v", err)
	}
	return err
}
