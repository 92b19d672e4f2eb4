package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/certgate/certgate/lint"
)

// demoStream is a manifest stream whose server acknowledges the demo.
const demoStream = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: certctl-demo
spec:
  template:
    spec:
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl-server:2.1.7
          env:
            - {name: CERTCTL_SERVER_HOST, value: 0.0.0.0}
            - {name: CERTCTL_SERVER_PORT, value: "8443"}
            - {name: CERTCTL_SERVER_TLS_CERT_PATH, value: /tls/tls.crt}
            - {name: CERTCTL_SERVER_TLS_KEY_PATH, value: /tls/tls.key}
            - {name: CERTCTL_AUTH_SECRET, value: Zq8adminSecretValue4711xx}
            - {name: CERTCTL_AGENT_BOOTSTRAP_TOKEN, value: Tk9bootstrapTokenValue0815}
            - {name: CERTCTL_DEMO_MODE_ACK, value: "true"}
            - {name: CERTCTL_DEMO_MODE_ACK_TS, value: "1800000000"}
`

// TestManifestStreamDemoGlobs: a manifest stream is a demo deployment only when
// certgate.yaml's demo_globs name it; otherwise its demo acknowledgement is a
// DEPL-DEMO error.
func TestManifestStreamDemoGlobs(t *testing.T) {
	rules := func(t *testing.T, dir string) map[string]bool {
		t.Helper()
		t.Chdir(dir)
		r := runCLI(t, nil, "", "lint", "deploy/demo.yaml", "--now", "1800000060", "--format", "json")
		var rep lint.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatalf("code=%d: %v\n%s%s", r.code, err, r.out, r.err)
		}
		got := map[string]bool{}
		for _, f := range rep.Findings {
			got[f.Rule+":"+string(f.Severity)] = true
		}
		return got
	}
	plain := t.TempDir()
	writeFile(t, mkdir(t, plain, "deploy"), "demo.yaml", demoStream)
	if got := rules(t, plain); !got["DEPL-DEMO:error"] {
		t.Errorf("a stream no demo glob names must fail DEPL-DEMO: %v", got)
	}
	marked := t.TempDir()
	writeFile(t, mkdir(t, marked, "deploy"), "demo.yaml", demoStream)
	writeFile(t, marked, "certgate.yaml", "demo_globs: [deploy/demo.yaml]\n")
	if got := rules(t, marked); got["DEPL-DEMO:error"] {
		t.Errorf("a stream the demo globs name is a demo: %v", got)
	}
}

func mkdir(t *testing.T, parent, name string) string {
	t.Helper()
	p := filepath.Join(parent, name)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}
