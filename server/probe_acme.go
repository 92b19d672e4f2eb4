package server

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-acme/lego/v4/acme"
	"github.com/go-acme/lego/v4/acme/api"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint/redact"
)

// ACMEProbe fetches the ACME directory named by CERTCTL_ACME_DIRECTORY_URL with
// lego's client and records (input.probes.acme): configured, scheme, host,
// loopback, reachable, timed_out, tls_verified, verification_disabled,
// cert_verifies (whether the certificate verifies with the roots below, also
// when verification was off), verified_with ("server": the roots certctl
// trusts; "ca_certificates": only with the gate's extra bundles),
// tls_verify_error, roots (what the server trusts, for messages),
// ssl_cert_file, ssl_cert_dir, ssl_cert_file_error, ca_certificates, ca_error,
// new_nonce, new_account, new_order, email_set, email_valid, latency_ms.
//
// Verification is on unless CERTCTL_ACME_INSECURE and CERTCTL_ACME_INSECURE_ACK
// are both true, as in certctl. The roots are the ones certctl's Go runtime
// trusts: the system roots, which SSL_CERT_FILE and SSL_CERT_DIR replace, as
// the judged environment sets them (see ServerRoots). certctl never reads
// LEGO_* variables, and neither does the probe. The gate's CA bundles
// (WithCACertificates, --ca-certificates) are an operator's explicit extra:
// a certificate that verifies only with them is recorded as such.
//
// Nothing the probe records holds the URL's credentials: every error passes
// through lint/redact.
type ACMEProbe struct{}

// Name is "acme".
func (*ACMEProbe) Name() string { return "acme" }

// Probe implements Probe.
func (p *ACMEProbe) Probe(ctx context.Context, env *ProbeEnv) *ProbeResult {
	facts := map[string]any{"configured": false}
	res := &ProbeResult{Facts: facts}
	email := env.Get("CERTCTL_ACME_EMAIL")
	facts["email_set"] = email != ""
	if email != "" {
		a, err := mail.ParseAddress(email)
		facts["email_valid"] = err == nil && a.Name == "" && a.Address == email
	}
	dirURL := env.Get("CERTCTL_ACME_DIRECTORY_URL")
	if dirURL == "" {
		res.Skipped = "CERTCTL_ACME_DIRECTORY_URL is not set"
		return res
	}
	facts["configured"] = true
	secrets := redact.URLSecrets(dirURL)
	// The URL's own credentials first, in every spelling, then any URL form.
	clean := func(s string) string { return redact.String(redact.Secrets(s, secrets...)) }
	u, err := url.Parse(dirURL)
	if err != nil || u.Host == "" {
		res.Error = "CERTCTL_ACME_DIRECTORY_URL is not an absolute URL"
		return res
	}
	facts["scheme"] = u.Scheme
	facts["host"] = u.Hostname()
	facts["loopback"] = isLoopback(u.Hostname())

	trust := ServerRoots(env.Get)
	facts["roots"] = trust.Describe()
	facts["ssl_cert_file"] = trust.File
	facts["ssl_cert_dir"] = trust.Dir
	if trust.FileError != "" {
		facts["ssl_cert_file_error"] = trust.FileError
	}
	if trust.Err != nil {
		facts["roots_error"] = trust.Err.Error()
	}
	facts["ca_certificates"] = slices.Clone(env.CACertificates)
	if env.CACertificates == nil {
		facts["ca_certificates"] = []string{}
	}
	extra, err := extraPool(trust.Pool, env.CACertificates)
	if err != nil {
		facts["ca_error"] = err.Error()
		res.Error = err.Error()
		return res
	}
	insecure := isTrue(env.Get("CERTCTL_ACME_INSECURE")) && isTrue(env.Get("CERTCTL_ACME_INSECURE_ACK"))
	facts["verification_disabled"] = insecure
	var mu sync.Mutex
	var verifyErr error
	var verifiedWith string
	tlsCfg := &tls.Config{
		// Verification is done in VerifyConnection so that, with it switched
		// off, the gate can still say whether it would have passed.
		InsecureSkipVerify: true, //nolint:gosec // verified below unless certctl's insecure mode is on
		VerifyConnection: func(cs tls.ConnectionState) error {
			with := ""
			err := verifyChain(cs, trust.Pool)
			if err == nil {
				with = "server"
			} else if extra != nil && verifyChain(cs, extra) == nil {
				with = "ca_certificates"
			}
			mu.Lock()
			verifyErr, verifiedWith = err, with
			mu.Unlock()
			if insecure || with != "" {
				return nil
			}
			return err
		},
	}
	tr := &http.Transport{
		Proxy:             http.ProxyFromEnvironment,
		DialContext:       (&net.Dialer{}).DialContext,
		TLSClientConfig:   tlsCfg,
		DisableKeepAlives: true,
	}
	defer tr.CloseIdleConnections()
	// lego's directory fetch takes no context: the client timeout bounds it.
	rec := &recorder{ctx: ctx, rt: tr}
	client := &http.Client{Timeout: env.Timeout, Transport: rec}
	start := time.Now()
	_, err = api.New(client, "certgate", dirURL, "", nil)
	res.Latency = time.Since(start)
	mu.Lock()
	if u.Scheme == "https" {
		facts["cert_verifies"] = verifiedWith != ""
		facts["verified_with"] = verifiedWith
		facts["tls_verified"] = verifiedWith != "" && !insecure
		if verifyErr != nil && verifiedWith == "" {
			facts["tls_verify_error"] = clean(verifyErr.Error())
		}
		res.TLS = boolPtr(true)
	} else {
		facts["tls_verified"] = false
		res.TLS = boolPtr(false)
	}
	mu.Unlock()
	// lego rejects a directory without newAccount or newOrder; the recorded
	// body still says which endpoints the CA serves.
	var dir acme.Directory
	if rec.directory == nil || json.Unmarshal(rec.directory, &dir) != nil {
		if err == nil {
			err = errors.New("the directory is not a JSON object")
		}
		facts["timed_out"] = isTimeout(err) || ctx.Err() != nil
		res.Error = clean(oneLine(err.Error()))
		return res
	}
	res.Reachable = true
	facts["new_nonce"] = dir.NewNonceURL != ""
	facts["new_account"] = dir.NewAccountURL != ""
	facts["new_order"] = dir.NewOrderURL != ""
	return res
}

