package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
)

// hostFiles is a set of real files certctl starts with: the TLS pair, a SCEP
// profile's RA pair (key at 0600) and its mTLS client CA bundle.
type hostFiles struct {
	dir         string
	tls, ra, ca testutil.Pair
}

func newHostFiles(t *testing.T) *hostFiles {
	t.Helper()
	dir := t.TempDir()
	h := &hostFiles{
		dir: dir,
		tls: testutil.WritePair(t, dir, "server", testutil.PairOptions{CN: "certctl.internal"}),
		ra:  testutil.WritePair(t, dir, "ra", testutil.PairOptions{CN: "corp RA"}),
		ca:  testutil.WritePair(t, dir, "clients", testutil.PairOptions{CN: "client CA"}),
	}
	return h
}

// env is bootingEnviron with SCEP on for profile corp and the files of h,
// changed by changes.
func (h *hostFiles) env(changes ...string) []string {
	base := []string{
		"CERTCTL_SERVER_TLS_CERT_PATH=" + h.tls.Cert,
		"CERTCTL_SERVER_TLS_KEY_PATH=" + h.tls.Key,
		"CERTCTL_SCEP_ENABLED=true",
		"CERTCTL_SCEP_PROFILES=corp",
		"CERTCTL_SCEP_PROFILE_CORP_CHALLENGE_PASSWORD=Ch4llengeValue",
		"CERTCTL_SCEP_PROFILE_CORP_ISSUER_ID=iss-local",
		"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH=" + h.ra.Cert,
		"CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH=" + h.ra.Key,
		"CERTCTL_SCEP_PROFILE_CORP_MTLS_ENABLED=true",
		"CERTCTL_SCEP_PROFILE_CORP_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH=" + h.ca.Cert,
	}
	return bootingEnviron(append(base, changes...)...)
}

// runExec runs `certgate exec ARGS -- true` in-process and reports whether
// the command would have been started.
func runExec(t *testing.T, environ []string, args ...string) (result, bool) {
	t.Helper()
	started := false
	saved := execve
	execve = func(string, []string, []string) error { started = true; return nil }
	defer func() { execve = saved }()
	r := runCLI(t, environ, "", append(append([]string{"exec"}, args...), "--", "true")...)
	return r, started
}

