package lint

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestStreamLocatorParsesDocumentsAlone: a stream locator parses only the
// document asked for (the whole stream only when lines end in a lone carriage
// return), and finds what the nodes of the whole stream find.
func TestStreamLocatorParsesDocumentsAlone(t *testing.T) {
	for _, c := range []struct {
		src   string
		whole bool
	}{
		{"# head\n---\na: 1\nb: {c: [1, 2]}\n--- # x\n---\nd: |\n  ---\n  e\nf: g\n...\n# tail\n---\nh: &k {i: j}\nl: *k\n", false},
		{"a: 1\r\n---\r\nb:\r\n  c: d\r\n", false},
		{"a: 1\r---\rb: 2\r", true},
	} {
		src := []byte(c.src)
		var nodes []*yaml.Node
		var roots []int
		dec := yaml.NewDecoder(bytes.NewReader(src))
		for {
			var n yaml.Node
			if err := dec.Decode(&n); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			nodes = append(nodes, &n)
			root := 0
			if len(n.Content) > 0 && !(n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Tag == "!!null") {
				root = content(&n).Line
			}
			roots = append(roots, root)
		}
		eager := YAMLLocator{Docs: nodes}
		lazy := NewStreamLocator(src, roots)
		for doc, r := range roots {
			if r == 0 {
				continue
			}
			var walk func(n *yaml.Node, path []any)
			walk = func(n *yaml.Node, path []any) {
				gl, gc := lazy.Locate(doc, path)
				wl, wc := eager.Locate(doc, path)
				if gl != wl || gc != wc {
					t.Fatalf("%q doc %d %v: %d:%d, want %d:%d", c.src, doc, path, gl, gc, wl, wc)
				}
				switch n.Kind {
				case yaml.MappingNode:
					for i := 0; i+1 < len(n.Content); i += 2 {
						walk(n.Content[i+1], append(append([]any{}, path...), n.Content[i].Value))
					}
				case yaml.SequenceNode:
					for i, x := range n.Content {
						walk(x, append(append([]any{}, path...), i))
					}
				}
			}
			walk(content(nodes[doc]), nil)
		}
		if lazy.lazy.whole != c.whole {
			t.Errorf("%q: decoded the whole stream: %v, want %v", c.src, lazy.lazy.whole, c.whole)
		}
	}
}