// isTimeout reports whether err is a deadline or a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// recorder binds every request of the probe to the probe's context and keeps
// the body of the first successful response: the directory.
type recorder struct {
	ctx       context.Context
	rt        http.RoundTripper
	directory []byte
}

func (t *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r.WithContext(t.ctx))
	if err != nil || t.directory != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	t.directory = body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// verifyChain verifies the peer chain as crypto/tls would (roots nil: system).
func verifyChain(cs tls.ConnectionState, roots *x509.CertPool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("no server certificate")
	}
	opts := x509.VerifyOptions{Roots: roots, DNSName: cs.ServerName, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(opts)
	return err
}

// extraPool is roots plus the gate's CA bundles (nil when there are none). An
// unreadable bundle, or one without certificates, is an error naming it as
// the --ca-certificates extra.
func extraPool(roots *x509.CertPool, paths []string) (*x509.CertPool, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	pool := x509.NewCertPool()
	if roots != nil {
		pool = roots.Clone()
	}
	for _, p := range paths {
		pem, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("--ca-certificates %s (an extra bundle for the gate's check) cannot be read: %w", p, readfile.StripPath(err))
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-certificates %s (an extra bundle for the gate's check) holds no PEM certificate", p)
		}
	}
	return pool, nil
}

// isTrue reads a boolean as certctl does.
func isTrue(v string) bool { return v == "true" || v == "1" || v == "yes" }

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Roots are the roots a certctl server trusts for outgoing TLS (its ACME
// directory): Go's system roots as its runtime loads them.
type Roots struct {
	// Pool holds the roots; never nil.
	Pool *x509.CertPool
	// File and Dir are SSL_CERT_FILE and SSL_CERT_DIR as the server sees them.
	File, Dir string
	// FileError says why SSL_CERT_FILE, when set, adds no certificate (Go
	// ignores such a file silently).
	FileError string
	// Err is Go's error when no root at all could be loaded.
	Err error
}

// Describe names the roots for messages: "Go's system roots",
// "SSL_CERT_FILE=/etc/ca.pem and the system directories", ...
func (r *Roots) Describe() string {
	switch {
	case r.File != "" && r.Dir != "":
		return "SSL_CERT_FILE=" + r.File + " and SSL_CERT_DIR=" + r.Dir
	case r.File != "":
		return "SSL_CERT_FILE=" + r.File + " and the system certificate directories"
	case r.Dir != "":
		return "the system CA bundle and SSL_CERT_DIR=" + r.Dir
	}
	return "Go's system roots"
}

// linuxCertFiles and linuxCertDirs are crypto/x509's defaults on Linux, where
// certctl runs: the first readable file, and every directory.
var (
	linuxCertFiles = []string{
		"/etc/ssl/certs/ca-certificates.crt",
		"/etc/pki/tls/certs/ca-bundle.crt",
		"/etc/ssl/ca-bundle.pem",
		"/etc/pki/tls/cacert.pem",
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
		"/etc/ssl/cert.pem",
	}
	linuxCertDirs = []string{"/etc/ssl/certs", "/etc/pki/tls/certs"}
)

// ServerRoots are the roots of a server whose environment get reads. When its
// SSL_CERT_FILE and SSL_CERT_DIR are this process's own (certgate exec, or
// Check with os.Environ()), they are x509.SystemCertPool's: the same runtime
// on the same host. Otherwise (an environment from .env files, or a test's)
// the Linux loader is followed with the judged values: SSL_CERT_FILE replaces
// the default bundle list, SSL_CERT_DIR (colon-separated) the default
// directories.
func ServerRoots(get func(string) string) *Roots {
	r := &Roots{File: get("SSL_CERT_FILE"), Dir: get("SSL_CERT_DIR")}
	if r.File != "" {
		if data, err := os.ReadFile(r.File); err != nil {
			r.FileError = readfile.StripPath(err).Error()
		} else if !x509.NewCertPool().AppendCertsFromPEM(data) {
			r.FileError = "it holds no PEM certificate"
		}
	}
	if runtime.GOOS != "linux" || (r.File == os.Getenv("SSL_CERT_FILE") && r.Dir == os.Getenv("SSL_CERT_DIR")) {
		r.Pool, r.Err = x509.SystemCertPool()
	} else {
		r.Pool, r.Err = linuxRoots(r.File, r.Dir)
	}
	if r.Pool == nil {
		r.Pool = x509.NewCertPool()
	}
	return r
}

// linuxRoots is crypto/x509's loadSystemRoots on Linux with file and dir in
// place of the process's SSL_CERT_FILE and SSL_CERT_DIR.
func linuxRoots(file, dir string) (*x509.CertPool, error) {
	roots := x509.NewCertPool()
	n := 0
	files := linuxCertFiles
	if file != "" {
		files = []string{file}
	}
	var firstErr error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err == nil {
			if roots.AppendCertsFromPEM(data) {
				n++
			}
			break
		}
		if firstErr == nil && !os.IsNotExist(err) {
			firstErr = err
		}
	}
	dirs := linuxCertDirs
	if dir != "" {
		dirs = strings.Split(dir, ":")
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			if firstErr == nil && !os.IsNotExist(err) {
				firstErr = err
			}
			continue
		}
		for _, e := range entries {
			if e.Type()&fs.ModeSymlink != 0 {
				// Go skips symlinks to a name in the same directory (the
				// hashed links of c_rehash).
				if t, err := os.Readlink(filepath.Join(d, e.Name())); err == nil && !strings.Contains(t, "/") {
					continue
				}
			}
			if data, err := os.ReadFile(d + "/" + e.Name()); err == nil && roots.AppendCertsFromPEM(data) {
				n++
			}
		}
	}
	if n > 0 || firstErr == nil {
		return roots, nil
	}
	return nil, firstErr
}
