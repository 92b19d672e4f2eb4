package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
)

// Content classes of a YAML file (classify).
const (
	classNone     = ""
	classManifest = "manifest"
	classCompose  = "compose"
)

// looseAPIVersion and friends recognise, in text that does not parse, what
// would be a Kubernetes object or a compose file at any indentation or in flow
// style: such a file is claimed so that its loader reports the parse error.
var (
	looseAPIVersion = regexp.MustCompile(`(?m)^[\s{-]*"?apiVersion"?\s*:`)
	looseKind       = regexp.MustCompile(`(?m)^[\s{,-]*"?kind"?\s*:|[{,]\s*"?kind"?\s*:`)
	looseServices   = regexp.MustCompile(`(?m)^[\s{]*"?services"?\s*:`)
)

func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}

// classify reads a YAML file by its content, not its layout: a document that
// is a mapping with apiVersion and kind makes it a Kubernetes manifest; a
// mapping with a services mapping (and no apiVersion) a compose file. Flow
// style, an indented top level and comment headers of any length read alike.
// When it is neither, reason says why (for the walker's skipped list).
func classify(path string) (class, reason string) {
	src, err := readfile.File(filepath.FromSlash(path))
	if err != nil {
		return classNone, "unreadable: " + readfile.StripPath(err).Error()
	}
	return classifyBytes(filepath.Base(path), src)
}

func classifyBytes(base string, src []byte) (class, reason string) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	compose := false
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// Not YAML: claim what looks like an input so that its loader reports
			// the error with a line; anything else is skipped, with the reason.
			switch {
			case looseAPIVersion.Match(src) && looseKind.Match(src):
				return classManifest, ""
			case looseServices.Match(src):
				return classCompose, ""
			}
			if line, msg := lint.YAMLErrorAt(err); line > 0 {
				return classNone, fmt.Sprintf("not valid YAML: line %d: %s", line, msg)
			}
			return classNone, "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")
		}
		root := &n
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if root.Kind != yaml.MappingNode {
			continue
		}
		keys := map[string]*yaml.Node{}
		for i := 0; i+1 < len(root.Content); i += 2 {
			keys[root.Content[i].Value] = root.Content[i+1]
		}
		if keys["apiVersion"] != nil && keys["kind"] != nil {
			return classManifest, ""
		}
		if s := keys["services"]; s != nil && s.Kind == yaml.MappingNode && keys["apiVersion"] == nil {
			compose = true
		}
	}
	if compose {
		return classCompose, ""
	}
	switch {
	case base == config.FileName:
		return classNone, "certgate's own settings"
	case strings.HasPrefix(base, "values") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")):
		return classNone, "no Kubernetes object or compose services (a values file: name its chart with -f, or list it in a certgate.yaml profile)"
	}
	return classNone, "no Kubernetes object (apiVersion and kind) and no compose services: at the top level"
}

// skipReason says why a walked file was not judged; "" for files the walker
// does not look at (not YAML).
func skipReason(path string) string {
	if !isYAML(path) {
		return ""
	}
	_, reason := classify(path)
	return reason
}

// skippedDir is the reason a directory is not walked.
func skippedDir(name string) string {
	return fmt.Sprintf("directory not walked (%s: .git, vendor, node_modules and testdata never are); name a path inside it to lint it", name)
}
