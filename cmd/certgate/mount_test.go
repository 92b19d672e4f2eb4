package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintMount runs certgate lint on testdata/mount: each fixture's
// CFG-MOUNT errors (line and text), and no other error.
func TestLintMount(t *testing.T) {
	type want struct {
		line int
		text string
	}
	cases := []struct {
		path string
		want []want
	}{
		{"tls-no-mount.yaml", []want{
			{21, "CERTCTL_SERVER_TLS_CERT_PATH=/etc/certctl/tls/tls.crt (the server's TLS certificate) is not on any volume mount of container server"},
			{23, "CERTCTL_SERVER_TLS_KEY_PATH=/etc/certctl/tls/tls.key (the server's TLS private key) is not on any volume mount of container server"},
		}},
		{"tls-mount.yaml", nil},
		{"ra-default-mode.yaml", []want{{37, "CERTCTL_SCEP_RA_KEY_PATH=/etc/certctl/scep/ra.key (the RA private key of the SCEP profile at /scep) gets mode 0644 from volume scep-ra of container server (defaultMode 0644, Kubernetes' default when the volume sets none)"}}},
		{"ra-mode-0400.yaml", nil},
		{"ra-fs-group.yaml", []want{{38, "gets mode 0440 from volume scep-ra of container server (defaultMode 0400, and the pod's securityContext.fsGroup 1000 adds group read)"}}},
		{"ra-item-mode.yaml", []want{{37, "gets mode 0640 from volume scep-ra of container server (items[] mode 0640)"}}},
		{"compose-no-volume", []want{
			{8, "CERTCTL_SERVER_TLS_CERT_PATH=/etc/certctl/tls/server.crt (the server's TLS certificate) is not on any volume mount of compose service server"},
			{9, "CERTCTL_SERVER_TLS_KEY_PATH=/etc/certctl/tls/server.key (the server's TLS private key) is not on any volume mount of compose service server"},
		}},
		{"compose-volume", nil},
		{"compose-secret", []want{{16, "CERTCTL_SCEP_RA_KEY_PATH=/run/secrets/ra.key (the RA private key of the SCEP profile at /scep) is compose secret ra.key of service server with mode 0440"}}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			code, rep, stderr := lintJSON(t, repoPath(t, filepath.Join("testdata", "mount", c.path)))
			var got []want
			for _, f := range rep.Findings {
				switch {
				case f.Rule == "CFG-MOUNT":
					got = append(got, want{f.Line, f.Message})
				case f.Severity == "error":
					t.Errorf("unexpected error %s: %s", f.Rule, f.Message)
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("CFG-MOUNT findings %v, want %v (stderr %s)", got, c.want, stderr)
			}
			for i, w := range c.want {
				if got[i].line != w.line || !strings.Contains(got[i].text, w.text) {
					t.Errorf("finding %d: line %d %q, want line %d containing %q", i, got[i].line, got[i].text, w.line, w.text)
				}
			}
			if wantCode := min(len(c.want), 1); code != wantCode {
				t.Errorf("exit %d, want %d", code, wantCode)
			}
		})
	}
}

// TestLintMountComposeSecretMode0400: the same compose secret at mode 0400
// passes.
func TestLintMountComposeSecretMode0400(t *testing.T) {
	src, err := os.ReadFile(repoPath(t, "testdata/mount/compose-secret/docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(src), "mode: 0440", "mode: 0400", 1)
	if fixed == string(src) {
		t.Fatal("the fixture has no mode: 0440")
	}
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", fixed)
	code, rep, stderr := lintJSON(t, dir)
	for _, f := range rep.Findings {
		if f.Severity == "error" {
			t.Errorf("unexpected error %s: %s", f.Rule, f.Message)
		}
	}
	if code != 0 {
		t.Errorf("exit %d (stderr %s)", code, stderr)
	}
}
