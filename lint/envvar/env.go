// Package envvar is how certctl and docker compose read environment
// variables: the process environment (only the prefixes certctl reads, plus
// the trust variables Go reads), .env files through compose-go's dotenv parser
// (the one docker compose uses) with the line of every variable, and compose
// interpolation. It reads files but is no kind of its own: the env kind
// (lint/load), compose's interpolation and the startup gate build on it.
package envvar

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/certgate/certgate/internal/readfile"
	"github.com/certgate/certgate/lint"
)

// Prefixes are the variable name prefixes kept from an environment: the ones
// certctl reads (PG* through its database driver, lib/pq). Everything else
// (PATH, HOME, unrelated secrets) never enters the Input document.
var Prefixes = []string{"CERTCTL_", "POSTGRES_", "PG"}

func relevant(name string) bool {
	for _, p := range Prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// FromEnviron builds the server environment of a process from os.Environ-style
// KEY=value entries. Every value is known; the last entry of a name wins.
func FromEnviron(environ []string) lint.Env {
	vars := map[string]lint.Var{}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !relevant(name) {
			continue
		}
		vars[name] = lint.Var{Value: value, Known: true}
	}
	return lint.Env{ID: "process environment", Origin: lint.OriginProcess, Role: lint.RoleServer, Vars: vars}
}

// keyLine finds the assignments of a .env file: `KEY=`, `export KEY=`, `KEY:`,
// and the first character of the value (a quote, or anything else).
var keyLine = regexp.MustCompile(`^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*(?:[=:][ \t]*(.?)|$)`)

// dollar stands for every `$` of the source in the pass that reads raw value
// texts: compose's parser then expands nothing, and quoting, escapes and
// comments are still its own.
const dollar = "\x00certgate:dollar\x00"

// Dotenv is a parsed .env file.
type Dotenv struct {
	File *lint.File
	// Values holds every variable; Unknown names those whose value is known only
	// at run time: they refer to a variable the file does not define (${X},
	// ${X:?msg}) or inherit it from the caller (bare KEY).
	Values  map[string]string
	Unknown map[string]bool
	// MaybeEmpty names unknown values that may be empty at run time (${X:-}).
	MaybeEmpty map[string]bool
	// Defaults names, per variable, the variables whose defaults its value took
	// (${X:-v} with X defined neither by the file nor by anything certgate reads).
	Defaults map[string][]string
}

// Value is the interpolation value of name, as Interpolate's lookups want it.
func (d *Dotenv) Value(name string) (Value, bool) {
	s, ok := d.Values[name]
	if !ok {
		return Value{}, false
	}
	return Value{S: s, Known: !d.Unknown[name], MaybeEmpty: d.MaybeEmpty[name], Defaults: d.Defaults[name]}, true
}

// Var is name as an environment variable of the file.
func (d *Dotenv) Var(name string) lint.Var {
	v, _ := d.Value(name)
	return lint.Var{Value: v.S, Known: v.Known, MaybeEmpty: v.MaybeEmpty, Note: v.Note(), Ref: &lint.Ref{File: d.File.ID, Path: []any{name}}}
}

// LoadDotenv reads and parses path from fsys. The file ID is id (the display
// path when empty). Errors name the file and, where the parser knows it, the line.
func LoadDotenv(fsys fs.FS, path, display string) (*Dotenv, error) {
	return LoadDotenvWith(fsys, path, display, nil)
}

// LoadDotenvWith is LoadDotenv with the values of the variables the file does
// not define itself (compose's project environment, for an env_file target).
func LoadDotenvWith(fsys fs.FS, path, display string, outer Lookup) (*Dotenv, error) {
	if display == "" {
		display = path
	}
	src, err := readfile.FS(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read env file %s: %w", display, readfile.StripPath(err))
	}
	return ParseDotenvWith(src, display, outer)
}

// LoadDotenvRegular is LoadDotenvWith for a file certgate found by itself
// (the .env beside a base compose file, an env_file target): anything but a
// regular file, a FIFO for one, is an error, and is never opened.
func LoadDotenvRegular(fsys fs.FS, path, display string, outer Lookup) (*Dotenv, error) {
	if display == "" {
		display = path
	}
	src, err := readfile.RegularFS(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read env file %s: %w", display, readfile.StripPath(err))
	}
	return ParseDotenvWith(src, display, outer)
}

// ParseDotenv parses the bytes of a .env file named display. Values are
// interpolated as docker compose interpolates a .env file, except that the
// shell is never read: a variable the file does not define takes the default
// of ${X:-v} and is otherwise unknown (see Interpolate).
func ParseDotenv(src []byte, display string) (*Dotenv, error) {
	return ParseDotenvWith(src, display, nil)
}

