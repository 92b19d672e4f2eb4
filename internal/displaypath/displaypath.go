// Package displaypath writes the path of an input as certgate shows it in
// messages and findings: relative to the root of the run when the file lies
// inside it, slash-separated on every system.
package displaypath

import (
	"path/filepath"
	"strings"
)

// Rel is p relative to root when p lies inside root, slash-separated;
// otherwise (outside root, no root, a root that is not absolute) it is p
// cleaned and slash-separated. A relative p is read against the working
// directory, as filepath.Abs reads it; root is the run's root, an absolute
// path ("" for none). The arguments go in filepath.Rel's order.
func Rel(root, p string) string {
	if root != "" {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}
