// Package config reads certgate.yaml, the repository-level settings of certgate:
// which compose files are demo overlays, role overrides for compose services and
// Kubernetes workloads, declared charts
// and value profiles, and governed carve-outs. Unknown keys are an error, so a
// misspelled setting is never silently ignored.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
)

// FileName is the name certgate looks for at the repository root.
const FileName = "certgate.yaml"

// Config is certgate.yaml.
type Config struct {
	// CertctlVersion is the default target release (--certctl-version wins).
	CertctlVersion string `yaml:"certctl_version"`
	// DemoGlobs match compose files that are demo overlays, in addition to
	// docker-compose.demo.yml/.yaml.
	DemoGlobs []string `yaml:"demo_globs"`
	// Roles overrides the detected role (server, agent, other) and wins over
	// the image, the variables and the labels. Keys name a compose service, or
	// a Kubernetes workload as "Kind/name/container", "Kind/name", its name, or
	// a container name (the most specific key applies).
	Roles map[string]string `yaml:"roles"`
	// Carveouts is the register of governed exceptions; lint/carveout judges it.
	Carveouts []Carveout `yaml:"carveouts"`
	// Charts are the Helm charts certgate lint renders, each with named value
	// profiles (see Chart).
	Charts []Chart `yaml:"charts"`

	// Dir is the directory certgate.yaml was read from ("" when none was found).
	Dir string `yaml:"-"`
	// Path is the file that was read.
	Path string `yaml:"-"`
	// Source is the text of the file, so carve-out findings can point at a line.
	Source []byte `yaml:"-"`
}

// Carveout is one entry of the carve-out register. A waiver (kind "" or
// "waiver") waives the findings of rule ID whose file matches Paths (and whose
// path matches Match); a documented entry (kind "documented") waives nothing and
// records a design decision for the audit report. lint/carveout validates dates.
type Carveout struct {
	ID      string   `yaml:"id"`
	Kind    string   `yaml:"kind"`
	Paths   []string `yaml:"paths"`
	Match   string   `yaml:"match"`
	Where   []string `yaml:"where"`
	Reason  string   `yaml:"reason"`
	Action  string   `yaml:"action"`
	Owner   string   `yaml:"owner"`
	Expires string   `yaml:"expires"`
}

// Load reads dir/certgate.yaml. A missing file is an empty Config, not an error.
func Load(dir string) (*Config, error) {
	path := filepath.Join(dir, FileName)
	b, err := readfile.Regular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, readfile.Cause(err))
	}
	c, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	c.Dir = dir
	return c, nil
}

// Parse reads the bytes of a certgate.yaml named path.
func Parse(b []byte, path string) (*Config, error) {
	c := &Config{Path: path, Source: b}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		if line, msg := lint.YAMLErrorAt(err); line > 0 {
			// a syntax error, at the line yaml.v3 means
			return nil, fmt.Errorf("%s: yaml: line %d: %s", path, line, msg)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, role := range c.Roles {
		switch role {
		case "server", "agent", "other":
		default:
			return nil, fmt.Errorf("%s: roles.%s: %q is not server, agent or other", path, name, role)
		}
	}
	for _, g := range c.DemoGlobs {
		if _, err := filepath.Match(g, ""); err != nil {
			return nil, fmt.Errorf("%s: demo_globs: %q: %w", path, g, err)
		}
	}
	return c, nil
}
