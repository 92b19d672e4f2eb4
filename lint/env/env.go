// Package env loads the environments a certctl server would start with: the live
// process environment and .env files. It reads .env files with compose-go's dotenv
// parser (the same one docker compose uses) and records the line of every
// variable so findings point at it.
package env

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/certgate/certgate/lint"
)

// Prefixes are the variable name prefixes kept from an environment: the ones
// certctl reads. Everything else (PATH, HOME, unrelated secrets) never enters
// the Input document.
var Prefixes = []string{"CERTCTL_", "POSTGRES_", "LEGO_"}

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

// unknownMarker stands for a variable the file refers to but does not define:
// set, but known only at run time.
const unknownMarker = "\x00certgate:unknown\x00"

// keyLine finds the assignments of a .env file: `KEY=`, `export KEY=`, `KEY:`.
var keyLine = regexp.MustCompile(`^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*(?:[=:]|$)`)

// Dotenv is a parsed .env file.
type Dotenv struct {
	File *lint.File
	// Values holds every variable; Unknown names those that refer to a variable
	// the file does not define (${X}) or inherit from the caller (bare KEY).
	Values  map[string]string
	Unknown map[string]bool
}

// LoadDotenv reads and parses path from fsys. The file ID is id (the display
// path when empty). Errors name the file and, where the parser knows it, the line.
func LoadDotenv(fsys fs.FS, path, display string) (*Dotenv, error) {
	if display == "" {
		display = path
	}
	src, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read env file %s: %w", display, unwrapPathError(err))
	}
	return ParseDotenv(src, display)
}

// ParseDotenv parses the bytes of a .env file named display.
func ParseDotenv(src []byte, display string) (*Dotenv, error) {
	if !utf8.Valid(src) {
		return nil, fmt.Errorf("env file %s: not valid UTF-8", display)
	}
	// First pass: which names the file defines itself. The parser asks the
	// lookup before the file's own earlier values, so the second pass answers
	// "unknown" only for names the file does not define.
	own, err := dotenv.UnmarshalBytesWithLookup(src, nil)
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", display, err)
	}
	values, err := dotenv.UnmarshalBytesWithLookup(src, func(name string) (string, bool) {
		if _, ok := own[name]; ok {
			return "", false
		}
		return unknownMarker, true
	})
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", display, err)
	}
	d := &Dotenv{Values: map[string]string{}, Unknown: map[string]bool{}}
	for k, v := range values {
		if strings.Contains(v, unknownMarker) {
			d.Unknown[k] = true
			v = ""
		}
		d.Values[k] = v
	}
	lines := lint.LineMap{}
	for i, line := range bytes.Split(src, []byte("\n")) {
		if m := keyLine.FindSubmatchIndex(line); m != nil {
			lines[string(line[m[2]:m[3]])] = [2]int{i + 1, m[2] + 1}
		}
	}
	sum := sha256.Sum256(src)
	docs := map[string]any{}
	for k, v := range d.Values {
		docs[k] = v
	}
	d.File = &lint.File{
		ID: display, Path: display, Kind: lint.KindDotenv,
		Docs: []any{docs}, SHA256: hex.EncodeToString(sum[:]), Locator: lines, Source: src,
	}
	return d, nil
}

// Env turns .env files into one environment, later files overriding earlier
// ones as `docker run --env-file a --env-file b` does. Each variable's ref
// points at the file and line that set it last.
func Env(id, role string, files ...*Dotenv) lint.Env {
	e := lint.Env{ID: id, Origin: lint.OriginDotenv, Role: role, Vars: map[string]lint.Var{}}
	for _, d := range files {
		for k, v := range d.Values {
			e.Vars[k] = lint.Var{
				Value: v,
				Known: !d.Unknown[k],
				Ref:   &lint.Ref{File: d.File.ID, Path: []any{k}},
			}
		}
	}
	if len(files) > 0 {
		e.Ref = &lint.Ref{File: files[len(files)-1].File.ID, Path: []any{}}
	}
	return e
}

// unwrapPathError drops the operation and path of an fs.PathError, which the
// caller's message already names.
func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
