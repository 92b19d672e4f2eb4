package kube_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/kube"
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
		file, _, err := kube.Parse([]byte(src), "s.yaml", nil)
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

// TestLoadKeepingTextMatchesDecoded: a stream loaded keeping only its text
// has the environments, labels and (decoded again) values and documents of
// the stream loaded whole, also when a Secret or ConfigMap a workload reads
// comes after it or is defined again later.
func TestLoadKeepingTextMatchesDecoded(t *testing.T) {
	defer func(n int) { kube.KeepTextFrom = n }(kube.KeepTextFrom)
	redefined := `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: certctl-server, namespace: prod}
spec:
  template:
    spec:
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl:2.2.0
          envFrom: [{configMapRef: {name: cfg}}, {secretRef: {name: late}}]
          env:
            - name: CERTCTL_AUTH_SECRET
              valueFrom: {secretKeyRef: {name: auth, key: v}}
---
apiVersion: v1
kind: Secret
metadata: {name: auth}
stringData: {v: first}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: prod}
data: {CERTCTL_LOG_LEVEL: info}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: certctl-agent}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: ghcr.io/certctl-io/certctl-agent:2.2.0
          env:
            - name: CERTCTL_API_KEY
              valueFrom: {secretKeyRef: {name: auth, key: v}}
---
apiVersion: v1
kind: Secret
metadata: {name: auth, namespace: prod}
stringData: {v: second}
---
apiVersion: v1
kind: Secret
metadata: {name: late}
stringData: {CERTCTL_KEYGEN_MODE: agent}
`
	for i, src := range append(locateStreams[:5], redefined, string(bigStream(30)), joinStreamText()) {
		kube.KeepTextFrom = 1 << 30
		want, err := kube.Load([]byte(src), "s.yaml", kube.Labels{"release": "s"}, nil)
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		kube.KeepTextFrom = 0
		got, err := kube.Load([]byte(src), "s.yaml", kube.Labels{"release": "s"}, nil)
		if err != nil {
			t.Fatalf("stream %d kept as text: %v", i, err)
		}
		kept := got.Files[0].Docs == nil && got.Files[0].LoadDocs != nil
		if kept != lint.NewStreamLocator([]byte(src), nil).Separable() {
			t.Fatalf("stream %d: kept only its text: %v; its documents decode alone: %v", i, kept, !kept)
		}
		if len(got.Envs) != len(want.Envs) {
			t.Fatalf("stream %d: %d environments, want %d", i, len(got.Envs), len(want.Envs))
		}
		for j := range got.Envs {
			g, w := got.Envs[j], want.Envs[j]
			if kept && g.Vars != nil {
				t.Errorf("stream %d environment %d: variables not packed", i, j)
			}
			gv := g.Variables()
			g.Vars, w.Vars = gv, w.Variables()
			g.PackVars()
			w.PackVars()
			if !reflect.DeepEqual(g, w) || !reflect.DeepEqual(gv, want.Envs[j].Vars) {
				t.Errorf("stream %d: environment %d differs:\n got  %+v\n want %+v", i, j, gv, want.Envs[j])
			}
		}
		docs, err := got.Files[0].Documents()
		if err != nil || !reflect.DeepEqual(docs, want.Files[0].Docs) {
			t.Errorf("stream %d: documents differ (%v)", i, err)
		}
		if len(got.Manifests) != len(want.Manifests) {
			t.Fatalf("stream %d: %d objects, want %d", i, len(got.Manifests), len(want.Manifests))
		}
		for j := range got.Manifests {
			g, w := &got.Manifests[j], &want.Manifests[j]
			full, err := g.FullValue()
			if err != nil || !reflect.DeepEqual(full, w.Value) || !reflect.DeepEqual(g.Labels, w.Labels) || g.Role != w.Role || !reflect.DeepEqual(g.Ref, w.Ref) {
				t.Errorf("stream %d object %d differs (%v)", i, j, err)
			}
			view, err := g.CrossValue()
			if kept && (err != nil || g.View == "" || g.Value != nil || !reflect.DeepEqual(view, lint.CrossView(w.Value, w.Role))) {
				t.Errorf("stream %d object %d: kept value is not its cross view", i, j)
			}
		}
	}
}
