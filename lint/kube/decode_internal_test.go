package kube

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestParallelDecodeMatchesSequential: a stream decoded in runs on every core
// gives the documents, objects, templates, positions and errors of one
// decoder over the whole stream, wherever the runs are cut.
func TestParallelDecodeMatchesSequential(t *testing.T) {
	defer func(c, p int) { chunkBytes, parallelFrom = c, p }(chunkBytes, parallelFrom)
	var b strings.Builder
	for i := range 60 {
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "---\n# Source: c/templates/d%d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d%d}\nspec:\n  template:\n    metadata: {labels: {app: d%d}}\n    spec:\n      containers:\n        - name: c\n          image: i\n          env: [{name: A, value: \"%d\"}]\n", i, i, i, i)
		case 1:
			fmt.Fprintf(&b, "# Source: c/templates/before-the-marker-%d.yaml\n--- # marker comment\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: s%d}, stringData: {k: v}}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: &m {name: c%d}\n    data:\n      x: |\n        block\n        text\n", i, i, i)
		case 2:
			b.WriteString("---\n---\n\n")
		case 3:
			fmt.Fprintf(&b, "--- {apiVersion: v1, kind: ConfigMap, metadata: {name: f%d}, data: {k: v}}\n", i)
		case 4:
			fmt.Fprintf(&b, "---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s%d\n  annotations: {a: \"---\"}\nspec: {selector: {app: d%d}}\n", i, i)
		case 5:
			fmt.Fprintf(&b, "---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: crlf%d}\r\ndata:\r\n  k: |\r\n    text\r\n", i)
		}
	}
	body := b.String() + "---\n"
	// A comment header before the first marker belongs to the first document.
	good := "# Source: c/templates/first.yaml\n# a header comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: head}\n" + body
	streams := []string{
		good,
		"# Source: c/templates/first.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: head}\n" + body,
		good + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad\n",
		good + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: !!int notanumber}\n",
		good + "---\n- a sequence\n",
	}
	for si, src := range streams {
		for _, chunk := range []int{1, 64, 700, 1 << 20} {
			chunkBytes, parallelFrom = chunk, 0
			wf, wo, werr := parse([]byte(src), "s.yaml", Labels{"release": "s"}, nil, false)
			gf, gobj, gerr := parse([]byte(src), "s.yaml", Labels{"release": "s"}, nil, true)
			if si <= 1 && (gerr != nil || werr != nil) {
				t.Fatalf("runs of %d bytes: %v (sequential: %v)", chunk, gerr, werr)
			}
			if errorsDiffer(gerr, werr) {
				if gerr == errChunked {
					gf, gobj, gerr = parse([]byte(src), "s.yaml", Labels{"release": "s"}, nil, false)
				}
				if errorsDiffer(gerr, werr) {
					t.Fatalf("stream %d, runs of %d bytes: error %v, want %v", si, chunk, gerr, werr)
				}
			}
			if werr != nil {
				continue
			}
			if !reflect.DeepEqual(gf.Docs, wf.Docs) || !reflect.DeepEqual(gobj, wo) {
				t.Fatalf("stream %d, runs of %d bytes: documents or objects differ", si, chunk)
			}
			templates := 0
			for _, o := range wo {
				if o.Labels["template"] != "" {
					templates++
				}
				gl, gc := gf.Locator.Locate(o.Ref.Doc, append(o.Ref.Path, "metadata", "name"))
				wl, wc := wf.Locator.Locate(o.Ref.Doc, append(o.Ref.Path, "metadata", "name"))
				if gl != wl || gc != wc || gl == 0 {
					t.Fatalf("stream %d, runs of %d bytes: %v at %d:%d, want %d:%d", si, chunk, o.Ref, gl, gc, wl, wc)
				}
			}
			if templates < 10 || wo[0].Labels["template"] != "c/templates/first.yaml" {
				t.Fatalf("stream %d: %d objects name their template, the first %q", si, templates, wo[0].Labels["template"])
			}
		}
	}
	if !lint.NewStreamLocator([]byte(good), nil).Separable() {
		t.Fatal("the test stream does not decode document by document: the runs were never tried")
	}
}

func errorsDiffer(a, b error) bool {
	if a == nil || b == nil {
		return a != b
	}
	return a.Error() != b.Error()
}
