package envvar

import (
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
)

// Value is what a value interpolated the way docker compose interpolates it is
// at lint time.
type Value struct {
	// S is the value; "" when it is not Known.
	S     string
	Known bool
	// MaybeEmpty marks an unknown value that may be empty at run time: it is
	// made only of ${X:-} / ${X-} (or ${X:+v}) parts whose X comes from the
	// shell.
	MaybeEmpty bool
	// Defaults names the variables whose defaults the value took (${X:-v} with
	// X set by no file compose reads), in order of first use.
	Defaults []string
}

// Note qualifies a known value that took defaults, for messages: "default of
// ${X}; export X to override". It is "" when the value took none.
func (v Value) Note() string {
	switch len(v.Defaults) {
	case 0:
		return ""
	case 1:
		return "default of ${" + v.Defaults[0] + "}; export " + v.Defaults[0] + " to override"
	}
	refs := make([]string, len(v.Defaults))
	for i, d := range v.Defaults {
		refs[i] = "${" + d + "}"
	}
	return "defaults of " + strings.Join(refs, ", ") + "; export " + strings.Join(v.Defaults, " or ") + " to override"
}

// Lookup answers a variable for Interpolate. ok is false when no file that
// compose reads sets the variable: its value would come from the shell, which
// certgate never reads.
type Lookup func(name string) (v Value, ok bool)

// Markers stand for the unknown parts of an interpolated text: set at run time
// (unknown) or from the shell and possibly empty (empty). They cannot occur in
// a real value; the name is kept so a value can be shown as ${NAME}.
const (
	markerUnknown = "\x00certgate:unknown:"
	markerEmpty   = "\x00certgate:empty:"
	markerEnd     = "\x00"
)

var markerRe = regexp.MustCompile("\x00certgate:(?:unknown|empty):([^\x00]*)\x00")

// Marker is the marker of an unknown value of the variable name.
func Marker(name string, maybeEmpty bool) string {
	if maybeEmpty {
		return markerEmpty + name + markerEnd
	}
	return markerUnknown + name + markerEnd
}

// HasMarker reports whether s holds an unknown part.
func HasMarker(s string) bool { return markerRe.MatchString(s) }

// Unmark shows the unknown parts of s as the ${NAME} they stand for.
func Unmark(s string) string { return markerRe.ReplaceAllString(s, "$${$1}") }

// ReplaceMarkers replaces every unknown part of s by repl.
func ReplaceMarkers(s, repl string) string {
	return markerRe.ReplaceAllLiteralString(s, repl)
}

// Marked is the Value of a text Substitute produced: known without markers;
// maybe empty when made of nothing but possibly-empty parts.
func Marked(s string) Value { return valueOf(s, nil) }

func valueOf(s string, defaults []string) Value {
	if !HasMarker(s) {
		return Value{S: s, Known: true, Defaults: defaults}
	}
	onlyEmpty := !strings.Contains(s, markerUnknown)
	return Value{MaybeEmpty: onlyEmpty && markerRe.ReplaceAllString(s, "") == ""}
}

// Interpolate substitutes ${...} references in text as docker compose does,
// with lookup answering the variables that files set. A variable set by no
// file takes the default of ${X:-v} / ${X-v} (named in Defaults); ${X:-} is
// unknown and may be empty; ${X}, $X, ${X:?msg} and ${X?msg} are unknown (set
// at run time). Any unknown part makes the whole value unknown. Errors are
// compose's: an invalid template, or ${X:?msg} with X set empty by a file.
func Interpolate(text string, lookup Lookup) (Value, error) {
	st := &interp{lookup: lookup}
	s, err := st.substitute(text)
	if err != nil {
		return Value{}, err
	}
	return valueOf(s, st.defaults), nil
}

// Substitute is Interpolate returning the text itself, with a marker (see
// Marker) for each unknown part: what compose-go's loader is given as its
// substitution function.
func Substitute(text string, lookup Lookup) (string, error) {
	return (&interp{lookup: lookup}).substitute(text)
}

// MappingLookup reads a compose-go mapping whose values carry markers for
// unknown values (as Substitute produces them) as a Lookup.
func MappingLookup(m template.Mapping) Lookup {
	return func(name string) (Value, bool) {
		s, ok := m(name)
		if !ok {
			return Value{}, false
		}
		return valueOf(s, nil), true
	}
}

