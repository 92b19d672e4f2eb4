package kube_test

import (
	"maps"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/kube"
)

// A server Deployment with a sidecar, an agent DaemonSet, a Deployment of
// something else and a ConfigMap whose keys make a bare workload a server.
const roleStream = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {app.kubernetes.io/component: server}}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: app, image: "ghcr.io/certctl-io/certctl:v2"}
      - {name: proxy, image: "envoy:1"}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: certctl-agent}
spec:
  template:
    spec:
      containers:
      - {name: main, image: "pki:1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - {name: web, image: "nginx:1"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: pki}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: pki
        image: "pki:2"
        envFrom: [{configMapRef: {name: pki-env}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: pki-env}
data: {CERTCTL_DATABASE_URL: "postgres://db/certctl"}
`

// objectRole is the role the loader gave a workload object.
func objectRole(o *lint.Object) string { return o.Role }

func TestEnvsLeaveLabelsAlone(t *testing.T) {
	_, objs, err := kube.Parse([]byte(roleStream), "roles.yaml", kube.Labels{"release": "r"})
	if err != nil {
		t.Fatal(err)
	}
	before := make([]map[string]string, len(objs))
	made := make([]map[string]string, len(objs))
	for i := range objs {
		made[i], before[i] = objs[i].Labels, maps.Clone(objs[i].Labels)
	}
	envs := kube.EnvsWithRoles(objs, map[string]string{"web": lint.RoleOther})
	if len(envs) != 5 {
		t.Fatalf("%d environments, want 5", len(envs))
	}
	for i := range objs {
		if !maps.Equal(made[i], before[i]) {
			t.Errorf("%s: building environments changed its Labels map: %v, was %v", before[i]["subject"], made[i], before[i])
		}
	}
	want := []string{lint.RoleServer, lint.RoleAgent, lint.RoleOther, lint.RoleServer, ""}
	for i := range objs {
		if got := objectRole(&objs[i]); got != want[i] {
			t.Errorf("%s: role %q, want %q", objs[i].Labels["subject"], got, want[i])
		}
	}
	roles := map[string]string{}
	for _, e := range envs {
		roles[e.ID] = e.Role
	}
	wantEnvs := map[string]string{
		"Deployment api container app":           lint.RoleServer,
		"Deployment api container proxy":         lint.RoleOther,
		"DaemonSet certctl-agent container main": lint.RoleAgent,
		"Deployment web container web":           lint.RoleOther,
		"StatefulSet pki container pki":          lint.RoleServer,
	}
	if !maps.Equal(roles, wantEnvs) {
		t.Errorf("environment roles %v, want %v", roles, wantEnvs)
	}
}

// A large stream keeps each object's cross view: the server workload's must
// be the server's (its replicas and images), which it is only when the role is
// decided before the view is packed.
func TestKeptViewCarriesRole(t *testing.T) {
	defer func(n int) { kube.KeepTextFrom = n }(kube.KeepTextFrom)
	kube.KeepTextFrom = 0
	in, err := kube.Load([]byte(roleStream), "roles.yaml", kube.Labels{"release": "r"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := &in.Manifests[0]
	if o.View == "" {
		t.Fatal("the stream did not keep its text")
	}
	if got := objectRole(o); got != lint.RoleServer {
		t.Fatalf("role %q, want server", got)
	}
	view, err := o.CrossValue()
	if err != nil {
		t.Fatal(err)
	}
	if spec, _ := view["spec"].(map[string]any); spec["replicas"] == nil {
		t.Errorf("the server's kept view has no replicas: %v", view)
	}
	// The StatefulSet is a server by the ConfigMap decoded after it: it is
	// decoded again, and its view made again as the server's.
	if got := objectRole(&in.Manifests[3]); got != lint.RoleServer {
		t.Errorf("StatefulSet pki: role %q, want server", got)
	}
	view, err = in.Manifests[3].CrossValue()
	if spec, _ := view["spec"].(map[string]any); err != nil || spec["replicas"] == nil {
		t.Errorf("StatefulSet pki: the kept view is not the server's: %v (%v)", view, err)
	}
}
