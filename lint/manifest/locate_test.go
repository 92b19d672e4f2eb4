package manifest_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/manifest"
)

// locateStreams are layouts a stream may have: markers with comments, an
// explicit document end, comment headers, flow style, lists, anchors, block
// scalars, null documents, CRLF line ends and a lone carriage return.
var locateStreams = []string{
	"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n",
	"# header\n# more\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |\n    ---\n    text\n---\n---\n# Source: c/templates/s.yaml\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: b}\n",
	"--- # comment\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {a: b}}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n...\n# after the end\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: d}\ndata: {x: *m}\n",
	"---\n---\n\n--- {apiVersion: v1, kind: ConfigMap, metadata: {name: f}, data: {k: v}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          env:\n            - {name: A, value: x}\n",
	"apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: a}\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\ndata:\r\n  k: v\r\n",
	"apiVersion: v1\rkind: ConfigMap\rmetadata: {name: a}\r---\rapiVersion: v1\rkind: Secret\rmetadata: {name: b}\r",
	"%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v}\n",
}

// TestStreamLocatorMatchesNodes: the locator of a stream, which keeps no nodes
// and parses a document again when asked, gives every path of every document
// the position the nodes of the whole stream give.
func TestStreamLocatorMatchesNodes(t *testing.T) {
	streams := append(locateStreams, string(bigStream(40)), joinStreamText())
	for si, src := range streams {
		file, _, err := manifest.Parse([]byte(src), "s.yaml", nil)
		if err != nil {
			t.Fatalf("stream %d: %v", si, err)
		}
		want := eagerLocator(t, []byte(src))
		checked := 0
		for doc, v := range file.Docs {
			for _, path := range paths(v, nil) {
				path = append(path, "absent") // a missing key locates at its parent
				for k := range len(path) + 1 {
					p := path[:k]
					gl, gc := file.Locator.Locate(doc, p)
					wl, wc := want.Locate(doc, p)
					if gl != wl || gc != wc {
						t.Fatalf("stream %d doc %d path %v: at %d:%d, want %d:%d", si, doc, p, gl, gc, wl, wc)
					}
					y := file.Locator.(lint.YAMLLocator)
					gl, gc = y.KeyPosition(doc, p)
					wl, wc = want.KeyPosition(doc, p)
					if gl != wl || gc != wc {
						t.Fatalf("stream %d doc %d key %v: at %d:%d, want %d:%d", si, doc, p, gl, gc, wl, wc)
					}
					checked++
				}
			}
		}
		if checked == 0 {
			t.Fatalf("stream %d: nothing located", si)
		}
	}
}

func eagerLocator(t *testing.T, src []byte) lint.YAMLLocator {
	t.Helper()
	var l lint.YAMLLocator
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return l
		}
		if err != nil {
			t.Fatal(err)
		}
		l.Docs = append(l.Docs, &n)
	}
}

// paths lists the path of every leaf of v.
func paths(v any, prefix []any) [][]any {
	var out [][]any
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			out = append(out, paths(x, append(append([]any{}, prefix...), k))...)
		}
	case []any:
		for i, x := range v {
			out = append(out, paths(x, append(append([]any{}, prefix...), i))...)
		}
	default:
		out = append(out, prefix)
	}
	return out
}

func joinStreamText() string {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "---\n# Source: c/templates/p%d.yaml\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: p%d\nspec:\n  minAvailable: %d\n  selector:\n    matchLabels: {app: a%d}\n", i, i, i%3, i)
	}
	return b.String()
}
