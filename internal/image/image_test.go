package image

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	opaversion "github.com/open-policy-agent/opa/v1/version"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
)

// shells are the names no layer may hold: the image has no shell to exec into.
var shells = []string{"sh", "ash", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox"}

// imageFiles are the paths of the image, by layer; nothing else may be there.
var imageFiles = [][]string{
	{"etc/", "etc/group", "etc/passwd", "etc/ssl/", "etc/ssl/certs/", "etc/ssl/certs/ca-certificates.crt", "home/", "home/nonroot/", "tmp/"},
	{"usr/", "usr/local/", "usr/local/bin/", "usr/local/bin/certgate"},
}

// layerEntry is one file of a layer.
type layerEntry struct {
	hdr  *tar.Header
	body []byte
}

// readLayers returns every layer's entries in order.
func readLayers(t *testing.T, img v1.Image) [][]layerEntry {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]layerEntry
	for i, l := range layers {
		mt, err := l.MediaType()
		if err != nil || mt != types.DockerLayer {
			t.Errorf("layer %d media type %q (%v), want %q", i, mt, err, types.DockerLayer)
		}
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		var entries []layerEntry
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("layer %d: %v", i, err)
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, layerEntry{h, b})
		}
		rc.Close()
		out = append(out, entries)
	}
	return out
}

// want is what checkImage expects of an image.
type want struct {
	version, commit, arch string
	created               time.Time
	caCerts               []byte // nil: any bundle with at least one certificate
}

// checkImage checks the config and every layer of img and returns the
// certgate binary it holds.
func checkImage(t *testing.T, img v1.Image, w want) []byte {
	t.Helper()
	mt, err := img.MediaType()
	if err != nil || mt != types.DockerManifestSchema2 {
		t.Errorf("manifest media type %q (%v), want %q", mt, err, types.DockerManifestSchema2)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if !slices.Equal(c.Entrypoint, []string{"/usr/local/bin/certgate"}) || len(c.Cmd) != 0 {
		t.Errorf("entrypoint %q cmd %q, want [/usr/local/bin/certgate] and no cmd", c.Entrypoint, c.Cmd)
	}
	if c.User != "65532:65532" || c.WorkingDir != "/" {
		t.Errorf("user %q workdir %q, want 65532:65532 and /", c.User, c.WorkingDir)
	}
	if !slices.Contains(c.Env, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt") {
		t.Errorf("env %q lacks SSL_CERT_FILE", c.Env)
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.version":  w.version,
		"org.opencontainers.image.revision": w.commit,
		"org.opencontainers.image.source":   "https://github.com/certgate/certgate",
		"org.opencontainers.image.created":  w.created.UTC().Format(time.RFC3339),
	} {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
	if cf.OS != "linux" || cf.Architecture != w.arch {
		t.Errorf("platform %s/%s, want linux/%s", cf.OS, cf.Architecture, w.arch)
	}
	if !cf.Created.Time.Equal(w.created) {
		t.Errorf("created %v, want %v", cf.Created.Time, w.created)
	}
	for i, h := range cf.History {
		if !h.Created.Time.Equal(w.created) {
			t.Errorf("history %d created %v, want %v", i, h.Created.Time, w.created)
		}
	}

	layers := readLayers(t, img)
	if len(layers) != len(imageFiles) {
		t.Fatalf("%d layers, want %d", len(layers), len(imageFiles))
	}
	files := map[string]layerEntry{}
	for i, entries := range layers {
		var names []string
		for _, e := range entries {
			names = append(names, e.hdr.Name)
			files[e.hdr.Name] = e
			if base := path.Base(e.hdr.Name); slices.Contains(shells, base) {
				t.Errorf("layer %d holds a shell: %s", i, e.hdr.Name)
			}
			if strings.HasPrefix(e.hdr.Name, "bin/") || strings.HasPrefix(e.hdr.Name, "usr/bin/") {
				t.Errorf("layer %d holds %s", i, e.hdr.Name)
			}
			if !e.hdr.ModTime.Equal(w.created) {
				t.Errorf("%s dated %v, want %v", e.hdr.Name, e.hdr.ModTime, w.created)
			}
			if e.hdr.Typeflag != tar.TypeReg && e.hdr.Typeflag != tar.TypeDir {
				t.Errorf("%s: type %q, want only files and directories", e.hdr.Name, e.hdr.Typeflag)
			}
		}
		if !slices.Equal(names, imageFiles[i]) {
			t.Errorf("layer %d holds %q, want %q", i, names, imageFiles[i])
		}
	}
	if !strings.Contains(string(files["etc/passwd"].body), "nonroot:x:65532:65532:") || !strings.Contains(string(files["etc/group"].body), "nonroot:x:65532:") {
		t.Errorf("no nonroot 65532 in passwd/group:\n%s\n%s", files["etc/passwd"].body, files["etc/group"].body)
	}
	if h := files["home/nonroot/"].hdr; h == nil || h.Uid != 65532 || h.Gid != 65532 {
		t.Errorf("home/nonroot/ is not owned by nonroot: %+v", h)
	}
	ca := files["etc/ssl/certs/ca-certificates.crt"].body
	if w.caCerts != nil && !bytes.Equal(ca, w.caCerts) {
		t.Errorf("CA bundle differs from the one given")
	}
	if !x509.NewCertPool().AppendCertsFromPEM(ca) {
		t.Errorf("CA bundle holds no certificate")
	}
	bin := files["usr/local/bin/certgate"]
	if bin.hdr == nil || bin.hdr.Mode != 0o755 || bin.hdr.Uid != 0 {
		t.Fatalf("usr/local/bin/certgate: %+v, want mode 0755 owned by root", bin.hdr)
	}
	return bin.body
}

// buildStatic builds the test program in testdata/static for linux/arch
// without cgo and returns its path.
func buildStatic(t *testing.T, arch string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "certgate")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./testdata/static")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build testdata/static: %v\n%s", err, b)
	}
	return out
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	ca := testutil.WritePair(t, dir, "ca", testutil.PairOptions{NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)})
	caPEM, err := os.ReadFile(ca.Cert)
	if err != nil {
		t.Fatal(err)
	}
	binPath := buildStatic(t, runtime.GOARCH)
	binBytes, err := os.ReadFile(binPath)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	o := Options{Binary: binPath, Arch: runtime.GOARCH, Version: "v1.2.3", Commit: "0123456789abcdef0123456789abcdef01234567", CACerts: ca.Cert, Created: created}
	img, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	got := checkImage(t, img, want{version: o.Version, commit: o.Commit, arch: runtime.GOARCH, created: created, caCerts: caPEM})
	if !bytes.Equal(got, binBytes) {
		t.Error("the image's certgate differs from the binary given")
	}

	// Equal inputs, equal image; another time, another image.
	digest := func(o Options) v1.Hash {
		t.Helper()
		img, err := Build(o)
		if err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d1 := digest(o)
	if d2 := digest(o); d1 != d2 {
		t.Errorf("two builds of the same inputs: %s and %s", d1, d2)
	}
	later := o
	later.Created = created.Add(time.Second)
	if d3 := digest(later); d3 == d1 {
		t.Errorf("the image ignores its creation time: %s", d3)
	}

	// The tarball reads back as the same image, tagged.
	tarPath := filepath.Join(dir, "certgate-image.tar")
	if err := Write(tarPath, "certgate:v1.2.3", img); err != nil {
		t.Fatal(err)
	}
	back, err := tarball.ImageFromPath(tarPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := back.Digest(); err != nil || d != d1 {
		t.Errorf("tarball image digest %s (%v), want %s", d, err, d1)
	}
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(tarPath) })
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 1 || !slices.Equal(m[0].RepoTags, []string{"certgate:v1.2.3"}) {
		t.Errorf("tarball manifest %+v, want one image tagged certgate:v1.2.3", m)
	}
	if err := Write(filepath.Join(dir, "bad.tar"), "certgate:v1.2.3+build", img); err == nil || !strings.Contains(err.Error(), "image tag") {
		t.Errorf("an invalid tag: %v", err)
	}
}