// TestExecHostFiles: certgate exec refuses, without starting the command,
// each of the host's files certctl would refuse, and starts it when they all
// load.
func TestExecHostFiles(t *testing.T) {
	h := newHostFiles(t)
	t.Run("a valid set starts the command", func(t *testing.T) {
		r, started := runExec(t, h.env())
		if r.code != 0 || !started {
			t.Fatalf("code=%d started=%v\n%s%s", r.code, started, r.out, r.err)
		}
	})

	expired := testutil.WritePair(t, h.dir, "expired-ra", testutil.PairOptions{NotAfter: time.Now().Add(-24 * time.Hour)})
	loose := testutil.WritePair(t, h.dir, "loose-ra", testutil.PairOptions{KeyMode: 0o644})
	ed := testutil.WritePair(t, h.dir, "ed-ra", testutil.PairOptions{Ed25519: true})
	keyOnly := filepath.Join(h.dir, "key-only.pem")
	b, err := os.ReadFile(h.ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, keyOnly, b, 0o644)
	notPEM := filepath.Join(h.dir, "not.pem")
	testutil.WriteFile(t, notPEM, []byte("not a certificate\n"), 0o644)

	for _, c := range []struct {
		name    string
		changes []string
		rule    string
		text    string
	}{
		{"missing certificate", []string{"CERTCTL_SERVER_TLS_CERT_PATH=" + filepath.Join(h.dir, "absent.crt")}, "CFG-TLS-FILES", "absent.crt does not exist"},
		{"swapped pair", []string{"CERTCTL_SERVER_TLS_CERT_PATH=" + h.tls.Key, "CERTCTL_SERVER_TLS_KEY_PATH=" + h.tls.Cert}, "CFG-TLS-FILES", "do not load as a matching X.509 key pair"},
		{"mismatched pair", []string{"CERTCTL_SERVER_TLS_KEY_PATH=" + h.ra.Key}, "CFG-TLS-FILES", "private key does not match public key"},
		{"certificate not PEM", []string{"CERTCTL_SERVER_TLS_CERT_PATH=" + notPEM}, "CFG-TLS-FILES", "do not load as a matching X.509 key pair"},
		{"RA key mode 0644", []string{"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH=" + loose.Cert, "CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH=" + loose.Key}, "CFG-SCEP-RA", "has mode 0644"},
		{"expired RA certificate", []string{"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH=" + expired.Cert, "CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH=" + expired.Key}, "CFG-SCEP-RA", "expired on"},
		{"Ed25519 RA key", []string{"CERTCTL_SCEP_PROFILE_CORP_RA_CERT_PATH=" + ed.Cert, "CERTCTL_SCEP_PROFILE_CORP_RA_KEY_PATH=" + ed.Key}, "CFG-SCEP-RA", "holds a Ed25519 key"},
		{"bundle without certificates", []string{"CERTCTL_SCEP_PROFILE_CORP_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH=" + keyOnly}, "CFG-TRUST-BUNDLE", "holds no certificate (only PRIVATE KEY)"},
		{"bundle not PEM", []string{"CERTCTL_SCEP_PROFILE_CORP_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH=" + notPEM}, "CFG-TRUST-BUNDLE", "is not PEM"},
		{"missing migrations directory", []string{"CERTCTL_DATABASE_MIGRATIONS_PATH=" + filepath.Join(h.dir, "migrations")}, "CFG-MIGRATIONS", "migrations does not exist"},
		{"OTEL attributes the SDK rejects", []string{"CERTCTL_OTEL_ENABLED=true", "OTEL_RESOURCE_ATTRIBUTES=service.name=certctl,"}, "CFG-OTEL", "item(s) 2 have no \"=\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, started := runExec(t, h.env(c.changes...))
			if r.code != 1 || started {
				t.Fatalf("code=%d started=%v, want a refusal\n%s", r.code, started, r.err)
			}
			if !strings.Contains(r.err, "error "+c.rule+": ") || !strings.Contains(r.err, c.text) {
				t.Fatalf("want %s saying %q:\n%s", c.rule, c.text, r.err)
			}
			for _, f := range []string{h.tls.Key, h.ra.Key, h.ca.Key, loose.Key, expired.Key, ed.Key, notPEM} {
				b, _ := os.ReadFile(f)
				for _, line := range strings.Split(string(b), "\n") {
					if len(line) > 8 && strings.Contains(r.err, line) {
						t.Fatalf("contents of %s reached the output:\n%s", f, r.err)
					}
				}
			}
		})
	}

	t.Run("--no-host skips the files", func(t *testing.T) {
		r, started := runExec(t, h.env("CERTCTL_SERVER_TLS_CERT_PATH="+filepath.Join(h.dir, "absent.crt")), "--no-host")
		if r.code != 0 || !started {
			t.Fatalf("code=%d started=%v\n%s", r.code, started, r.err)
		}
	})
	t.Run("migrations via a hook are not checked", func(t *testing.T) {
		r, started := runExec(t, h.env("CERTCTL_DATABASE_MIGRATIONS_PATH="+filepath.Join(h.dir, "migrations"), "CERTCTL_MIGRATIONS_VIA_HOOK=TRUE"))
		if r.code != 0 || !started {
			t.Fatalf("code=%d started=%v\n%s", r.code, started, r.err)
		}
	})
}

// TestEnvHostFiles: certgate env judges the host's files too, from .env files
// as from the process environment, and --no-host skips them.
func TestEnvHostFiles(t *testing.T) {
	h := newHostFiles(t)
	missing := "CERTCTL_SERVER_TLS_KEY_PATH=" + filepath.Join(h.dir, "absent.key")
	file := writeFile(t, h.dir, "server.env", strings.Join(h.env(missing), "\n")+"\n")
	r := runCLI(t, nil, "", "env", "--env-file", file)
	if r.code != 1 || !strings.Contains(r.out, "error CFG-TLS-FILES: CERTCTL_SERVER_TLS_KEY_PATH="+filepath.Join(h.dir, "absent.key")+" does not exist") {
		t.Fatalf("code=%d\n%s%s", r.code, r.out, r.err)
	}
	if r := runCLI(t, nil, "", "env", "--env-file", file, "--no-host"); r.code != 0 {
		t.Fatalf("--no-host: code=%d\n%s%s", r.code, r.out, r.err)
	}
	r = runCLI(t, h.env("CERTCTL_OTEL_ENABLED=yes", "OTEL_RESOURCE_ATTRIBUTES=a=b,c"), "", "env")
	if r.code != 1 || !strings.Contains(r.out, "error CFG-OTEL") {
		t.Fatalf("OTEL_RESOURCE_ATTRIBUTES of the process environment: code=%d\n%s%s", r.code, r.out, r.err)
	}
	if r := runCLI(t, h.env(), "", "env"); r.code != 0 {
		t.Fatalf("valid set: code=%d\n%s%s", r.code, r.out, r.err)
	}
}
