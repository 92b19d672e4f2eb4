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

	"github.com/certgate/certgate/lint"
)

// MaxHostFileSize bounds every file the host facts read: certificates, keys
// and trust bundles are small, so a larger file is recorded as unreadable
// rather than read.
const MaxHostFileSize = 1 << 20

// otelAttributesVar is the OpenTelemetry SDK's resource attribute variable.
const otelAttributesVar = "OTEL_RESOURCE_ATTRIBUTES"

// HostFacts are what the gate found on this host about the files and
// settings certctl reads after loading its configuration: input.host. They
// hold no file contents and no key material, only what the policies judge
// (existence, mode, PEM structure, certificate validity, whether a pair
// matches).
type HostFacts struct {
	// Files has one entry per set CERTCTL_*_PATH variable, keyed by name.
	Files map[string]*FileFacts `json:"files"`
	// Pairs has one entry per set *_CERT_PATH variable whose *_KEY_PATH twin
	// is set too, keyed by the certificate variable: whether the two load as
	// tls.LoadX509KeyPair loads them.
	Pairs map[string]*PairFacts `json:"pairs"`
	// OTEL is how the OpenTelemetry SDK reads OTEL_RESOURCE_ATTRIBUTES.
	OTEL OTELFacts `json:"otel"`
}

// FileFacts describe one file named by a variable.
type FileFacts struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	Dir    bool   `json:"dir"`
	// Mode is the permission bits (mode & 0o777), as os.Stat sees them
	// (following symbolic links, as certctl does).
	Mode int64 `json:"mode"`
	Size int64 `json:"size"`
	// Readable says the whole file was read (it exists, is a regular file
	// no larger than MaxHostFileSize and opens).
	Readable bool `json:"readable"`
	// Error says why the file does not exist or was not read.
	Error string `json:"error,omitempty"`
	// Blocks counts the PEM blocks; BlockTypes lists their types in order.
	Blocks     int      `json:"blocks"`
	BlockTypes []string `json:"block_types"`
	// Certs are the CERTIFICATE blocks that parse; CertErrors counts those
	// that do not.
	Certs      []CertFacts `json:"certs"`
	CertErrors int         `json:"cert_errors"`
	// KeyType is the algorithm of the first private key block ("RSA",
	// "ECDSA", "Ed25519", "unknown" when it does not parse); "" without one.
	KeyType string `json:"key_type"`
}

// CertFacts describe one certificate: never its key, only what policies and
// messages need.
type CertFacts struct {
	Subject   string `json:"subject"`
	NotBefore int64  `json:"not_before"`
	NotAfter  int64  `json:"not_after"`
	KeyType   string `json:"key_type"`
}

// PairFacts say whether a certificate file and a key file form a pair.
type PairFacts struct {
	Key string `json:"key"`
	// Checked is false when either file could not be read (FileFacts say why).
	Checked bool `json:"checked"`
	OK      bool `json:"ok"`
	// Error is crypto/tls's reason (it names no key material).
	Error string `json:"error,omitempty"`
	// KeyType is the private key's algorithm when the pair loads.
	KeyType string `json:"key_type,omitempty"`
}

// OTELFacts are the OpenTelemetry SDK's reading of OTEL_RESOURCE_ATTRIBUTES.
type OTELFacts struct {
	Set bool `json:"set"`
	// Pairs counts the comma-separated items after trimming the value.
	Pairs int `json:"pairs"`
	// MissingValue lists the 1-based positions of items without "=": the SDK
	// returns an error for them (resource.ErrPartialResource).
	MissingValue []int `json:"missing_value"`
	// BadEscape lists the 1-based positions of items whose value is not valid
	// percent-encoding: the SDK keeps the raw value and reports the error to
	// its global handler only.
	BadEscape []int `json:"bad_escape"`
	// EmptyKey lists the 1-based positions of items with an empty key: the
	// SDK drops them silently.
	EmptyKey []int `json:"empty_key"`
}

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
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
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

// Value is the JSON-shaped document policies see as input.host.
func (h *HostFacts) Value() map[string]any {
	files := make(map[string]any, len(h.Files))
	for name, f := range h.Files {
		certs := make([]any, len(f.Certs))
		for i, c := range f.Certs {
			certs[i] = map[string]any{"subject": c.Subject, "not_before": c.NotBefore, "not_after": c.NotAfter, "key_type": c.KeyType}
		}
		types := make([]any, len(f.BlockTypes))
		for i, t := range f.BlockTypes {
			types[i] = t
		}
		files[name] = map[string]any{
			"path": f.Path, "exists": f.Exists, "dir": f.Dir, "mode": f.Mode, "size": f.Size,
			"readable": f.Readable, "error": f.Error, "blocks": f.Blocks, "block_types": types,
			"certs": certs, "cert_errors": f.CertErrors, "key_type": f.KeyType,
		}
	}
	pairs := make(map[string]any, len(h.Pairs))
	for name, p := range h.Pairs {
		pairs[name] = map[string]any{"key": p.Key, "checked": p.Checked, "ok": p.OK, "error": p.Error, "key_type": p.KeyType}
	}
	ints := func(xs []int) []any {
		out := make([]any, len(xs))
		for i, x := range xs {
			out[i] = x
		}
		return out
	}
	return map[string]any{
		"files": files,
		"pairs": pairs,
		"otel": map[string]any{
			"set": h.OTEL.Set, "pairs": h.OTEL.Pairs, "missing_value": ints(h.OTEL.MissingValue),
			"bad_escape": ints(h.OTEL.BadEscape), "empty_key": ints(h.OTEL.EmptyKey),
		},
	}
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
