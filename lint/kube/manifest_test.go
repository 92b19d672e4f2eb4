package kube_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/kube"
)

// line locates an object's ref (plus path) in its stream.
func line(t *testing.T, f *lint.File, ref *lint.Ref, path ...any) int {
	t.Helper()
	l, _ := f.Locator.Locate(ref.Doc, append(append([]any{}, ref.Path...), path...))
	return l
}

func TestStreamEdgeCases(t *testing.T) {
	src := `--- # leading comment on the separator
# Source: certctl/templates/server-service.yaml
apiVersion: v1
kind: Service
metadata:
  name: svc
---
---
# only a comment: a null document
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: b
---
`
	f, objs, err := kube.Parse([]byte(src), "s.yaml", kube.Labels{"release": "s.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("got %d objects, want 3 (Service + 2 List items)", len(objs))
	}
	svc := objs[0]
	if svc.Labels["template"] != "certctl/templates/server-service.yaml" || !strings.Contains(svc.Labels["subject"], "(certctl/templates/server-service.yaml)") {
		t.Errorf("Source comment not mapped: %v", svc.Labels)
	}
	if got := line(t, f, svc.Ref, "metadata", "name"); got != 6 {
		t.Errorf("Service name at line %d, want 6", got)
	}
	b := objs[2]
	if b.Labels["name"] != "b" || fmt.Sprint(b.Ref.Path) != "[items 1]" {
		t.Errorf("List item ref = %v %v", b.Ref, b.Labels)
	}
	if got := line(t, f, b.Ref, "metadata", "name"); got != 21 {
		t.Errorf("List item b name at line %d, want 21", got)
	}
	if b.Labels["release"] != "s.yaml" {
		t.Errorf("labels not copied: %v", b.Labels)
	}
}

func TestEmptyStreamIsAnError(t *testing.T) {
	for _, src := range []string{"", "---\n", "# nothing\n---\n---\n"} {
		_, err := kube.Load([]byte(src), "<stdin>", nil, nil)
		if !errors.Is(err, kube.ErrEmpty) || !strings.Contains(err.Error(), "<stdin>") {
			t.Errorf("%q: err = %v, want ErrEmpty naming the stream", src, err)
		}
	}
}

func TestMalformedStreams(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"sequence document", "apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n- a\n- b\n", "s.yaml:5: document 2 is a sequence"},
		{"scalar document", "just text\n", "s.yaml:1: document 1 is a scalar"},
		{"bad yaml", "apiVersion: v1\nkind: A\n---\nkind: [\n", "s.yaml:5: document 2: did not find expected node content"},
		{"no kind", "apiVersion: v1\nmetadata: {name: a}\n", "s.yaml:1: document 1 has no kind"},
		{"list item not an object", "apiVersion: v1\nkind: List\nitems:\n  - 3\n", "s.yaml:4: document 1: items[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := kube.Parse([]byte(c.src), "s.yaml", nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

const envStream = `apiVersion: v1
kind: Secret
metadata:
  name: boot
data:
  token: %s
stringData:
  ack: "true"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  CERTCTL_RATE_LIMIT_BACKEND: postgres
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: certctl-server
spec:
  template:
    metadata:
      labels:
        app.kubernetes.io/component: server
    spec:
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl:2.1.0
          envFrom:
            - configMapRef:
                name: cfg
            - secretRef:
                name: elsewhere
          env:
            - name: CERTCTL_AGENT_BOOTSTRAP_TOKEN
              valueFrom:
                secretKeyRef: {name: boot, key: token}
            - name: CERTCTL_DEMO_MODE_ACK
              valueFrom:
                secretKeyRef: {name: boot, key: ack}
            - name: CERTCTL_DATABASE_URL
              valueFrom:
                secretKeyRef: {name: external, key: url}
            - name: POD_IP
              valueFrom:
                fieldRef: {fieldPath: status.podIP}
            - name: CERTCTL_AUTH_TYPE
              value: api-key
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: agent-sweep
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: sweep
              image: busybox
              env:
                - name: CERTCTL_SERVER_URL
                  value: https://certctl-server:8443
`

func TestEnvResolution(t *testing.T) {
	src := fmt.Sprintf(envStream, base64.StdEncoding.EncodeToString([]byte("tok")))
	in, err := kube.Load([]byte(src), "s.yaml", kube.Labels{"release": "s.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Envs) != 2 {
		t.Fatalf("envs = %d, want 2", len(in.Envs))
	}
	srv := in.Envs[0]
	if srv.Role != lint.RoleServer || srv.Origin != lint.OriginContainer || srv.Labels["workload"] != "Deployment/certctl-server" {
		t.Fatalf("server env = %+v", srv)
	}
	want := map[string]lint.Var{
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN": {Value: "tok", Known: true},
		"CERTCTL_DEMO_MODE_ACK":         {Value: "true", Known: true},
		"CERTCTL_DATABASE_URL":          {Known: false},
		"POD_IP":                        {Known: false},
		"CERTCTL_AUTH_TYPE":             {Value: "api-key", Known: true},
		"CERTCTL_RATE_LIMIT_BACKEND":    {Value: "postgres", Known: true},
	}
	for name, w := range want {
		v, ok := srv.Vars[name]
		if !ok || v.Value != w.Value || v.Known != w.Known {
			t.Errorf("%s = %+v (present %v), want %+v", name, v, ok, w)
		}
	}
	if srv.Labels["env_from_unresolved"] != "Secret/elsewhere" {
		t.Errorf("unresolved envFrom not recorded: %v", srv.Labels)
	}
	f := in.Files[0]
	if got := line(t, f, srv.Vars["CERTCTL_AUTH_TYPE"].Ref); got != 48 {
		t.Errorf("CERTCTL_AUTH_TYPE ref at line %d, want 48", got)
	}
	if got := line(t, f, srv.Vars["CERTCTL_RATE_LIMIT_BACKEND"].Ref); got != 31 {
		t.Errorf("envFrom var ref at line %d, want 31", got)
	}
	var deploy lint.Object
	for _, o := range in.Manifests {
		if o.Labels["kind"] == "Deployment" {
			deploy = o
		}
	}
	if deploy.Role != lint.RoleServer {
		t.Errorf("server workload's role %q, want server", deploy.Role)
	}
	sweep := in.Envs[1]
	if sweep.Role != lint.RoleAgent || sweep.Vars["CERTCTL_SERVER_URL"].Value != "https://certctl-server:8443" {
		t.Errorf("CronJob env = %+v", sweep)
	}
}

func TestRoleDetection(t *testing.T) {
	cases := []struct{ labels, container, env, want string }{
		{"app.kubernetes.io/component: server", "image: x", "", "server"},
		{"app.kubernetes.io/component: postgresql", "image: postgres", "", "other"},
		{"app: x", "image: ghcr.io/certctl-io/certctl:2.1.0", "", "server"},
		{"app: x", "image: ghcr.io/certctl-io/certctl-agent:2.1.0", "", "agent"},
		{"app: x", "image: x", "- {name: CERTCTL_AUTH_TYPE, value: none}", "server"},
		{"app: x", "image: x", "- {name: CERTCTL_AGENT_ID, value: a}", "agent"},
		{"app: x", "image: nginx", "", "other"},
	}
	for _, c := range cases {
		src := fmt.Sprintf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {%s}\nspec:\n  containers:\n    - name: c\n      %s\n      env: [%s]\n", c.labels, c.container, strings.Trim(c.env, "- "))
		if c.env == "" {
			src = strings.Replace(src, "env: []", "env: []", 1)
		}
		in, err := kube.Load([]byte(src), "p.yaml", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := in.Envs[0].Role; got != c.want {
			t.Errorf("%s / %s / %s: role %s, want %s", c.labels, c.container, c.env, got, c.want)
		}
	}
}

// bigStream is n Deployment+Secret pairs.
func bigStream(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "---\n# Source: certctl/templates/d%d.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\n  labels:\n    app.kubernetes.io/component: server\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels: {app: d%d}\n    spec:\n      containers:\n        - name: server\n          image: ghcr.io/certctl-io/certctl:2.1.0\n          env:\n            - name: CERTCTL_AGENT_BOOTSTRAP_TOKEN\n              valueFrom: {secretKeyRef: {name: s%d, key: token}}\n            - name: CERTCTL_AUTH_TYPE\n              value: api-key\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s%d\nstringData:\n  token: %s\n", i, i, i, i, i, strings.Repeat("x", 32))
	}
	return []byte(b.String())
}

func TestTenMegabyteStream(t *testing.T) {
	src := bigStream(16500)
	if len(src) < 10<<20 {
		t.Fatalf("stream is %d bytes, want >= 10 MiB", len(src))
	}
	in, err := kube.Load(src, "big.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Manifests) != 33000 || len(in.Envs) != 16500 {
		t.Fatalf("objects %d envs %d", len(in.Manifests), len(in.Envs))
	}
	last := in.Envs[len(in.Envs)-1]
	if v := last.Variables()["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]; !v.Known {
		t.Errorf("last secretKeyRef not resolved: %+v", v)
	}
	if l := line(t, in.Files[0], in.Manifests[len(in.Manifests)-1].Ref); l < 400000 {
		t.Errorf("last object located at line %d", l)
	}
}

func BenchmarkStream5000(b *testing.B) {
	src := bigStream(2500) // 5,000 documents
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := kube.Load(src, "s.yaml", nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStream5000Lint parses the same stream and evaluates the whole catalog
// over it (2,500 server workloads, each judged by DEPL-H1, DEPL-M3 and the env
// rules).
// benchPairs Deployment+Secret pairs make 5,000 documents.
const benchPairs = 2500

func BenchmarkStream5000Lint(b *testing.B) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	src := bigStream(benchPairs)
	for b.Loop() {
		in, err := kube.Load(src, "s.yaml", kube.Labels{"release": "s.yaml"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		in.Meta.CertctlVersion = "2.1.0"
		if _, err := eng.Eval(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
