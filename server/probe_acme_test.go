package server_test

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
	"github.com/certgate/certgate/server/internal/testenv"
)

func acmeProbe() server.Option { return server.WithProbes(&server.ACMEProbe{}) }

// emptyDir is an SSL_CERT_DIR without certificates: with it, the roots are
// exactly what SSL_CERT_FILE holds, whatever this machine's trust store has.
func emptyDir(t *testing.T) string { return "SSL_CERT_DIR=" + t.TempDir() }

// credURL puts user, password and a token into a directory URL.
func credURL(t *testing.T, dirURL, user, password, token string) string {
	t.Helper()
	u, err := url.Parse(dirURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(user, password)
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

func TestACMEProbe(t *testing.T) {
	p := pebbleServer(t)
	dir := "CERTCTL_ACME_DIRECTORY_URL=" + p.DirectoryURL

	t.Run("pebble CA in SSL_CERT_FILE: passes", func(t *testing.T) {
		r := check(t, []string{dir, "CERTCTL_ACME_EMAIL=pki@example.com", "SSL_CERT_FILE=" + p.CAFile, emptyDir(t)}, acmeProbe())
		r.passed(t)
		if len(r.report.Findings) != 0 {
			t.Fatalf("want a clean report, got %+v", r.report.Findings)
		}
		a := r.results["acme"]
		if !a.Reachable || a.Facts["tls_verified"] != true || a.Facts["verified_with"] != "server" || a.Facts["new_nonce"] != true || a.Facts["new_account"] != true ||
			a.Facts["new_order"] != true || a.Facts["email_valid"] != true || a.Facts["loopback"] != true || a.Facts["scheme"] != "https" ||
			a.Facts["ssl_cert_file"] != p.CAFile {
			t.Fatalf("probe result %+v", a)
		}
	})
	t.Run("pebble CA in SSL_CERT_DIR: passes", func(t *testing.T) {
		d := t.TempDir()
		pemBytes, err := os.ReadFile(p.CAFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "pebble.pem"), pemBytes, 0o644); err != nil {
			t.Fatal(err)
		}
		r := check(t, []string{dir, "SSL_CERT_FILE=" + filepath.Join(t.TempDir(), "none.pem"), "SSL_CERT_DIR=" + t.TempDir() + ":" + d}, acmeProbe())
		r.passed(t)
		if a := r.results["acme"]; a.Facts["verified_with"] != "server" {
			t.Fatalf("probe result %+v", a)
		}
		// The missing SSL_CERT_FILE is ignored by Go, silently: certgate says so.
		if !r.has("CFG-ACME-DIR", lint.SeverityWarning, "none.pem adds no root (no such file or directory): Go ignores it silently") {
			t.Fatalf("want the SSL_CERT_FILE warning, got %+v", r.report.Findings)
		}
	})
	t.Run("pebble CA not trusted: refused naming the roots", func(t *testing.T) {
		r := check(t, []string{dir, emptyDir(t)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "TLS verification of the ACME directory failed with the roots certctl trusts (the system CA bundle and SSL_CERT_DIR=")
		if a := r.results["acme"]; a.Reachable || a.Facts["tls_verified"] != false || a.Facts["verified_with"] != "" {
			t.Fatalf("probe result %+v", a)
		}
		for _, f := range r.report.Findings {
			if strings.Contains(f.Message, "LEGO") || strings.Contains(f.Remediation, "LEGO") {
				t.Fatalf("a finding points at LEGO_* variables certctl never reads: %+v", f)
			}
		}
	})
	t.Run("SSL_CERT_FILE without the pebble CA: refused", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other.pem")
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		srv.Close()
		if err := os.WriteFile(other, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
			t.Fatal(err)
		}
		r := check(t, []string{dir, "SSL_CERT_FILE=" + other, emptyDir(t)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "(SSL_CERT_FILE="+other+" and SSL_CERT_DIR=")
	})
	t.Run("LEGO_CA_CERTIFICATES is not read: refused", func(t *testing.T) {
		r := check(t, []string{dir, "LEGO_CA_CERTIFICATES=" + p.CAFile, "LEGO_CA_SYSTEM_CERT_POOL=true", emptyDir(t)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "TLS verification of the ACME directory failed")
	})
	t.Run("pebble CA only from --ca-certificates: passes, named as the gate's extra", func(t *testing.T) {
		r := check(t, []string{dir, emptyDir(t)}, acmeProbe(), server.WithCACertificates(p.CAFile))
		r.passed(t)
		if !r.has("CFG-ACME-DIR", lint.SeverityInfo, "verifies only with --ca-certificates "+p.CAFile+", an extra given to certgate") {
			t.Fatalf("want the CFG-ACME-DIR info naming the extra bundle, got %+v", r.report.Findings)
		}
		if a := r.results["acme"]; !a.Reachable || a.Facts["verified_with"] != "ca_certificates" || a.Facts["tls_verified"] != true {
			t.Fatalf("probe result %+v", a)
		}
	})
	t.Run("insecure with ack: SEC-M4 warning, reachable", func(t *testing.T) {
		r := check(t, []string{dir, "CERTCTL_ACME_INSECURE=true", "CERTCTL_ACME_INSECURE_ACK=true", emptyDir(t)}, acmeProbe())
		r.passed(t)
		if !r.has("SEC-M4", lint.SeverityWarning, "TLS verification of the ACME directory is disabled") {
			t.Fatalf("want SEC-M4 warning, got %+v", r.report.Findings)
		}
		if a := r.results["acme"]; !a.Reachable || a.Facts["tls_verified"] != false || a.Facts["cert_verifies"] != false {
			t.Fatalf("probe result %+v", a)
		}
		if r.has("CFG-ACME-DIR", lint.SeverityInfo, "") {
			t.Fatal("the insecure flag is needed here: no info expected")
		}
	})
	t.Run("insecure with ack although the CA is trusted: info", func(t *testing.T) {
		r := check(t, []string{dir, "CERTCTL_ACME_INSECURE=true", "CERTCTL_ACME_INSECURE_ACK=true", "SSL_CERT_FILE=" + p.CAFile, emptyDir(t)}, acmeProbe())
		r.passed(t)
		if !r.has("CFG-ACME-DIR", lint.SeverityInfo, "verifies with SSL_CERT_FILE="+p.CAFile) || !r.has("CFG-ACME-DIR", lint.SeverityInfo, "CERTCTL_ACME_INSECURE is unnecessary") {
			t.Fatalf("want CFG-ACME-DIR info, got %+v", r.report.Findings)
		}
	})
	t.Run("plain http: refused", func(t *testing.T) {
		r := check(t, []string{fmt.Sprintf("CERTCTL_ACME_DIRECTORY_URL=http://acme.certctl.test:%d/dir", p.Port)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "uses http to acme.certctl.test")
		if r.results["acme"].Reachable {
			t.Fatalf("probe result %+v", r.results["acme"])
		}
	})
	t.Run("http to pebble's https port: refused, the probe failed", func(t *testing.T) {
		r := check(t, []string{fmt.Sprintf("CERTCTL_ACME_DIRECTORY_URL=http://127.0.0.1:%d/dir", p.Port)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "the ACME directory is unreachable (probe timeout 3s)")
		r.refused(t, "CFG-ACME-DIR", "a failed probe is never a pass")
	})
	t.Run("invalid email: warning", func(t *testing.T) {
		r := check(t, []string{dir, "CERTCTL_ACME_EMAIL=PKI Team <pki@example.com>", "SSL_CERT_FILE=" + p.CAFile}, acmeProbe())
		r.passed(t)
		if !r.has("CFG-ACME-DIR", lint.SeverityWarning, "CERTCTL_ACME_EMAIL is not a valid email address") {
			t.Fatalf("want the email warning, got %+v", r.report.Findings)
		}
	})
	t.Run("unreadable --ca-certificates bundle: refused, named as the extra", func(t *testing.T) {
		r := check(t, []string{dir}, acmeProbe(), server.WithCACertificates(p.CAFile+".missing"))
		r.refused(t, "CFG-ACME-DIR", "--ca-certificates "+p.CAFile+".missing (an extra bundle for the gate's check) cannot be read")
	})
	t.Run("credentials in the URL never show", func(t *testing.T) {
		const user, pw, tok = "acme-user-4f1e", "acme-pw-9b7c", "acme-tok-2d6a"
		u := credURL(t, p.DirectoryURL, user, pw, tok)
		// Trusted: pebble ignores the credentials and the probe passes.
		r := check(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + u, "SSL_CERT_FILE=" + p.CAFile}, acmeProbe())
		r.passed(t)
		r.noSecrets(t, user, pw, tok)
		// Untrusted, unreachable and timing out: every failure message too.
		r = check(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + u, emptyDir(t)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "TLS verification")
		r.noSecrets(t, user, pw, tok)
		port, err := testenv.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		r = check(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + credURL(t, fmt.Sprintf("https://127.0.0.1:%d/dir", port), user, pw, tok)}, acmeProbe())
		r.refused(t, "CFG-ACME-DIR", "unreachable")
		r.noSecrets(t, user, pw, tok)
	})
}

func TestACMEProbeNotConfigured(t *testing.T) {
	r := check(t, nil, acmeProbe())
	r.passed(t)
	if a := r.results["acme"]; a.Skipped == "" || a.Reachable {
		t.Fatalf("probe result %+v", a)
	}
}

// TestACMEProbeTimeout: a directory that accepts TLS and never answers. The
// probe fails within its timeout, and the gate refuses naming the timeout.
func TestACMEProbeTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release) // before srv.Close, which waits for the handler
	ca := writeCert(t, srv.Certificate().Raw)
	start := time.Now()
	r := check(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + srv.URL + "/dir?access_token=tok-5e8a1", "SSL_CERT_FILE=" + ca, emptyDir(t)},
		acmeProbe(), server.WithProbeTimeout(300*time.Millisecond))
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the probe took %s with a 300ms timeout", d)
	}
	r.refused(t, "CFG-ACME-DIR", "did not answer within the probe's 300ms timeout (--probe-timeout)")
	if a := r.results["acme"]; a.Reachable || a.Facts["timed_out"] != true {
		t.Fatalf("probe result %+v", a)
	}
	r.noSecrets(t, "tok-5e8a1")
}

