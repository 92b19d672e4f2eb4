package helm

import (
	"regexp"
	"strings"

	"helm.sh/helm/v3/pkg/chart"

	"github.com/certgate/certgate/lint"
)

// templateSources maps each render key (chart/templates/x.yaml,
// chart/charts/sub/templates/y.yaml) to the template's source, as Helm's engine
// names them.
func templateSources(c *chart.Chart, prefix string) map[string][]byte {
	out := map[string][]byte{}
	for _, t := range c.Templates {
		if t != nil {
			out[prefix+"/"+t.Name] = t.Data
		}
	}
	for _, d := range c.Dependencies() {
		for k, v := range templateSources(d, prefix+"/charts/"+d.Name()) {
			out[k] = v
		}
	}
	return out
}

// templateLocator locates a ref of a rendered template in the template's own
// source. It walks the ref path from the document root: for each step it reads
// the rendered line of that key or item and finds the template line that wrote
// it (the same literal line, or a templated line with the same key) inside the
// block of the previous step. Where a step cannot be found (a block rendered
// by toYaml or include), the position is the deepest template line found: the
// block the value comes from. A line of the rendered text is never reported
// as a line of the template; when not even the document is found, the
// position is unknown (0, 0) and findings name the file and path.
type templateLocator struct {
	rendered lint.YAMLLocator
	lines    []string // rendered text
	tmpl     []string // template source
}

func newTemplateLocator(rendered lint.Locator, text, src []byte) lint.Locator {
	y, ok := rendered.(lint.YAMLLocator)
	if !ok {
		return nil
	}
	return templateLocator{
		rendered: y,
		lines:    strings.Split(string(text), "\n"),
		tmpl:     strings.Split(string(src), "\n"),
	}
}

func (l templateLocator) Locate(doc int, path []any) (int, int) {
	lo, hi, ok := l.segment(doc)
	if !ok {
		return 0, 0
	}
	line, col := 0, 0
	from, indent := lo, -1
	for k := 0; k <= len(path); k++ {
		var rl int
		index := false
		switch {
		case k == 0:
			rl, _ = l.rendered.Locate(doc, nil)
		default:
			if _, ok := path[k-1].(string); ok {
				rl, _ = l.rendered.KeyPosition(doc, path[:k])
			} else {
				index = true
				rl, _ = l.rendered.Locate(doc, path[:k])
			}
		}
		if rl < 1 || rl > len(l.lines) {
			break
		}
		n := l.find(body(l.lines[rl-1]), from, hi, indent, index)
		if n < 0 {
			break
		}
		line, col = n+1, indentOf(l.tmpl[n])+1
		if k > 0 {
			// Top-level keys are siblings of the root's first key: the block of
			// the root is the whole document.
			from, indent = n, indentOf(l.tmpl[n])
		}
	}
	return line, col
}

// segment is the range of template lines [lo, hi) of the template document
// that renders rendered document doc: the one document (between --- lines)
// that writes its kind; the whole template when it has one document.
func (l templateLocator) segment(doc int) (lo, hi int, ok bool) {
	var segs [][2]int
	start := 0
	for i, t := range l.tmpl {
		if strings.HasPrefix(t, "---") {
			segs = append(segs, [2]int{start, i})
			start = i + 1
		}
	}
	segs = append(segs, [2]int{start, len(l.tmpl)})
	if len(segs) == 1 {
		return 0, len(l.tmpl), true
	}
	kl, _ := l.rendered.KeyPosition(doc, []any{"kind"})
	if kl < 1 || kl > len(l.lines) {
		return 0, 0, false
	}
	want := body(l.lines[kl-1])
	var found [][2]int
	for _, sg := range segs {
		if l.find(want, sg[0], sg[1], -1, false) >= 0 {
			found = append(found, sg)
		}
	}
	if len(found) != 1 {
		return 0, 0, false // several documents of the kind: not sure which
	}
	return found[0][0], found[0][1], true
}

var yamlKey = regexp.MustCompile(`^("[^"]*"|'[^']*'|[A-Za-z0-9_./-]+):(\s|$)`)

// find returns the 0-based index of the first template line in [from, hi)
// inside the block of the line at from (indentation indent; -1 for no block)
// that wrote the rendered line body want: the same text, or (for a key, not a
// sequence item) the same key with a templated or block value. -1 when none.
func (l templateLocator) find(want string, from, hi, indent int, index bool) int {
	if want == "" {
		return -1
	}
	key := ""
	if k := yamlKey.FindStringSubmatch(want); k != nil && !index {
		key = k[1] + ":"
	}
	start, parentItem := from, false
	if indent >= 0 {
		start = from + 1
		parentItem = strings.HasPrefix(strings.TrimSpace(l.tmpl[from]), "- ")
	}
	for i := start; i < hi && i < len(l.tmpl); i++ {
		t := l.tmpl[i]
		b := body(t)
		if b == "" || strings.HasPrefix(b, "#") || strings.HasPrefix(b, "{{") {
			continue
		}
		if indent >= 0 {
			// Indentation counts sequence dashes: the keys of an item written
			// "- name: x" line up with name, as do the next items.
			in := indentOf(t)
			item := strings.HasPrefix(strings.TrimSpace(t), "- ")
			if in < indent || (in == indent && (!parentItem || item)) {
				return -1 // the block ended
			}
		}
		if b == want {
			return i
		}
		if key != "" && strings.HasPrefix(b, key) {
			rest := strings.TrimSpace(strings.TrimPrefix(b, key))
			if rest == "" || strings.Contains(rest, "{{") || strings.HasPrefix(rest, "#") {
				return i
			}
		}
	}
	return -1
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " -")) }

// body is a YAML line without its indentation and sequence dashes.
func body(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "- ") {
		s = strings.TrimSpace(s[2:])
	}
	return s
}