func TestBuildRefuses(t *testing.T) {
	dir := t.TempDir()
	ca := testutil.WritePair(t, dir, "ca", testutil.PairOptions{})
	bin := buildStatic(t, runtime.GOARCH)
	other := map[string]string{"amd64": "arm64", "arm64": "amd64"}[runtime.GOARCH]
	if other == "" {
		t.Fatalf("no image architecture for GOARCH %s", runtime.GOARCH)
	}
	notPEM := filepath.Join(dir, "empty.crt")
	testutil.WriteFile(t, notPEM, []byte("not a certificate\n"), 0o644)
	notELF := filepath.Join(dir, "script")
	testutil.WriteFile(t, notELF, []byte("#!/bin/sh\necho hi\n"), 0o755)
	base := Options{Binary: bin, Arch: runtime.GOARCH, Version: "v1", CACerts: ca.Cert}
	cases := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no CA bundle", func(o *Options) { o.CACerts = filepath.Join(dir, "missing.crt") }, "apt-get install ca-certificates"},
		{"CA bundle without a certificate", func(o *Options) { o.CACerts = notPEM }, "no PEM certificate"},
		{"not an executable", func(o *Options) { o.Binary = notELF }, "not a linux executable"},
		{"missing binary", func(o *Options) { o.Binary = filepath.Join(dir, "nothing") }, "certgate binary"},
		{"other architecture", func(o *Options) { o.Arch = other }, "built for"},
		{"unknown architecture", func(o *Options) { o.Arch = "s390x" }, "want amd64 or arm64"},
		{"no version", func(o *Options) { o.Version = "" }, "version is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := base
			c.edit(&o)
			img, err := Build(o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Build: image %v, error %v; want an error containing %q", img != nil, err, c.want)
			}
		})
	}
}

// checkImageTarball opens a tarball written by make image, checks the image
// and runs the certgate it holds: `certgate version --format json` must name
// the stamped version and commit, this Go and OPA, and the catalog's digest.
func checkImageTarball(t *testing.T, tarPath string, w want) {
	t.Helper()
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(tarPath) })
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 1 || !slices.Equal(m[0].RepoTags, []string{"certgate:" + w.version}) {
		t.Errorf("tarball manifest %+v, want one image tagged certgate:%s", m, w.version)
	}
	img, err := tarball.ImageFromPath(tarPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	bin := checkImage(t, img, w)
	exe := filepath.Join(t.TempDir(), "certgate")
	testutil.WriteFile(t, exe, bin, 0o755)
	out, err := exec.Command(exe, "version", "--format", "json").Output()
	if err != nil {
		t.Fatalf("certgate version from the image: %v", err)
	}
	var got map[string]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("certgate version --format json: %v\n%s", err, out)
	}
	engine, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"version": w.version, "commit": w.commit, "go": runtime.Version(), "opa": opaVersion(t), "catalog_digest": engine.Digest()} {
		if got[k] != v {
			t.Errorf("the image's certgate version: %s = %q, want %q", k, got[k], v)
		}
	}
}

// opaVersion is the OPA this test is built with.
func opaVersion(*testing.T) string { return "v" + opaversion.Version }
