package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"

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
// document node (or its content) of one document. A locator made by
// NewStreamLocator keeps no nodes: it parses a document again from the
// stream's text when a position inside it is asked for.
type YAMLLocator struct {
	Docs []*yaml.Node
	lazy *lazyDocs
}

// NewStreamLocator locates in the stream src without keeping its nodes. roots
// holds, for each document the stream decodes to (in yaml.v3's order), the
// line of its root node, 0 for an empty document. A document is parsed again
// alone, from the document marker (---) before its root to the next one, and
// kept once parsed; when that text does not give the same root line, the
// whole stream is decoded once instead, so a position is always the one
// yaml.v3 gives for the stream.
func NewStreamLocator(src []byte, roots []int) YAMLLocator {
	return YAMLLocator{lazy: &lazyDocs{src: src, roots: roots, nodes: map[int]*yaml.Node{}}}
}

type lazyDocs struct {
	src     []byte
	roots   []int
	indexed sync.Once
	indexOK bool        // the index is built (lines are counted by newlines)
	lines   int         // the number of lines
	marks   []lineStart // the lines that start with a document marker (--- or ...)
	simple  bool        // every document starts at a --- marker or the stream's start
	mu      sync.Mutex
	nodes   map[int]*yaml.Node
	whole   bool // the whole stream was decoded into nodes
}

// Separable reports whether each document of the stream can be decoded from
// its own text: lines end in newlines, and no directive (%YAML, %TAG) or
// document end marker (...) makes a document depend on the text before its
// --- marker. Only then does DecodeDoc decode a document alone.
func (l YAMLLocator) Separable() bool {
	if l.lazy == nil {
		return false
	}
	l.lazy.indexed.Do(l.lazy.index)
	return l.lazy.simple
}

// DecodeDoc decodes document i of a stream locator's stream into v, as
// yaml.v3 decodes it within the whole stream, and keeps nothing: the text of
// the document alone when the stream is Separable, else the whole stream.
func (l YAMLLocator) DecodeDoc(i int, v any) error {
	if l.lazy == nil || i < 0 || i >= len(l.lazy.roots) {
		return fmt.Errorf("document %d: no such document", i+1)
	}
	z := l.lazy
	z.indexed.Do(z.index)
	n := z.alone(i)
	if n == nil {
		dec := yaml.NewDecoder(bytes.NewReader(z.src))
		for j := 0; j <= i; j++ {
			var d yaml.Node
			if err := dec.Decode(&d); err != nil {
				return fmt.Errorf("document %d: %w", i+1, err)
			}
			n = &d
		}
	}
	return n.Decode(v)
}

// doc returns the node of document i, or nil.
func (l YAMLLocator) doc(i int) *yaml.Node {
	if l.lazy != nil {
		return l.lazy.doc(i)
	}
	if i < 0 || i >= len(l.Docs) {
		return nil
	}
	return l.Docs[i]
}

func (z *lazyDocs) doc(i int) *yaml.Node {
	if i < 0 || i >= len(z.roots) {
		return nil
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if n, ok := z.nodes[i]; ok || z.whole {
		return n
	}
	if n := z.alone(i); n != nil {
		z.nodes[i] = n
		return n
	}
	z.decodeAll()
	return z.nodes[i]
}

// alone parses document i from its own text; nil when that text does not
// decode to a document whose root is on the recorded line.
func (z *lazyDocs) alone(i int) *yaml.Node {
	root := z.roots[i]
	if root <= 0 {
		return nil
	}
	z.indexed.Do(z.index)
	if !z.indexOK || root > z.lines {
		return nil
	}
	// The text from the last marker at or before the root's line (else the
	// stream's start) to the next marker (else the stream's end).
	j, _ := slices.BinarySearchFunc(z.marks, root+1, func(m lineStart, line int) int { return m.line - line })
	start, lo, hi := 1, 0, len(z.src)
	if j > 0 {
		start, lo = z.marks[j-1].line, z.marks[j-1].off
	}
	if j < len(z.marks) {
		hi = z.marks[j].off
	}
	var n yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(z.src[lo:hi])).Decode(&n); err != nil {
		return nil
	}
	ShiftLines(&n, start-1)
	if c := content(&n); c.Line != root {
		return nil
	}
	return &n
}

