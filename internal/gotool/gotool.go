// Package gotool finds the command-line tools the tests and the benchmark
// driver run (helm, pebble, opa, gator, actionlint, conftest): on PATH, else
// where `go install` puts them, so a fresh machine needs no PATH change after
// `make tools`.
package gotool

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Find returns the path of the tool name: on PATH, else in the bin directory
// of each $(go env GOPATH) entry.
func Find(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("%s not found on PATH or in $(go env GOPATH)/bin", name)
}
