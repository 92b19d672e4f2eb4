package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
)

func init() {
	register("json", renderJSON)
	register("markdown", renderMarkdown)
	register("html", renderHTML)
}

// register adds an audit writer to lint/format's registry (its Audit view).
func register(name string, render func(io.Writer, *Report) error) {
	format.Register(format.Audit, name, func(run format.Run) format.Writer { return Writer{Run: run, render: render} })
}

// Writer is a writer of the Audit view (format.NewAudit): it writes the audit
// that Build derives from a lint report and Run.
type Writer struct {
	Run    format.Run
	render func(io.Writer, *Report) error
}

// Write writes the audit view of r.
func (w Writer) Write(out io.Writer, r *lint.Report) error { return w.render(out, Build(r, w.Run)) }

// WriteModel writes an audit built before (or read back from its JSON).
func (w Writer) WriteModel(out io.Writer, m *Report) error { return w.render(out, m) }

// Formats lists the Audit view's format names, sorted (format.AuditNames).
func Formats() []string { return format.AuditNames() }

// Render writes the audit m with the Audit view's writer called name; an
// unknown name is an error.
func Render(w io.Writer, name string, m *Report) error {
	wr, err := format.NewAudit(name, format.Run{})
	if err != nil {
		return err
	}
	mw, ok := wr.(interface {
		WriteModel(io.Writer, *Report) error
	})
	if !ok {
		return fmt.Errorf("audit format %q writes lint reports only", name)
	}
	return mw.WriteModel(w, m)
}

// renderJSON writes the model, indented.
func renderJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

var mdCell = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ")

// renderMarkdown writes the summary table, one section per ID, the carve-out
// register and the inputs.
func renderMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# certgate audit report\n\n")
	p("- Time: %s\n- certgate: %s\n- Policy catalog: `%s`\n- Target certctl release: %s\n- Profiles: %s\n- Fail on: %s; carve-outs applied: %v\n\n",
		r.Time, r.Version, r.CatalogDigest, releaseLine(r), orNone(strings.Join(r.Profiles, ", ")), r.FailOn, r.WaiversApplied)
	p("%s\n\n", r.Summary)
	p("| ID | Status | Title | Evidence |\n|---|---|---|---|\n")
	for _, it := range r.Items {
		p("| %s | %s | %s | %d |\n", it.ID, it.Status, mdCell.Replace(it.Title), len(it.Evidence))
	}
	for _, it := range r.Items {
		p("\n## %s: %s\n\nStatus: **%s**", it.ID, mdCell.Replace(it.Title), it.Status)
		if it.Severity != "" {
			p(" (severity %s)", it.Severity)
		}
		p("\n\n")
		if it.Rationale != "" {
			p("Rationale: %s\n\n", it.Rationale)
		}
		if it.Action != "" {
			p("Operator action: %s\n\n", it.Action)
		}
		for _, e := range it.Evidence {
			waived := ""
			if e.Waived {
				waived = " (waived)"
			}
			p("- `%s` %s%s: %s\n", e.Location, e.Severity, waived, mdCell.Replace(e.Message))
		}
		for _, wv := range it.Waivers {
			p("- waiver in force: %s, owner %s, until %s: %s\n", wv.Source, orNone(wv.Owner), wv.Expires, mdCell.Replace(wv.Reason))
		}
		for _, d := range it.Documented {
			p("- documented carve-out: %s\n", d)
		}
	}
	p("\n## Carve-outs\n\n")
	if len(r.Carveouts) == 0 {
		p("None.\n")
	} else {
		p("| ID | Kind | State | Owner | Expires | Where | Reason | Operator action |\n|---|---|---|---|---|---|---|---|\n")
		for _, c := range r.Carveouts {
			p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", c.ID, c.Kind, c.State, mdCell.Replace(c.Owner), c.Expires,
				mdCell.Replace(strings.Join(append(slices.Clone(c.Where), c.Paths...), "; ")), mdCell.Replace(c.Reason), mdCell.Replace(c.Action))
		}
	}
	p("\n## Inputs\n\n")
	if len(r.Inputs) == 0 {
		p("None.\n")
	}
	for _, in := range r.Inputs {
		p("- `%s` (%s) sha256 `%s`\n", in.Path, in.Kind, in.SHA256)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// releaseLine is the target release with its source and the environments that
// run a release of their own.
func releaseLine(r *Report) string {
	s := r.CertctlVersion
	if r.CertctlVersionSource != "" {
		s += " (" + r.CertctlVersionSource + ")"
	}
	if len(r.OwnReleases) > 0 {
		s += "; by image tag: " + strings.Join(r.OwnReleases, ", ")
	}
	return s
}
