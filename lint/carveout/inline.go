package carveout

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

// inlineRe finds "# certgate:ignore RULE-ID key=value ..." in a comment.
var (
	inlineRe = regexp.MustCompile(`#\s*certgate:ignore\b(.*)$`)
	kvRe     = regexp.MustCompile(`^([a-z]+)=(?:"([^"]*)"|(\S+))`)
)

// inlineKey is the first element of the ref path of an inline carve-out; the
// second is its line. inlineLocator resolves such paths.
const inlineKey = "certgate:ignore"

type inlineLocator struct{ base lint.Locator }

func (l inlineLocator) Locate(doc int, p []any) (int, int) {
	if len(p) == 2 && p[0] == inlineKey {
		if n, ok := p[1].(int); ok {
			return n, 1
		}
	}
	if l.base == nil {
		return 0, 0
	}
	return l.base.Locate(doc, p)
}

// scanInline returns the inline carve-outs of f. A malformed comment is an
// error naming the file and line. In a YAML file only a comment counts: the
// text of a string (quoted or block scalar) never does. In a .env file, and in
// a text that does not parse as YAML (a chart template), the comment is found
// as before: from a `#` to the end of the line.
func scanInline(f *lint.File) ([]*Carveout, error) {
	// Every inline carve-out spells the key: a text without it (most of a
	// large render) needs no YAML parse for its comments.
	if !bytes.Contains(f.Source, []byte(inlineKey)) {
		return nil, nil
	}
	var out []*Carveout
	var errs []string
	comment := func(_ int, line []byte) []byte { return line }
	if f.Kind != lint.FileDotenv {
		// A text that is not YAML (a chart template) keeps the line scan.
		if yc, err := yamlComments(f.Source); err == nil {
			comment = yc
		}
	}
	for i, line := range bytes.Split(f.Source, []byte("\n")) {
		m := inlineRe.FindSubmatch(comment(i, line))
		if m == nil {
			continue
		}
		n := i + 1
		c := &Carveout{File: f.Path, Line: n, Inline: true, Source: fmt.Sprintf("%s:%d", f.Path, n), fileID: f.ID}
		c.OwnLine = strings.HasPrefix(strings.TrimSpace(string(line)), "#")
		rest := strings.TrimSpace(string(m[1]))
		id, rest, _ := strings.Cut(rest, " ")
		c.ID = id
		rest = strings.TrimSpace(rest)
		for rest != "" {
			kv := kvRe.FindStringSubmatch(rest)
			if kv == nil {
				errs = append(errs, fmt.Sprintf("%s: certgate:ignore: cannot read %q (want key=value or key=\"quoted value\")", c.Source, rest))
				break
			}
			v := kv[2] + kv[3]
			switch kv[1] {
			case "until":
				c.Expires = v
			case "reason":
				c.Reason = v
			case "owner":
				c.Owner = v
			default:
				errs = append(errs, fmt.Sprintf("%s: certgate:ignore: unknown key %q (want until, reason, owner)", c.Source, kv[1]))
			}
			rest = strings.TrimSpace(rest[len(kv[0]):])
		}
		out = append(out, c)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// yamlComments returns, for a line (0-based index and text) of the YAML
// stream src, its comment: the text from the `#` that starts one (at the start
// of the line or after a space or tab, outside every quoted and block scalar),
// or nil. The scalars are located with yaml.v3's node positions.
func yamlComments(src []byte) (func(int, []byte) []byte, error) {
	starts := []int{0} // byte offset of each line
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	var strs [][2]int // byte ranges [from, to) inside strings
	var nodeLines []int
	var scalars []*yaml.Node
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode {
			return
		}
		if n.Line > 0 {
			nodeLines = append(nodeLines, n.Line)
		}
		if n.Kind == yaml.ScalarNode && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			scalars = append(scalars, n)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not readable as YAML: %w", err)
		}
		walk(&n)
	}
	slices.Sort(nodeLines)
	for _, n := range scalars {
		if n.Line < 1 || n.Line > len(starts) {
			continue
		}
		at := offset(src, starts[n.Line-1], n.Column)
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			strs = append(strs, blockScalar(src, starts, n.Line, nodeLines))
			continue
		}
		q := byte('"')
		if n.Style&yaml.SingleQuotedStyle != 0 {
			q = '\''
		}
		if j := bytes.IndexByte(src[at:], q); j >= 0 { // past a tag or an anchor
			strs = append(strs, quoted(src, at+j, q))
		}
	}
	inString := func(o int) bool {
		for _, r := range strs {
			if o >= r[0] && o < r[1] {
				return true
			}
		}
		return false
	}
	return func(i int, line []byte) []byte {
		for j, b := range line {
			if b == '#' && (j == 0 || line[j-1] == ' ' || line[j-1] == '\t') && !inString(starts[i]+j) {
				return line[j:]
			}
		}
		return nil
	}, nil
}

// offset is the byte offset of the 1-based (character) column col of the line
// that starts at start.
func offset(src []byte, start, col int) int {
	o := start
	for c := 1; c < col && o < len(src) && src[o] != '\n'; c++ {
		_, size := utf8.DecodeRune(src[o:])
		o += size
	}
	return o
}

// quoted is the byte range of the quoted scalar that opens with q at from:
// up to and including its closing quote. A doubled quote is a quote in a
// single-quoted scalar; a backslash escapes the next byte in a double-quoted one.
func quoted(src []byte, from int, q byte) [2]int {
	for o := from + 1; o < len(src); o++ {
		switch {
		case q == '"' && src[o] == '\\':
			o++
		case src[o] == q && q == '\'' && o+1 < len(src) && src[o+1] == '\'':
			o++
		case src[o] == q:
			return [2]int{from, o + 1}
		}
	}
	return [2]int{from, len(src)}
}

// blockScalar is the byte range of the content of the block scalar whose
// header (| or >) is on line (1-based): the lines below it up to the first
// non-blank line indented less than its first non-blank line, and never past
// the line of the next node.
func blockScalar(src []byte, starts []int, line int, nodeLines []int) [2]int {
	end := len(starts) + 1
	if k, _ := slices.BinarySearch(nodeLines, line+1); k < len(nodeLines) {
		end = nodeLines[k]
	}
	indent := -1
	last := line // the last line of the content
	for l := line + 1; l < end && l <= len(starts); l++ {
		text := lineAt(src, starts, l)
		body := bytes.TrimLeft(text, " ")
		if len(bytes.TrimSpace(body)) == 0 {
			continue
		}
		n := len(text) - len(body)
		if indent < 0 {
			indent = n
		}
		if n < indent {
			break
		}
		last = l
	}
	if last == line {
		return [2]int{0, 0}
	}
	to := len(src)
	if last < len(starts) {
		to = starts[last]
	}
	return [2]int{starts[line], to}
}

func lineAt(src []byte, starts []int, l int) []byte {
	from := starts[l-1]
	to := len(src)
	if l < len(starts) {
		to = starts[l] - 1
	}
	return src[from:to]
}
