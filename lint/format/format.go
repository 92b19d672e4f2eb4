// Package format writes a lint.Report. One registry serves every writer, and
// each entry says which view of the report it renders:
//
//   - Findings, the report itself: text, json, sarif, junit, github and
//     markdown (certgate lint, env, exec; New);
//   - Audit, the diligence audit report that lint/audit derives from the same
//     report and the run's description: json, markdown and html (certgate
//     audit; NewAudit).
//
// Run is the one description of a run that every writer reads. Writers never
// modify the report.
//
// Import direction: lint/audit imports lint/format (for Run, Writer and
// Register) and registers the audit view's writers when it is initialised;
// lint/format never imports lint/audit. A program that writes the audit view
// imports lint/audit, as cmd/certgate does.
package format

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
)

// Writer writes a report.
type Writer interface {
	Write(w io.Writer, r *lint.Report) error
}

// Run describes the run a report came from, for the writers that name it: the
// catalog (the rules table of SARIF), the tool version, the files checked,
// and what the audit view reports beside the findings.
type Run struct {
	Policies []lint.Policy
	Version  string
	// Root is the repository root; absolute finding paths under it are written
	// relative to it (SARIF artifact URIs).
	Root string
	// Inputs are the display paths of the files checked (JUnit test cases).
	Inputs []string

	// Digest is the catalog digest (lint.Engine.Digest).
	Digest string
	// Now is the run's clock, the report time of the audit.
	Now time.Time
	// FailOn is the lowest severity that fails the run (--fail-on).
	FailOn lint.Severity
	// Input is what the run evaluated: what the rules could judge (coverage),
	// the target release, the profiles and the files with their sha256.
	Input *lint.Input
	// Carveouts are the run's carve-outs: the validated set
	// (carveout.Set.Carveouts) when Applied, else the register as written
	// (carveout.Describe) under --no-waivers.
	Carveouts []*carveout.Carveout
	Applied   bool
	// ChartFiles are the files of the rendered charts (helm.ChartFiles),
	// listed as inputs in place of the rendered templates.
	ChartFiles []File

	// Probes are the live probes' results (certgate env and exec) and Notes
	// what the run says beside its report (a SOURCE_DATE_EPOCH the gate
	// ignored): the text and JSON writers of the findings view add them.
	Probes []lint.ProbeFacts
	Notes  []string
}

// File is one file the user gave, with the sha256 of its bytes on disk.
type File struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256"`
}

// View is what a writer renders: the findings, or the audit derived from them.
type View string

const (
	// Findings is the lint report as it is.
	Findings View = "findings"
	// Audit is the diligence audit report (lint/audit).
	Audit View = "audit"
)

type key struct {
	view View
	name string
}

// registry is the one table of writers, by view and name.
var registry = struct {
	sync.RWMutex
	m map[key]func(Run) Writer
}{m: map[key]func(Run) Writer{
	{Findings, "text"}:     func(r Run) Writer { return Text{extrasOf(r)} },
	{Findings, "json"}:     func(r Run) Writer { return JSON{extrasOf(r)} },
	{Findings, "sarif"}:    func(r Run) Writer { return SARIF{Run: r} },
	{Findings, "junit"}:    func(r Run) Writer { return JUnit{Run: r} },
	{Findings, "github"}:   func(Run) Writer { return GitHub{} },
	{Findings, "markdown"}: func(Run) Writer { return Markdown{} },
}}

// Register adds the writer called name to view; a name registered twice in
// one view panics. lint/audit registers the Audit view's writers this way.
func Register(view View, name string, mk func(Run) Writer) {
	registry.Lock()
	defer registry.Unlock()
	k := key{view, name}
	if _, dup := registry.m[k]; dup {
		panic(fmt.Sprintf("format: %s writer %q registered twice", view, name))
	}
	registry.m[k] = mk
}

// Names lists the format names of the Findings view, sorted.
func Names() []string { return ViewNames(Findings) }

// AuditNames lists the format names of the Audit view, sorted.
func AuditNames() []string { return ViewNames(Audit) }

// ViewNames lists the format names of view, sorted.
func ViewNames(view View) []string {
	registry.RLock()
	defer registry.RUnlock()
	var out []string
	for k := range registry.m {
		if k.view == view {
			out = append(out, k.name)
		}
	}
	slices.Sort(out)
	return out
}

// New returns the Findings writer called name; an unknown name is an error
// listing the known ones.
func New(name string, run Run) (Writer, error) { return NewView(Findings, name, run) }

// NewAudit returns the Audit writer called name.
func NewAudit(name string, run Run) (Writer, error) { return NewView(Audit, name, run) }

// NewView returns the writer of view called name; an unknown name is an error
// listing the known ones.
func NewView(view View, name string, run Run) (Writer, error) {
	registry.RLock()
	mk, ok := registry.m[key{view, name}]
	registry.RUnlock()
	if ok {
		return mk(run), nil
	}
	what := "format"
	if view != Findings {
		what = string(view) + " format"
	}
	names := ViewNames(view)
	if len(names) == 0 {
		return nil, fmt.Errorf("unknown %s %q (no %s writers: import lint/audit to register them)", what, name, view)
	}
	return nil, fmt.Errorf("unknown %s %q (want one of %s)", what, name, strings.Join(names, ", "))
}
