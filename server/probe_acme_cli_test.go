package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExecACMEProbeTrust runs the certgate binary against pebble: exec trusts
// pebble's CA through SSL_CERT_FILE, the variable certctl's runtime reads, and
// starts the command; without it, the command never starts. The directory URL
// carries credentials, which no output shows.
func TestExecACMEProbeTrust(t *testing.T) {
	p := pebbleServer(t)
	const user, pw, tok = "cli-user-8e2b", "cli-pw-1a9f", "cli-tok-6c3d"
	dir := "CERTCTL_ACME_DIRECTORY_URL=" + credURL(t, p.DirectoryURL, user, pw, tok)
	noSecrets := func(t *testing.T, outs ...string) {
		t.Helper()
		for _, s := range []string{user, pw, tok} {
			for _, o := range outs {
				if strings.Contains(o, s) {
					t.Fatalf("%q leaked:\n%s", s, o)
				}
			}
		}
	}
	marker := filepath.Join(t.TempDir(), "started")
	argv := []string{"exec", "--probe", "acme", "--", "sh", "-c", "echo started > " + marker}

	t.Run("SSL_CERT_FILE holds pebble's CA: CMD starts", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, []string{dir, "SSL_CERT_FILE=" + p.CAFile, "SSL_CERT_DIR=" + t.TempDir()}, argv...)
		if code != 0 || !strings.Contains(stderr, "acme  reachable=yes tls=yes (verified)") {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		if _, err := os.Stat(marker); err != nil {
			t.Fatalf("CMD did not start: %v", err)
		}
		noSecrets(t, stdout, stderr)
	})
	t.Run("without it: refused, CMD does not start", func(t *testing.T) {
		os.Remove(marker)
		code, stdout, stderr := runCLI(t, []string{dir, "SSL_CERT_DIR=" + t.TempDir(), "LEGO_CA_CERTIFICATES=" + p.CAFile}, argv...)
		if code != 1 || !strings.Contains(stderr, "error CFG-ACME-DIR") || !strings.Contains(stderr, "TLS verification of the ACME directory failed with the roots certctl trusts") {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatal("CMD started although certctl would not trust the directory")
		}
		noSecrets(t, stdout, stderr)
	})
	t.Run("env --format json: the probes section", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, []string{dir, "SSL_CERT_FILE=" + p.CAFile}, "env", "--probe", "acme", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s%s", code, stdout, stderr)
		}
		var doc struct {
			Probes []struct {
				Name      string         `json:"name"`
				Reachable bool           `json:"reachable"`
				Facts     map[string]any `json:"facts"`
			} `json:"probes"`
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		if len(doc.Probes) != 1 || !doc.Probes[0].Reachable || doc.Probes[0].Facts["verified_with"] != "server" || doc.Probes[0].Facts["ssl_cert_file"] != p.CAFile {
			t.Fatalf("probes section: %s", stdout)
		}
		noSecrets(t, stdout, stderr)
		// Unreachable, with the error in the probes section: still no secret.
		code, stdout, stderr = runCLI(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + credURL(t, "https://127.0.0.1:1/dir", user, pw, tok)}, "env", "--probe", "acme", "--format", "json")
		if code != 1 || !strings.Contains(stdout, `"error": "get directory at`) {
			t.Fatalf("exit %d: %s%s", code, stdout, stderr)
		}
		noSecrets(t, stdout, stderr)
	})
}

// TestExecACMEProbeTimeoutRefuses: a directory that never answers is a
// failed probe, and exec does not start the command.
func TestExecACMEProbeTimeoutRefuses(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ca := writeCert(t, srv.Certificate().Raw)
	marker := filepath.Join(t.TempDir(), "started")
	code, _, stderr := runCLI(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + srv.URL + "/dir", "SSL_CERT_FILE=" + ca},
		"exec", "--probe", "acme", "--probe-timeout", "300ms", "--", "sh", "-c", "echo started > "+marker)
	if code != 1 || !strings.Contains(stderr, "did not answer within the probe's 300ms timeout (--probe-timeout)") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("CMD started although the ACME probe timed out")
	}
}