type interp struct {
	lookup   Lookup
	defaults []string
}

func (st *interp) substitute(text string) (string, error) {
	return template.SubstituteWithOptions(text, st.mapping,
		template.WithReplacementFunction(st.replace), template.WithoutLogging)
}

// mapping answers a plain $X or ${X}.
func (st *interp) mapping(name string) (string, bool) {
	v, ok := st.lookup(name)
	switch {
	case !ok:
		return Marker(name, false), true
	case !v.Known:
		return Marker(name, v.MaybeEmpty), true
	}
	st.used(v.Defaults...)
	return v.S, true
}

func (st *interp) used(names ...string) {
	for _, n := range names {
		if !slices.Contains(st.defaults, n) {
			st.defaults = append(st.defaults, n)
		}
	}
}

var groupIndex = func() map[string]int {
	m := map[string]int{}
	for i, n := range template.DefaultPattern.SubexpNames() {
		if n != "" {
			m[n] = i
		}
	}
	return m
}()

// replace is compose-go's DefaultReplacementAppliedFunc with the braced forms
// judged by braced, and the text after a closing brace substituted the same
// way (compose-go falls back to its own functions there).
func (st *interp) replace(substring string, _ template.Mapping, _ *template.Config) (string, error) {
	rest := ""
	if i := closingBrace(substring); i > -1 {
		substring, rest = substring[:i+1], substring[i+1:]
	}
	m := template.DefaultPattern.FindStringSubmatch(substring)
	if m == nil {
		return "", &template.InvalidTemplateError{}
	}
	var value string
	switch {
	case m[groupIndex["escaped"]] != "":
		value = "$"
	case m[groupIndex["named"]] != "":
		value, _ = st.mapping(m[groupIndex["named"]])
	case m[groupIndex["braced"]] != "":
		v, err := st.braced(m[groupIndex["braced"]])
		if err != nil {
			return "", err
		}
		value = v
	default:
		return "", &template.InvalidTemplateError{}
	}
	if rest == "" {
		return value, nil
	}
	tail, err := st.substitute(rest)
	return value + tail, err
}

// closingBrace is the index of the brace that closes the first ${, counting
// nested ${...} as compose-go does; -1 when there is none.
func closingBrace(s string) int {
	open := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '}':
			open--
			if open == 0 {
				return i
			}
		case '{':
			open++
			i++
		}
	}
	return -1
}

var bracedRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)(:?[-+?])?((?s).*)$`)

// braced judges the inside of ${...}: NAME, NAME:-default, NAME-default,
// NAME:?msg, NAME?msg, NAME:+alt, NAME+alt.
func (st *interp) braced(sub string) (string, error) {
	m := bracedRe.FindStringSubmatch(sub)
	if m == nil {
		return "", &template.InvalidTemplateError{}
	}
	name, op, arg := m[1], m[2], m[3]
	if op == "" {
		s, _ := st.mapping(name)
		return s, nil
	}
	v, set := st.lookup(name)
	switch op {
	case ":-", "-":
		switch {
		case set && v.Known && (op == "-" || v.S != ""):
			st.used(v.Defaults...)
			return v.S, nil
		case set && !v.Known:
			return Marker(name, v.MaybeEmpty && arg == ""), nil
		case arg == "" && set:
			return "", nil // set empty by a file: the (empty) default
		case arg == "":
			return Marker(name, true), nil // from the shell, possibly empty
		}
		d, err := st.substitute(arg)
		if err != nil {
			return "", err
		}
		st.used(name)
		return d, nil
	case ":?", "?":
		switch {
		case set && v.Known && (op == "?" || v.S != ""):
			st.used(v.Defaults...)
			return v.S, nil
		case set && v.Known:
			return "", &template.MissingRequiredError{Variable: name, Reason: arg}
		}
		return Marker(name, false), nil // set at run time, non-empty
	default: // ":+", "+"
		if set && v.Known {
			if op == "+" || v.S != "" {
				return st.substitute(arg)
			}
			return "", nil
		}
		alt, err := st.substitute(arg)
		if err != nil || alt == "" {
			return "", err
		}
		return Marker(name, true), nil // alt, or empty when X is not set
	}
}
