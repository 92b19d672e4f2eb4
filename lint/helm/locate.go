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
// source. The rendered text's node is found first; its line is then matched
// against the template: the same literal line, or else the one templated line
// with the same key. When neither is unique the position is unknown (0, 0) and
// findings name the file and path: a line of the rendered text is never
// reported as a line of the template.
type templateLocator struct {
	rendered lint.Locator
	lines    []string // rendered text
	tmpl     []string // template source
}

func newTemplateLocator(rendered lint.Locator, text, src []byte) templateLocator {
	return templateLocator{
		rendered: rendered,
		lines:    strings.Split(string(text), "\n"),
		tmpl:     strings.Split(string(src), "\n"),
	}
}

func (l templateLocator) Locate(doc int, path []any) (int, int) {
	if l.rendered == nil {
		return 0, 0
	}
	line, _ := l.rendered.Locate(doc, path)
	if line < 1 || line > len(l.lines) {
		return 0, 0
	}
	return l.match(l.lines[line-1])
}

var yamlKey = regexp.MustCompile(`^("[^"]*"|'[^']*'|[A-Za-z0-9_./-]+):(\s|$)`)

// match finds the template line that rendered the rendered line r.
func (l templateLocator) match(r string) (int, int) {
	want := body(r)
	if want == "" {
		return 0, 0
	}
	if n, col := l.unique(func(t string) bool { return t == want }); n > 0 {
		return n, col
	}
	k := yamlKey.FindStringSubmatch(want)
	if k == nil {
		return 0, 0
	}
	key := k[1] + ":"
	return l.unique(func(t string) bool {
		if !strings.HasPrefix(t, key) {
			return false
		}
		// A literal with another value cannot have rendered this line.
		rest := strings.TrimSpace(strings.TrimPrefix(t, key))
		return rest == "" || strings.Contains(rest, "{{") || strings.HasPrefix(rest, "#")
	})
}

// unique returns the line and column of the one template line whose body
// satisfies ok; 0, 0 when none or several do.
func (l templateLocator) unique(ok func(string) bool) (int, int) {
	found, col := 0, 0
	for i, t := range l.tmpl {
		b := body(t)
		if b == "" || strings.HasPrefix(b, "#") || strings.HasPrefix(b, "{{") || !ok(b) {
			continue
		}
		if found != 0 {
			return 0, 0
		}
		found, col = i+1, len(t)-len(strings.TrimLeft(t, " -"))+1
	}
	return found, col
}

// body is a YAML line without its indentation and sequence dashes.
func body(s string) string {
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "- ") {
		s = strings.TrimSpace(s[2:])
	}
	return s
}
