package testutil

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Pair is a certificate and key written as PEM files for host-fact tests.
type Pair struct {
	Cert, Key string
}

// PairOptions shape a generated certificate.
type PairOptions struct {
	// CN is the subject common name (default "certgate test").
	CN string
	// NotAfter is the expiry (default 10 years from now).
	NotAfter time.Time
	// Ed25519 generates an Ed25519 key instead of ECDSA P-256.
	Ed25519 bool
	// KeyMode is the key file's mode (default 0600).
	KeyMode os.FileMode
}

// WritePair generates a self-signed certificate and its key with crypto/x509
// and writes them to dir/name.crt and dir/name.key.
func WritePair(t testing.TB, dir, name string, o PairOptions) Pair {
	t.Helper()
	if o.CN == "" {
		o.CN = "certgate test"
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().AddDate(10, 0, 0)
	}
	if o.KeyMode == 0 {
		o.KeyMode = 0o600
	}
	var pub crypto.PublicKey
	var priv crypto.Signer
	if o.Ed25519 {
		p, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = p, k
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = &k.PublicKey, k
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: o.CN},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              o.NotAfter,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	p := Pair{Cert: filepath.Join(dir, name+".crt"), Key: filepath.Join(dir, name+".key")}
	WriteFile(t, p.Cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	WriteFile(t, p.Key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), o.KeyMode)
	return p
}

// WriteFile writes b to path with exactly mode (whatever the umask).
func WriteFile(t testing.TB, path string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
