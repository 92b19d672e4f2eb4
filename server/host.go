package server

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
)

// MaxHostFileSize bounds every file the host facts read: certificates, keys
// and trust bundles are small, so a larger file is recorded as unreadable
// rather than read.
const MaxHostFileSize = 1 << 20

// otelAttributesVar is the OpenTelemetry SDK's resource attribute variable.
const otelAttributesVar = "OTEL_RESOURCE_ATTRIBUTES"

// HostFacts are what the gate found on this host about the files and
// settings certctl reads after loading its configuration: input.host (the
// Input's Host section; Value is the document the policies see).
type HostFacts = lint.HostFacts

// FileFacts describe one file named by a variable.
type FileFacts = lint.FileFacts

// CertFacts describe one certificate: never its key, only what policies and
// messages need.
type CertFacts = lint.CertFacts

// PairFacts say whether a certificate file and a key file form a pair.
type PairFacts = lint.PairFacts

// OTELFacts are the OpenTelemetry SDK's reading of OTEL_RESOURCE_ATTRIBUTES.
type OTELFacts = lint.OTELFacts

// CollectHostFacts gathers the host facts for vars (a server environment's
// known values by name). It reads only local files named by the variables,
// each at most MaxHostFileSize bytes, and never connects anywhere.
func CollectHostFacts(vars map[string]string) *HostFacts {
	h := &HostFacts{Files: map[string]*FileFacts{}, Pairs: map[string]*PairFacts{}}
	data := map[string][]byte{}
	for name, v := range vars {
		if !strings.HasPrefix(name, "CERTCTL_") || !strings.HasSuffix(name, "_PATH") || v == "" {
			continue
		}
		f, b := readHostFile(v)
		h.Files[name] = f
		if b != nil {
			data[name] = b
		}
	}
	for name := range h.Files {
		base, ok := strings.CutSuffix(name, "_CERT_PATH")
		if !ok {
			continue
		}
		keyName := base + "_KEY_PATH"
		if _, ok := h.Files[keyName]; !ok {
			continue
		}
		h.Pairs[name] = checkPair(keyName, data[name], data[keyName])
	}
	h.OTEL = ParseOTELResourceAttributes(vars[otelAttributesVar])
	return h
}

// readHostFile stats and, when it is a small regular file, reads path. The
// contents are returned for the pair check and never leave this package.
func readHostFile(path string) (*FileFacts, []byte) {
	f := &FileFacts{Path: path, BlockTypes: []string{}, Certs: []CertFacts{}}
	info, err := os.Stat(path)
	if err != nil {
		f.Error = fileError(err)
		return f, nil
	}
	f.Exists, f.Dir, f.Mode, f.Size = true, info.IsDir(), int64(info.Mode().Perm()), info.Size()
	switch {
	case info.IsDir():
		f.Error = "is a directory"
		return f, nil
	case !info.Mode().IsRegular():
		f.Error = "is not a regular file"
		return f, nil
	case info.Size() > MaxHostFileSize:
		f.Error = fmt.Sprintf("is larger than %d bytes (certificates and keys are small)", MaxHostFileSize)
		return f, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		f.Error = fileError(err)
		return f, nil
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, MaxHostFileSize+1))
	if err != nil {
		f.Error = fileError(err)
		return f, nil
	}
	if len(b) > MaxHostFileSize {
		f.Error = fmt.Sprintf("is larger than %d bytes (certificates and keys are small)", MaxHostFileSize)
		return f, nil
	}
	f.Readable = true
	parsePEM(f, b)
	return f, b
}

// fileError names why a file could not be used, without Go's "open PATH:"
// prefix (messages name the path themselves).
func fileError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return readfile.StripPath(err).Error()
}

// parsePEM records the PEM structure of b: block types, the certificates and
// the first private key's algorithm.
func parsePEM(f *FileFacts, b []byte) {
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			return
		}
		f.Blocks++
		f.BlockTypes = append(f.BlockTypes, block.Type)
		switch {
		case block.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				f.CertErrors++
				continue
			}
			f.Certs = append(f.Certs, CertFacts{
				Subject:   c.Subject.String(),
				NotBefore: c.NotBefore.Unix(),
				NotAfter:  c.NotAfter.Unix(),
				KeyType:   keyType(c.PublicKey),
			})
		case strings.HasSuffix(block.Type, "PRIVATE KEY") && f.KeyType == "":
			f.KeyType = privateKeyType(block.Bytes)
		}
	}
}

// privateKeyType parses a private key block as crypto/tls does (PKCS#1,
// PKCS#8, SEC 1) and names its algorithm.
func privateKeyType(der []byte) string {
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return "RSA"
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return keyType(k)
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return "ECDSA"
	}
	return "unknown"
}

func keyType(k any) string {
	switch k.(type) {
	case *rsa.PublicKey, *rsa.PrivateKey:
		return "RSA"
	case *ecdsa.PublicKey, *ecdsa.PrivateKey:
		return "ECDSA"
	case ed25519.PublicKey, ed25519.PrivateKey:
		return "Ed25519"
	}
	return "other"
}

// checkPair loads the two files as tls.LoadX509KeyPair does (the contents are
// the ones already read, so both checks see the same bytes).
func checkPair(keyName string, cert, key []byte) *PairFacts {
	p := &PairFacts{Key: keyName}
	if cert == nil || key == nil {
		return p
	}
	p.Checked = true
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	p.OK, p.KeyType = true, keyType(pair.PrivateKey)
	return p
}

// ParseOTELResourceAttributes reads v as the OpenTelemetry Go SDK's
// environment detector reads OTEL_RESOURCE_ATTRIBUTES (sdk/resource, env.go):
// the value trimmed of spaces, split on ",", each item cut at its first "=";
// an item without "=" makes resource detection fail with
// ErrPartialResource, which certctl treats as fatal; the key and value are
// trimmed and the value is url.PathUnescape'd, a bad escape only being
// reported to the SDK's error handler; an empty key is dropped. Written here
// rather than imported: the rule is a dozen lines, and the SDK would bring its
// whole module graph into the server binary that embeds the gate.
func ParseOTELResourceAttributes(v string) OTELFacts {
	o := OTELFacts{MissingValue: []int{}, BadEscape: []int{}, EmptyKey: []int{}}
	s := strings.TrimSpace(v)
	if s == "" {
		return o
	}
	o.Set = true
	for i, item := range strings.Split(s, ",") {
		o.Pairs++
		k, val, found := strings.Cut(item, "=")
		if !found {
			o.MissingValue = append(o.MissingValue, i+1)
			continue
		}
		if strings.TrimSpace(k) == "" {
			o.EmptyKey = append(o.EmptyKey, i+1)
		}
		if _, err := url.PathUnescape(strings.TrimSpace(val)); err != nil {
			o.BadEscape = append(o.BadEscape, i+1)
		}
	}
	return o
}

// hostVars are the known values of in's first server environment, plus the
// variables of environ it does not hold when that environment is the process
// environment (the env loader keeps only certctl's prefixes, and
// OTEL_RESOURCE_ATTRIBUTES is not one of them).
func hostVars(in *lint.Input, environ []string) map[string]string {
	vars := probeEnv(in)
	i := slices.IndexFunc(in.Envs, func(e lint.Env) bool { return e.Role == lint.RoleServer })
	if i < 0 || in.Envs[i].Origin != lint.OriginProcess {
		return vars
	}
	for _, kv := range environ {
		name, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if _, have := in.Envs[i].Vars[name]; !have {
			vars[name] = v
		}
	}
	return vars
}
