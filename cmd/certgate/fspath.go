package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// osPath turns a command-line path into a filesystem and a valid fs.FS path
// inside it, so loaders read through fs.FS whatever the user typed (relative,
// absolute, or above the working directory).
func osPath(p string) (fs.FS, string) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return os.DirFS("."), filepath.ToSlash(filepath.Clean(p))
	}
	vol := filepath.VolumeName(abs)
	return os.DirFS(vol + string(filepath.Separator)), filepath.ToSlash(strings.TrimPrefix(abs[len(vol):], string(filepath.Separator)))
}
