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
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-acme/lego/v4/acme"
	"github.com/go-acme/lego/v4/acme/api"
)

// ACMEProbe fetches the ACME directory named by CERTCTL_ACME_DIRECTORY_URL with
// lego's client and records (input.probes.acme): configured, scheme, host,
// loopback, ca_error, reachable, tls_verified, verification_disabled, cert_verifies
// (whether the certificate verifies with the configured roots, also when
// verification was off), tls_verify_error, new_nonce, new_account, new_order,
// email_set, email_valid, latency_ms.
//
// Verification is on unless CERTCTL_ACME_INSECURE and CERTCTL_ACME_INSECURE_ACK
// are both true, as in certctl. Trusted roots are the system roots plus the
// gate's CA bundles and LEGO_CA_CERTIFICATES (paths separated by the OS path
// list separator, as lego reads it).
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
	u, err := url.Parse(dirURL)
	if err != nil || u.Host == "" {
		res.Error = "CERTCTL_ACME_DIRECTORY_URL is not an absolute URL"
		return res
	}
	facts["scheme"] = u.Scheme
	facts["host"] = u.Hostname()
	facts["loopback"] = isLoopback(u.Hostname())

	roots, err := certPool(env)
	if err != nil {
		// lego panics on a bundle it cannot load: certctl would not start.
		facts["ca_error"] = err.Error()
		res.Error = err.Error()
		return res
	}
	insecure := isTrue(env.Get("CERTCTL_ACME_INSECURE")) && isTrue(env.Get("CERTCTL_ACME_INSECURE_ACK"))
	facts["verification_disabled"] = insecure
	var mu sync.Mutex
	var verifyErr error
	var verified bool
	tlsCfg := &tls.Config{
		ServerName: env.Get("LEGO_CA_SERVER_NAME"),
		// Verification is done in VerifyConnection so that, with it switched
		// off, the gate can still say whether it would have passed.
		InsecureSkipVerify: true, //nolint:gosec // verified below unless certctl's insecure mode is on
		VerifyConnection: func(cs tls.ConnectionState) error {
			err := verifyChain(cs, roots)
			mu.Lock()
			verifyErr, verified = err, err == nil
			mu.Unlock()
			if insecure {
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
		facts["cert_verifies"] = verified
		facts["tls_verified"] = verified && !insecure
		if verifyErr != nil {
			facts["tls_verify_error"] = verifyErr.Error()
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
		res.Error = err.Error()
		return res
	}
	res.Reachable = true
	facts["new_nonce"] = dir.NewNonceURL != ""
	facts["new_account"] = dir.NewAccountURL != ""
	facts["new_order"] = dir.NewOrderURL != ""
	return res
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

// certPool is the roots lego would trust plus the gate's bundles; nil (the
// system roots) when there are none. As in lego, LEGO_CA_CERTIFICATES replaces
// the system roots unless LEGO_CA_SYSTEM_CERT_POOL is true. An unreadable
// bundle is an error.
func certPool(env *ProbeEnv) (*x509.CertPool, error) {
	paths := append([]string(nil), env.CACertificates...)
	system := true
	if v := env.Get("LEGO_CA_CERTIFICATES"); v != "" {
		paths = append(paths, strings.Split(v, string(os.PathListSeparator))...)
		system, _ = strconv.ParseBool(env.Get("LEGO_CA_SYSTEM_CERT_POOL"))
	}
	if len(paths) == 0 {
		return nil, nil
	}
	pool := x509.NewCertPool()
	if system {
		if sys, err := x509.SystemCertPool(); err == nil {
			pool = sys
		}
	}
	for _, p := range paths {
		pem, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read CA certificates: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA certificates %s: no PEM certificate found", p)
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