// ParseDotenvWith is ParseDotenv with outer answering the variables the file
// does not define (nil: none).
func ParseDotenvWith(src []byte, display string, outer Lookup) (*Dotenv, error) {
	sum := sha256.Sum256(src) // of the file as it is on disk
	// A leading byte-order mark (editors on Windows write one) is dropped, as
	// docker compose drops it.
	src = bytes.TrimPrefix(src, utf8BOM)
	if !utf8.Valid(src) {
		return nil, fmt.Errorf("env file %s: not valid UTF-8", display)
	}
	unknown := func(name string) (string, bool) { return Marker(name, false), true }
	// Which names the file defines, and whether compose's parser accepts it at
	// all: every reference is answered, so ${X:?msg} is no error here.
	own, err := dotenv.UnmarshalBytesWithLookup(src, unknown)
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", display, err)
	}
	// compose's values, with the file's own names from the file (the parser
	// asks the lookup first) and every other name unknown. A name the file only
	// inherits (bare KEY, or KEY=${KEY}) comes from the caller.
	parsed, err := dotenv.UnmarshalBytesWithLookup(src, func(name string) (string, bool) {
		if v, ok := own[name]; ok && v != Marker(name, false) {
			return "", false
		}
		return unknown(name)
	})
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", display, err)
	}
	// The raw text of each value, unexpanded: `$` is neutralised before
	// parsing and restored after.
	raw, err := dotenv.UnmarshalBytesWithLookup(bytes.ReplaceAll(src, []byte("$"), []byte(dollar)), unknown)
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", display, err)
	}
	lines := lint.LineMap{}
	quotes := map[string]string{}
	for i, line := range bytes.Split(src, []byte("\n")) {
		if m := keyLine.FindSubmatchIndex(line); m != nil {
			k := string(line[m[2]:m[3]])
			lines[k] = [2]int{i + 1, m[2] + 1}
			quotes[k] = ""
			if m[4] >= 0 {
				quotes[k] = string(line[m[4]:m[5]])
			}
		}
	}
	d := &Dotenv{Values: map[string]string{}, Unknown: map[string]bool{}, MaybeEmpty: map[string]bool{}, Defaults: map[string][]string{}}
	// In file order, each value sees the values defined above it.
	names := slices.SortedFunc(maps.Keys(parsed), func(a, b string) int {
		return cmp.Or(cmp.Compare(lines[a][0], lines[b][0]), cmp.Compare(a, b))
	})
	done := map[string]bool{}
	lookup := func(name string) (Value, bool) {
		if done[name] {
			return d.Value(name)
		}
		if outer != nil {
			return outer(name)
		}
		return Value{}, false
	}
	for _, k := range names {
		if err := controlChar(src, k, lines[k][0], parsed[k]); err != nil {
			return nil, fmt.Errorf("env file %s:%w", display, err)
		}
		v, err := rawValue(k, parsed[k], raw[k], quotes[k], lookup)
		if err != nil {
			return nil, fmt.Errorf("env file %s:%d: %s: %w", display, lines[k][0], k, err)
		}
		d.Values[k] = v.S
		if !v.Known {
			d.Unknown[k] = true
		}
		if v.MaybeEmpty {
			d.MaybeEmpty[k] = true
		}
		if len(v.Defaults) > 0 {
			d.Defaults[k] = v.Defaults
		}
		done[k] = true
	}
	docs := map[string]any{}
	for k, v := range d.Values {
		docs[k] = v
	}
	d.File = &lint.File{
		ID: display, Path: display, Kind: lint.FileDotenv,
		Docs: []any{docs}, SHA256: hex.EncodeToString(sum[:]), Locator: lines, Source: src,
	}
	return d, nil
}

// utf8BOM is the UTF-8 encoding of U+FEFF, the byte-order mark.
var utf8BOM = []byte("\uFEFF")

// controlChar refuses a value (compose's reading of it, which line starts)
// that holds a control character other than a tab or a newline: a NUL or an
// escape code has no meaning in any certctl setting and cannot be judged. A
// CR directly before a newline (a Windows line end) is a newline. The error
// names the line of the character when it is written in the file, else the
// line of the assignment (the character came from an escape such as \0).
func controlChar(src []byte, name string, line int, value string) error {
	value = markerRe.ReplaceAllString(value, "")
	for i, r := range value {
		if !unicode.IsControl(r) || r == '\t' || r == '\n' || r == '\r' && strings.HasPrefix(value[i+1:], "\n") {
			continue
		}
		at := line
		rest := src
		for n := 1; n < line && len(rest) > 0; n++ {
			_, rest, _ = bytes.Cut(rest, []byte("\n"))
		}
		if j := bytes.IndexRune(rest, r); j >= 0 {
			at += bytes.Count(rest[:j], []byte("\n"))
		}
		return fmt.Errorf("%d: %s: the value holds the control character %U, which no certctl setting accepts and certgate cannot judge: remove it", at, name, r)
	}
	return nil
}

// rawValue interpolates one value from its raw text (quote is the first
// character of the value in the source). Where the raw text cannot be told
// apart reliably (a `\$` escape inside double quotes), compose's own value is
// kept, unknown wherever it refers to a variable.
func rawValue(name, parsed, raw, quote string, lookup Lookup) (Value, error) {
	fallback := valueOf(parsed, nil)
	switch {
	case HasMarker(raw):
		// A bare KEY: inherited from the caller.
		if v, ok := lookup(name); ok {
			return v, nil
		}
		return Value{}, nil
	case quote == "'":
		return Value{S: strings.ReplaceAll(raw, dollar, "$"), Known: true}, nil
	case quote == `"` && strings.Contains(raw, `\`+dollar):
		return fallback, nil
	case !strings.Contains(raw, dollar):
		return fallback, nil
	}
	v, err := Interpolate(strings.ReplaceAll(raw, dollar, "$"), lookup)
	if err != nil {
		return Value{}, err
	}
	if fallback.Known && (!v.Known || v.S != fallback.S) {
		return fallback, nil // compose's reading wins where the two disagree
	}
	return v, nil
}

// Env turns .env files into one environment, later files overriding earlier
// ones as `docker run --env-file a --env-file b` does. Each variable's ref
// points at the file and line that set it last.
func Env(id, role string, files ...*Dotenv) lint.Env {
	e := lint.Env{ID: id, Origin: lint.OriginDotenv, Role: role, Vars: map[string]lint.Var{}}
	for _, d := range files {
		for k := range d.Values {
			e.Vars[k] = d.Var(k)
		}
	}
	if len(files) > 0 {
		e.Ref = &lint.Ref{File: files[len(files)-1].File.ID, Path: []any{}}
	}
	return e
}
