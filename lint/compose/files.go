package compose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/internal/displaypath"
	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
)

// rawFile is one compose file read and parsed with yaml.v3: the lint.File for
// literal scanning and the document nodes for positions.
type rawFile struct {
	abs  string // absolute path, for compose-go
	file *lint.File
	src  []byte
}

// readFile reads and parses one compose file. Every way a file can be unusable
// (unreadable, larger than the input size limit, empty, not UTF-8,
// tab-indented, malformed) is an error naming it. A file given to Load may be
// a stream (<(...)); one found on disk (a base beside an overlay, an include)
// must be a regular file.
func readFile(abs, display, role string, given bool) (*rawFile, error) {
	read := readfile.Regular
	if given {
		read = readfile.File
	}
	src, err := read(abs)
	if err != nil {
		return nil, fmt.Errorf("read compose file %s: %w", display, readfile.StripPath(err))
	}
	docs, nodes, err := parseYAML(src, display)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	f := &lint.File{
		ID: display, Path: display, Kind: lint.FileCompose, Role: role,
		Docs: docs, SHA256: hex.EncodeToString(sum[:]),
		Locator: lint.YAMLLocator{Docs: nodes}, Source: src,
	}
	return &rawFile{abs: abs, file: f, src: src}, nil
}

// parseYAML decodes every document of a stream into JSON-shaped values and keeps
// the nodes for positions.
func parseYAML(src []byte, display string) ([]any, []*yaml.Node, error) {
	if !utf8.Valid(src) {
		return nil, nil, fmt.Errorf("compose file %s: not valid UTF-8", display)
	}
	var docs []any
	var nodes []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if line := tabIndented(src); line > 0 {
				return nil, nil, fmt.Errorf("compose file %s:%d: indented with a tab; YAML allows only spaces", display, line)
			}
			return nil, nil, yamlError(display, err)
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, nil, yamlError(display, err)
		}
		if v == nil {
			continue // an empty document between separators
		}
		if _, ok := v.(map[string]any); !ok {
			return nil, nil, fmt.Errorf("compose file %s:%d: a compose document must be a mapping", display, n.Line)
		}
		docs = append(docs, jsonShaped(v))
		nodes = append(nodes, &n)
	}
	if len(docs) == 0 {
		return nil, nil, fmt.Errorf("compose file %s: empty (no YAML document)", display)
	}
	return docs, nodes, nil
}

// yamlError names the file and the line of a yaml.v3 error.
func yamlError(display string, err error) error {
	line, msg := lint.YAMLErrorAt(err)
	if line > 0 {
		return fmt.Errorf("compose file %s:%d: %s", display, line, msg)
	}
	return fmt.Errorf("compose file %s: %s", display, msg)
}

// tabIndented returns the first line (1-based) whose indentation holds a tab,
// or 0. It is asked only after yaml.v3 failed, whose message for a tab
// ("found character that cannot start any token") does not say what is wrong.
func tabIndented(src []byte) int {
	for i, line := range bytes.Split(src, []byte("\n")) {
		indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
		rest := bytes.TrimSpace(line)
		if len(rest) == 0 || rest[0] == '#' {
			continue
		}
		if bytes.IndexByte(indent, '\t') >= 0 {
			return i + 1
		}
	}
	return 0
}

// jsonShaped turns yaml.v3's decoded values into what OPA accepts: string keys
// everywhere.
func jsonShaped(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = jsonShaped(e)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = jsonShaped(e)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = jsonShaped(e)
		}
		return v
	}
	return v
}

// displayPath is abs as messages and findings show it (displaypath.Rel).
func displayPath(root, abs string) string { return displaypath.Rel(root, abs) }
