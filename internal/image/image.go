// Package image assembles certgate's container image without a Docker engine
// or a registry: an empty base, one layer with a nonroot passwd entry and the
// build machine's Debian CA certificates, one layer with the static certgate
// binary. Every timestamp is fixed, so the same inputs give the same image
// digest. The result is a `docker load`-able tarball (go-containerregistry's
// tarball format, Docker media types, so the image reads back with the digest
// it was built with).
package image

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

const (
	// BinaryPath is where the image holds certgate; it is the entrypoint.
	BinaryPath = "/usr/local/bin/certgate"
	// CACertsPath is the CA bundle in the image, where Debian keeps it.
	CACertsPath = "/etc/ssl/certs/ca-certificates.crt"
	// DefaultCACerts is the build machine's bundle from Debian's ca-certificates package.
	DefaultCACerts = "/etc/ssl/certs/ca-certificates.crt"
	// User is the nonroot user and group the image runs as.
	User = "65532:65532"
	// Source is the repository the image is built from (org.opencontainers.image.source).
	Source = "https://github.com/certgate/certgate"
)

// Options are the inputs of an image; equal Options give an equal image.
type Options struct {
	Binary  string    // a static linux certgate binary
	Arch    string    // its GOARCH: amd64 or arm64
	Version string    // org.opencontainers.image.version
	Commit  string    // org.opencontainers.image.revision (optional)
	CACerts string    // PEM CA bundle; DefaultCACerts when empty
	Created time.Time // the time of every file and of the image (SOURCE_DATE_EPOCH)
}

const passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
const group = "root:x:0:\nnonroot:x:65532:\n"

// elfMachine is the ELF machine of each supported GOARCH.
var elfMachine = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// Build assembles the image.
func Build(o Options) (v1.Image, error) {
	if o.Version == "" {
		return nil, errors.New("image version is empty")
	}
	bin, err := os.ReadFile(o.Binary)
	if err != nil {
		return nil, fmt.Errorf("certgate binary: %w", err)
	}
	if err := checkStatic(o.Binary, o.Arch); err != nil {
		return nil, err
	}
	caPath := o.CACerts
	if caPath == "" {
		caPath = DefaultCACerts
	}
	ca, err := os.ReadFile(caPath)
	if err != nil {
		return nil, fmt.Errorf("CA certificates: %w (install Debian's ca-certificates package: apt-get install ca-certificates)", err)
	}
	if b, _ := pem.Decode(ca); b == nil || b.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("CA certificates %s: no PEM certificate", caPath)
	}
	created := o.Created.UTC().Truncate(time.Second)

	base, err := layer(created, []entry{
		dir("etc/", 0o755, 0),
		file("etc/group", 0o644, []byte(group)),
		file("etc/passwd", 0o644, []byte(passwd)),
		dir("etc/ssl/", 0o755, 0),
		dir("etc/ssl/certs/", 0o755, 0),
		file("etc/ssl/certs/ca-certificates.crt", 0o644, ca),
		dir("home/", 0o755, 0),
		dir("home/nonroot/", 0o700, 65532),
		dir("tmp/", 0o1777, 0),
	})
	if err != nil {
		return nil, err
	}
	app, err := layer(created, []entry{
		dir("usr/", 0o755, 0),
		dir("usr/local/", 0o755, 0),
		dir("usr/local/bin/", 0o755, 0),
		file(BinaryPath[1:], 0o755, bin),
	})
	if err != nil {
		return nil, err
	}

	img, err := mutate.Append(empty.Image,
		mutate.Addendum{Layer: base, History: v1.History{Created: v1.Time{Time: created}, CreatedBy: "certgate image: nonroot user, CA certificates", Comment: "base"}},
		mutate.Addendum{Layer: app, History: v1.History{Created: v1.Time{Time: created}, CreatedBy: "certgate image: COPY certgate " + BinaryPath}},
	)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Created = v1.Time{Time: created}
	cf.OS = "linux"
	cf.Architecture = o.Arch
	cf.Config.Entrypoint = []string{BinaryPath}
	cf.Config.Cmd = nil
	cf.Config.User = User
	cf.Config.WorkingDir = "/"
	cf.Config.Env = []string{"PATH=/usr/local/bin", "SSL_CERT_FILE=" + CACertsPath}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.title":       "certgate",
		"org.opencontainers.image.description": "Policy as code for certctl deployments",
		"org.opencontainers.image.version":     o.Version,
		"org.opencontainers.image.source":      Source,
		"org.opencontainers.image.created":     created.Format(time.RFC3339),
	}
	if o.Commit != "" {
		cf.Config.Labels["org.opencontainers.image.revision"] = o.Commit
	}
	return mutate.ConfigFile(img, cf)
}

// Write writes img as a `docker load`-able tarball tagged tag (certgate:VERSION).
func Write(file, tag string, img v1.Image) error {
	ref, err := name.NewTag(tag)
	if err != nil {
		return fmt.Errorf("image tag %q: %w", tag, err)
	}
	tmp := file + ".tmp"
	if err := tarball.WriteToFile(tmp, ref, img); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, file)
}

// checkStatic refuses a binary that is not a static linux executable for arch:
// the image has no dynamic loader and no libc.
func checkStatic(file, arch string) error {
	want, ok := elfMachine[arch]
	if !ok {
		return fmt.Errorf("architecture %q: want amd64 or arm64", arch)
	}
	f, err := elf.Open(file)
	if err != nil {
		return fmt.Errorf("certgate binary %s: not a linux executable: %w", file, err)
	}
	defer f.Close()
	if f.Machine != want {
		return fmt.Errorf("certgate binary %s: built for %v, not %s", file, f.Machine, arch)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("certgate binary %s: dynamically linked; build it with CGO_ENABLED=0", file)
		}
	}
	return nil
}

type entry struct {
	hdr  tar.Header
	body []byte
}

func dir(name string, mode int64, owner int) entry {
	return entry{hdr: tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: mode, Uid: owner, Gid: owner}}
}

func file(name string, mode int64, body []byte) entry {
	return entry{hdr: tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(body))}, body: body}
}

// layer is a gzip-compressed layer of entries, every one dated created.
func layer(created time.Time, entries []entry) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		h.ModTime = created
		if path.IsAbs(h.Name) {
			return nil, fmt.Errorf("layer entry %s: absolute path", h.Name)
		}
		if err := tw.WriteHeader(&h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	})
}
