package config

import (
	"fmt"
	"path/filepath"

	"github.com/certgate/certgate/internal/readfile"
)

// LoadFile reads the certgate.yaml at path (for --config). Unlike Load, a
// missing file is an error: the user named it.
func LoadFile(path string) (*Config, error) {
	b, err := readfile.File(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, readfile.Cause(err))
	}
	c, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	c.Dir = filepath.Dir(path)
	return c, nil
}

// IsDemo reports whether the file at rel (a slash path relative to the
// repository root) matches one of the demo globs, by its path or its base name.
func (c *Config) IsDemo(rel string) bool {
	if c == nil {
		return false
	}
	for _, g := range c.DemoGlobs {
		if ok, _ := filepath.Match(g, rel); ok {
			return true
		}
		if ok, _ := filepath.Match(g, filepath.Base(rel)); ok {
			return true
		}
	}
	return false
}
