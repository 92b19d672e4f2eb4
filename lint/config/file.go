package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// LoadFile reads the certgate.yaml at path (for --config). Unlike Load, a
// missing file is an error: the user named it.
func LoadFile(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	c, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	c.Dir = filepath.Dir(path)
	return c, nil
}
