package waiver

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

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
// error naming the file and line.
func scanInline(f *lint.File) ([]*Carveout, error) {
	var out []*Carveout
	var errs []string
	for i, line := range bytes.Split(f.Source, []byte("\n")) {
		m := inlineRe.FindSubmatch(line)
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