// lineStart is a 1-based line and the byte offset where it starts.
type lineStart struct{ line, off int }

// index counts the lines and finds which are document markers. A stream with
// a carriage return that ends a line alone counts lines otherwise than by
// newlines: it is left without an index (and decoded whole).
func (z *lazyDocs) index() {
	for i := bytes.IndexByte(z.src, '\r'); i >= 0; {
		if i+1 >= len(z.src) || z.src[i+1] != '\n' {
			return
		}
		j := bytes.IndexByte(z.src[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	z.indexOK, z.simple = true, true
	for line, off := 1, 0; ; line++ {
		z.lines = line
		if marker(z.src[off:]) {
			z.marks = append(z.marks, lineStart{line, off})
			if z.src[off] == '.' {
				z.simple = false
			}
		} else if off < len(z.src) && z.src[off] == '%' {
			z.simple = false
		}
		j := bytes.IndexByte(z.src[off:], '\n')
		if j < 0 || off+j+1 >= len(z.src) {
			break
		}
		off += j + 1
	}
}

// marker: the text starts with a document marker line (--- or ... followed by
// a blank or the end of the line), which YAML forbids inside any scalar.
func marker(b []byte) bool {
	if len(b) < 3 || !(bytes.HasPrefix(b, []byte("---")) || bytes.HasPrefix(b, []byte("..."))) {
		return false
	}
	return len(b) == 3 || b[3] == ' ' || b[3] == '\t' || b[3] == '\n' || b[3] == '\r'
}

// decodeAll decodes the whole stream, as the loader did.
func (z *lazyDocs) decodeAll() {
	z.whole = true
	dec := yaml.NewDecoder(bytes.NewReader(z.src))
	for i := 0; ; i++ {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) || err != nil {
			return
		}
		if _, ok := z.nodes[i]; !ok {
			z.nodes[i] = &n
		}
	}
}

// ShiftLines moves every node of a tree down by off lines (each node once: an
// alias points at a node of the same tree), for a document parsed alone whose
// lines must read as in its stream.
func ShiftLines(n *yaml.Node, off int) {
	if off == 0 {
		return
	}
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		n.Line += off
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}

func content(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	return n
}

// Locate walks the path through mappings (by key) and sequences (by index). It
// returns the position of the value the path names. When the rest of the path
// does not exist (a missing key), it returns where the key of the deepest node
// it reached is written: "the token is absent" points at the service's
// environment: key, not at the first variable under it. The deepest node is
// returned itself when no key names it (the document's root, a sequence item).
func (l YAMLLocator) Locate(doc int, path []any) (int, int) {
	n := l.doc(doc)
	if n == nil {
		return 0, 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	var key *yaml.Node // the key that names n in its mapping, if any
	for _, p := range path {
		k, next := childKey(n, p)
		if next == nil {
			if key != nil {
				return key.Line, key.Column
			}
			break
		}
		key, n = k, next
	}
	return n.Line, n.Column
}

func child(n *yaml.Node, p any) *yaml.Node {
	_, v := childKey(n, p)
	return v
}

// childKey returns the node p names under n and, when n is a mapping, the key
// node that names it (nil for a sequence item).
func childKey(n *yaml.Node, p any) (key, value *yaml.Node) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		name := ""
		switch p := p.(type) {
		case string:
			name = p
		case int:
			name = strconv.Itoa(p)
		}
		// Later keys win, as in every YAML loader we model.
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Value == name {
				key, value = k, n.Content[i+1]
			} else if k.Tag == "!!merge" {
				if mk, v := childKey(n.Content[i+1], p); v != nil && value == nil {
					key, value = mk, v
				}
			}
		}
		return key, value
	case yaml.SequenceNode:
		i, ok := p.(int)
		if !ok || i < 0 || i >= len(n.Content) {
			return nil, nil
		}
		return nil, n.Content[i]
	}
	return nil, nil
}

// KeyPosition returns where the key of the last path element is written (for
// findings that point at a mapping key rather than its value).
func (l YAMLLocator) KeyPosition(doc int, path []any) (int, int) {
	if len(path) == 0 {
		return l.Locate(doc, path)
	}
	n := l.doc(doc)
	if n == nil {
		return 0, 0
	}
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