// TestACMEProbeHandshakeHangs: a listener that accepts and never speaks TLS.
func TestACMEProbeHandshakeHangs(t *testing.T) {
	l := testutil.SilentListener(t)
	r := check(t, []string{"CERTCTL_ACME_DIRECTORY_URL=https://" + l.Addr().String() + "/dir"}, acmeProbe(), server.WithProbeTimeout(200*time.Millisecond))
	r.refused(t, "CFG-ACME-DIR", "200ms timeout")
}

func writeCert(t *testing.T, der []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServerRoots checks the judged environment's SSL_CERT_FILE and
// SSL_CERT_DIR against a certificate: each one alone makes it verify.
func TestServerRoots(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	ca := writeCert(t, srv.Certificate().Raw)
	verifies := func(vars map[string]string) bool {
		roots := server.ServerRoots(func(k string) string { return vars[k] })
		_, err := srv.Certificate().Verify(x509.VerifyOptions{Roots: roots.Pool})
		return err == nil
	}
	empty := t.TempDir()
	if !verifies(map[string]string{"SSL_CERT_FILE": ca, "SSL_CERT_DIR": empty}) {
		t.Error("SSL_CERT_FILE does not add its certificate")
	}
	if !verifies(map[string]string{"SSL_CERT_FILE": filepath.Join(empty, "none.pem"), "SSL_CERT_DIR": empty + ":" + filepath.Dir(ca)}) {
		t.Error("SSL_CERT_DIR (a colon-separated list) does not add its certificates")
	}
	if verifies(map[string]string{"SSL_CERT_FILE": filepath.Join(empty, "none.pem"), "SSL_CERT_DIR": empty}) {
		t.Error("a certificate verifies without being trusted")
	}
	r := server.ServerRoots(func(k string) string { return map[string]string{"SSL_CERT_FILE": empty + "/none.pem"}[k] })
	if r.FileError == "" || !strings.Contains(r.Describe(), "SSL_CERT_FILE="+empty+"/none.pem") {
		t.Errorf("a missing SSL_CERT_FILE: %+v, %q", r, r.Describe())
	}
}

// TestACMEProbeDirectoryEndpoints serves directories that lack endpoints.
func TestACMEProbeDirectoryEndpoints(t *testing.T) {
	cases := []struct {
		name    string
		dir     string
		missing []string
	}{
		{"complete", `{"newNonce":"/n","newAccount":"/a","newOrder":"/o"}`, nil},
		{"no newNonce", `{"newAccount":"/a","newOrder":"/o"}`, []string{"newNonce"}},
		{"no newOrder", `{"newNonce":"/n","newAccount":"/a"}`, []string{"newOrder"}},
		{"no newAccount", `{"newNonce":"/n","newOrder":"/o"}`, []string{"newAccount"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, tc.dir)
			}))
			defer srv.Close()
			ca := writeCert(t, srv.Certificate().Raw)
			r := check(t, []string{"CERTCTL_ACME_DIRECTORY_URL=" + srv.URL + "/dir", "SSL_CERT_FILE=" + ca, emptyDir(t)}, acmeProbe())
			r.passed(t)
			if !r.results["acme"].Reachable {
				t.Fatalf("probe result %+v", r.results["acme"])
			}
			for _, m := range tc.missing {
				if !r.has("CFG-ACME-DIR", lint.SeverityWarning, "has no "+m+" endpoint") {
					t.Fatalf("want a warning about %s, got %+v", m, r.report.Findings)
				}
			}
			if len(r.report.Findings) != len(tc.missing) {
				t.Fatalf("want %d findings, got %+v", len(tc.missing), r.report.Findings)
			}
		})
	}
}
