// Command cmd builds certgate's container image into a tarball (make image):
//
//	go run ./internal/image/cmd -binary dist/certgate_linux_amd64 -arch amd64 \
//		-version v0.1.0 -commit "$(git rev-parse HEAD)" -created "$(git log -1 --format=%ct)" \
//		-o dist/certgate-image.tar
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/certgate/certgate/internal/image"
)

func main() {
	var o image.Options
	var out, tag, created string
	flag.StringVar(&o.Binary, "binary", "", "static linux certgate binary (make dist)")
	flag.StringVar(&o.Arch, "arch", "amd64", "the binary's GOARCH: amd64 or arm64")
	flag.StringVar(&o.Version, "version", "", "certgate version: the image label and tag")
	flag.StringVar(&o.Commit, "commit", "", "commit the binary was built from (label)")
	flag.StringVar(&o.CACerts, "ca-certs", image.DefaultCACerts, "PEM CA bundle to put in the image (Debian's ca-certificates)")
	flag.StringVar(&created, "created", "0", "unix seconds of every file and of the image (SOURCE_DATE_EPOCH)")
	flag.StringVar(&tag, "tag", "", "image tag (default certgate:VERSION)")
	flag.StringVar(&out, "o", "certgate-image.tar", "output tarball")
	flag.Parse()
	if err := run(o, created, tag, out); err != nil {
		fmt.Fprintf(os.Stderr, "certgate image: %v\n", err)
		os.Exit(2)
	}
}

func run(o image.Options, created, tag, out string) error {
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if o.Binary == "" || o.Version == "" {
		return fmt.Errorf("-binary and -version are required")
	}
	sec, err := strconv.ParseInt(created, 10, 64)
	if err != nil || sec < 0 {
		return fmt.Errorf("-created %q: want unix seconds", created)
	}
	o.Created = time.Unix(sec, 0)
	if tag == "" {
		tag = "certgate:" + o.Version
	}
	img, err := image.Build(o)
	if err != nil {
		return err
	}
	if err := image.Write(out, tag, img); err != nil {
		return err
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Printf("%s %s %s (%d bytes)\n", out, tag, d, st.Size())
	return nil
}
