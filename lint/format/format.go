// Package format writes a lint.Report in one of several formats. Each format is
// one file with one Writer; writers never modify the report.
package format

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/certgate/certgate/lint"
)

// Writer writes a report.
type Writer interface {
	Write(w io.Writer, r *lint.Report) error
}

// Run describes the run a report came from, for formats that name it (the
// rules table of SARIF, the tool version).
type Run struct {
	Policies []lint.Policy
	Version  string
	// Root is the repository root; absolute finding paths under it are written
	// relative to it (SARIF artifact URIs).
	Root string
	// Inputs are the display paths of the files checked (JUnit test cases).
	Inputs []string
}

var writers = map[string]func(Run) Writer{
	"text":     func(Run) Writer { return Text{} },
	"json":     func(Run) Writer { return JSON{} },
	"sarif":    func(r Run) Writer { return SARIF{Run: r} },
	"junit":    func(r Run) Writer { return JUnit{Run: r} },
	"github":   func(Run) Writer { return GitHub{} },
	"markdown": func(Run) Writer { return Markdown{} },
}

// Names lists the format names, sorted.
func Names() []string { return slices.Sorted(maps.Keys(writers)) }

// New returns the writer called name; an unknown name is an error listing the
// known ones.
func New(name string, run Run) (Writer, error) {
	mk, ok := writers[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(Names(), ", "))
	}
	return mk(run), nil
}
