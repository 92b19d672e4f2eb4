package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/certgate/certgate/lint/run"
)

// BenchmarkManyManifestFiles: a walk that finds 1,000 one-object manifest
// files (each its own stream, release and input file). Merging the streams
// and naming their files in messages must cost their number, not its square.
func BenchmarkManyManifestFiles(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		body := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm%d\ndata:\n  a: b\n", i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("cm%d.yaml", i)), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	r := run.Runner{Root: dir, Now: now}
	for b.Loop() {
		res, err := r.Run(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Input.Files) != 1000 {
			b.Fatalf("%d files", len(res.Input.Files))
		}
	}
}
