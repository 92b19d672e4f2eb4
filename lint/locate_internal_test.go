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

// TestLocateMissingKeyAtItsParentKey: a path that ends at a missing key is
// placed on the key line of the deepest node it reaches (the environment: key
// of a compose service, not the first variable under it), by the eager and
// the stream locator alike; a path that exists is placed on its value.
func TestLocateMissingKeyAtItsParentKey(t *testing.T) {
	src := `services:
  server:
    image: x:1
    environment:
      CERTCTL_AUTH_TYPE: api-key
      CERTCTL_SERVER_PORT: "8443"
    ports:
      - "8443:8443"
      - target: 8443
base: &b
  inner:
    a: 1
merged:
  <<: *b
  own: 2
`
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	eager := YAMLLocator{Docs: []*yaml.Node{&n}}
	lazy := NewStreamLocator([]byte(src), []int{1})
	for _, c := range []struct {
		path       []any
		line, col  int
		whatItIsAt string
	}{
		{[]any{"services", "server", "environment", "CERTCTL_AUTH_TYPE"}, 5, 26, "an existing value"},
		{[]any{"services", "server", "environment"}, 5, 7, "an existing mapping (its first key)"},
		{[]any{"services", "server", "environment", "CERTCTL_AGENT_BOOTSTRAP_TOKEN"}, 4, 5, "the environment: key"},
		{[]any{"services", "server", "environment", "A", "B"}, 4, 5, "the environment: key, however deep the rest"},
		{[]any{"services", "server", "healthcheck"}, 2, 3, "the server: key"},
		{[]any{"services", "server", "ports", 1, "published"}, 9, 9, "a sequence item (no key names it)"},
		{[]any{"services", "server", "ports", 5}, 7, 5, "the ports: key (no such item)"},
		{[]any{"merged", "inner", "b"}, 11, 3, "the merged key inner:"},
		{[]any{"nothing"}, 1, 1, "the document's root"},
	} {
		for name, l := range map[string]YAMLLocator{"eager": eager, "stream": lazy} {
			if line, col := l.Locate(0, c.path); line != c.line || col != c.col {
				t.Errorf("%s %v: %d:%d, want %d:%d (%s)", name, c.path, line, col, c.line, c.col, c.whatItIsAt)
			}
		}
	}
}
