package lint

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Locator turns a ref path inside a document into a 1-based line and column;
// 0, 0 when it cannot.
type Locator interface {
	Locate(doc int, path []any) (line, column int)
}

// LineMap locates the single-document, flat sources (.env files): each key maps
// to the line and column where it is defined.
type LineMap map[string][2]int

// Locate implements Locator for a path whose first element is the key.
func (m LineMap) Locate(_ int, path []any) (int, int) {
	if len(path) == 0 {
		return 0, 0
	}
	k, _ := path[0].(string)
	pos, ok := m[k]
	if !ok {
		return 0, 0
	}
	return pos[0], pos[1]
}

// YAMLLocator locates paths in a stream of yaml.v3 documents. Each entry is the
// document node (or its content) of one document; LineOffset is added to every
// line, for documents cut out of a larger stream.
type YAMLLocator struct {
	Docs []*yaml.Node
}

// Locate walks the path through mappings (by key) and sequences (by index). It
// returns the position of the value the path names, or of the deepest node it
// reached when the rest of the path does not exist (a missing key is reported
// where its parent is).
func (l YAMLLocator) Locate(doc int, path []any) (int, int) {
	if doc < 0 || doc >= len(l.Docs) || l.Docs[doc] == nil {
		return 0, 0
	}
	n := l.Docs[doc]
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		next := child(n, p)
		if next == nil {
			break
		}
		n = next
	}
	return n.Line, n.Column
}

func child(n *yaml.Node, p any) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		key := ""
		switch p := p.(type) {
		case string:
			key = p
		case int:
			key = strconv.Itoa(p)
		}
		// Later keys win, as in every YAML loader we model.
		var found *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Value == key {
				found = n.Content[i+1]
			} else if k.Tag == "!!merge" {
				if v := child(n.Content[i+1], p); v != nil && found == nil {
					found = v
				}
			}
		}
		return found
	case yaml.SequenceNode:
		i, ok := p.(int)
		if !ok || i < 0 || i >= len(n.Content) {
			return nil
		}
		return n.Content[i]
	}
	return nil
}

// KeyPosition returns where the key of the last path element is written (for
// findings that point at a mapping key rather than its value).
func (l YAMLLocator) KeyPosition(doc int, path []any) (int, int) {
	if len(path) == 0 {
		return l.Locate(doc, path)
	}
	if doc < 0 || doc >= len(l.Docs) || l.Docs[doc] == nil {
		return 0, 0
	}
	n := l.Docs[doc]
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path[:len(path)-1] {
		if n = child(n, p); n == nil {
			return 0, 0
		}
	}
	if n.Kind == yaml.MappingNode {
		if key, ok := path[len(path)-1].(string); ok {
			for i := len(n.Content) - 2; i >= 0; i -= 2 {
				if n.Content[i].Value == key {
					return n.Content[i].Line, n.Content[i].Column
				}
			}
		}
	}
	return l.Locate(doc, path)
}
