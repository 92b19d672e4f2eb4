package config

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Chart is one entry of charts: a chart directory (relative to certgate.yaml)
// and the value profiles it is linted with. `certgate lint` with no arguments,
// or naming the chart without -f/--set, renders every profile.
type Chart struct {
	Path        string `yaml:"path"`
	ReleaseName string `yaml:"release_name"`
	Namespace   string `yaml:"namespace"`
	// Profiles maps a profile name to its values; an empty map lints the chart
	// with its defaults only.
	Profiles map[string]Profile `yaml:"profiles"`
	// Line is where the entry is written, for error messages.
	Line int `yaml:"-"`
}

// Profile is one named set of values. In certgate.yaml it is either a list of
// values files (`ha: [charts/certctl/values-ha.yaml]`) or a mapping
// `{values: [...], set: [k=v, ...], demo: true}`.
type Profile struct {
	Values []string `yaml:"values"`
	Set    []string `yaml:"set"`
	// Demo marks a demo profile: placeholder credentials (DEPL-M2) are expected.
	Demo bool `yaml:"demo"`
}

// ProfileNames returns the chart's profile names, sorted.
func (c Chart) ProfileNames() []string {
	names := make([]string, 0, len(c.Profiles))
	for n := range c.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// UnmarshalYAML checks the entry's keys (a custom unmarshaler does not inherit
// the decoder's KnownFields) and that path is set.
func (c *Chart) UnmarshalYAML(n *yaml.Node) error {
	if err := knownKeys(n, "chart", "path", "release_name", "namespace", "profiles"); err != nil {
		return err
	}
	type plain Chart
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*c = Chart(p)
	c.Line = n.Line
	if strings.TrimSpace(c.Path) == "" {
		return fmt.Errorf("line %d: charts entry without path", n.Line)
	}
	if path.IsAbs(c.Path) || strings.HasPrefix(path.Clean(c.Path), "..") {
		return fmt.Errorf("line %d: charts path %q must be inside the repository", n.Line, c.Path)
	}
	return nil
}

// UnmarshalYAML reads both profile forms.
func (p *Profile) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		return n.Decode(&p.Values)
	case yaml.MappingNode:
		if err := knownKeys(n, "profile", "values", "set", "demo"); err != nil {
			return err
		}
		type plain Profile
		var q plain
		if err := n.Decode(&q); err != nil {
			return err
		}
		*p = Profile(q)
		for _, kv := range p.Set {
			if !strings.Contains(kv, "=") {
				return fmt.Errorf("line %d: set %q is not key=value", n.Line, kv)
			}
		}
		return nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
	}
	return fmt.Errorf("line %d: a profile is a list of values files or a mapping {values, set, demo}", n.Line)
}

func knownKeys(n *yaml.Node, what string, keys ...string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s entry is not a mapping", n.Line, what)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(keys, k.Value) {
			return fmt.Errorf("line %d: field %s not found in %s entry (known: %s)", k.Line, k.Value, what, strings.Join(keys, ", "))
		}
	}
	return nil
}
