package kube_test

import (
	"encoding/json"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/kube"
)

func TestContainerMounts(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: certctl-server}
spec:
  template:
    spec:
      securityContext: {fsGroup: 2000}
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl:2.2.0
          volumeMounts:
            - {name: tls, mountPath: /etc/certctl/tls, readOnly: true}
            - {name: ra, mountPath: /etc/certctl/scep/ra.key, subPath: ra.key}
            - {name: proj, mountPath: /etc/certctl/proj}
            - {name: dir, mountPath: /var/data, subPathExpr: "$(POD)"}
            - {name: absent, mountPath: /nowhere}
        - name: sidecar
          image: busybox
      volumes:
        - name: tls
          secret: {secretName: tls}
        - name: ra
          secret:
            secretName: ra
            defaultMode: 0440
            items:
              - {key: tls.key, path: ra.key, mode: 0400}
              - {key: tls.crt, path: ./sub/ra.crt}
        - name: proj
          projected:
            defaultMode: 0o600
            sources:
              - configMap: {name: cm}
              - secret: {name: s, items: [{key: k, path: key.pem, mode: 416}]}
              - serviceAccountToken: {path: token}
        - name: dir
          emptyDir: {}
`
	in, err := kube.Load([]byte(src), "d.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Envs) != 2 {
		t.Fatalf("%d envs", len(in.Envs))
	}
	g := int64(2000)
	want := []lint.Mount{
		{Path: "/etc/certctl/tls", ReadOnly: true, Volume: "tls", Source: "secret", Files: &lint.MountFiles{DefaultMode: 0o644, AllKeys: true}, FSGroup: &g},
		{Path: "/etc/certctl/scep/ra.key", SubPath: "ra.key", Volume: "ra", Source: "secret", Files: &lint.MountFiles{DefaultMode: 0o440, Items: []lint.MountItem{{Path: "ra.key", Mode: 0o400}, {Path: "sub/ra.crt", Mode: 0o440}}}, FSGroup: &g},
		{Path: "/etc/certctl/proj", Volume: "proj", Source: "projected", Files: &lint.MountFiles{DefaultMode: 0o600, AllKeys: true, Items: []lint.MountItem{{Path: "key.pem", Mode: 0o640}, {Path: "token", Mode: 0o600}}}, FSGroup: &g},
		{Path: "/var/data", SubPathExpr: true, Volume: "dir", Source: "emptyDir"},
		{Path: "/nowhere", Volume: "absent"},
	}
	got, _ := json.Marshal(in.Envs[0].Mounts)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("mounts\n got %s\nwant %s", got, exp)
	}
	if m := in.Envs[1].Mounts; m == nil || len(m) != 0 {
		t.Errorf("a container without mounts: %#v, want an empty list", m)
	}
}

// TestMountModeNotANumber: a mode the API server would reject is unknown (-1),
// never a mode that passes.
func TestMountModeNotANumber(t *testing.T) {
	src := `kind: Pod
apiVersion: v1
metadata: {name: p}
spec:
  containers:
    - name: c
      volumeMounts: [{name: v, mountPath: /v}]
  volumes:
    - name: v
      secret: {secretName: s, defaultMode: "0400", items: [{key: a, path: a, mode: rw}]}
`
	in, err := kube.Load([]byte(src), "p.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := in.Envs[0].Mounts[0].Files
	if f.DefaultMode != -1 || f.Items[0].Mode != -1 {
		t.Errorf("files %+v", f)
	}
}
