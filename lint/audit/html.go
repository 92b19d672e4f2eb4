package audit

import (
	"html/template"
	"io"
	"strings"
)

// renderHTML writes one self-contained page: inline CSS with print rules, no
// scripts, no external resources; the summary table comes first.
func renderHTML(w io.Writer, r *Report) error {
	return page.Execute(w, r)
}

var page = template.Must(template.New("audit").Funcs(template.FuncMap{
	"join":   strings.Join,
	"slug":   func(s string) string { return strings.ToLower(s) },
	"status": func(s Status) string { return strings.ReplaceAll(string(s), " ", "-") },
	"orNone": orNone,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>certgate audit report {{.Time}}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f23; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.st { font-weight: 700; padding: .05rem .4rem; border-radius: .25rem; white-space: nowrap; }
.st-pass { background: #dafbe1; color: #116329; }
.st-warn { background: #fff1e5; color: #953800; }
.st-fail { background: #ffebe9; color: #a40e26; }
.st-carve-out { background: #fff8c5; color: #7d4e00; }
.st-not-covered { background: #eaeef2; color: #57606a; }
.item { page-break-inside: avoid; break-inside: avoid; }
.muted { color: #57606a; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .st { border: 1px solid #57606a; }
}
</style>
</head>
<body>
<h1>certgate audit report</h1>
<p class="muted">Compliance of the given certctl deployment surface with the diligence findings.</p>
<dl class="meta">
<dt>Report time</dt><dd>{{.Time}}</dd>
<dt>certgate</dt><dd>{{.Version}}</dd>
<dt>Policy catalog</dt><dd><code>{{.CatalogDigest}}</code></dd>
<dt>Target certctl release</dt><dd>{{.CertctlVersion}}{{with .CertctlVersionSource}} ({{.}}){{end}}{{range .OwnReleases}}<br>{{.}}{{end}}</dd>
<dt>Profiles</dt><dd>{{orNone (join .Profiles ", ")}}</dd>
<dt>Fails on</dt><dd>{{.FailOn}}{{if not .WaiversApplied}} (carve-outs not applied){{end}}</dd>
<dt>Result</dt><dd>{{.Summary}}</dd>
</dl>

<h2>Summary</h2>
<table>
<thead><tr><th>ID</th><th>Status</th><th>Title</th><th>Evidence</th></tr></thead>
<tbody>
{{- range .Items}}
<tr><td><a href="#{{slug .ID}}">{{.ID}}</a></td><td><span class="st st-{{status .Status}}">{{.Status}}</span></td><td>{{.Title}}</td><td>{{len .Evidence}}</td></tr>
{{- end}}
</tbody>
</table>

<h2>Findings by ID</h2>
{{- range .Items}}
<section class="item" id="{{slug .ID}}">
<h3>{{.ID}}: {{.Title}} <span class="st st-{{status .Status}}">{{.Status}}</span></h3>
{{- if .Severity}}<p class="muted">Severity {{.Severity}}{{if .Docs}}; see {{.Docs}}{{end}}</p>{{end}}
{{- if .Rationale}}<p><strong>Rationale.</strong> {{.Rationale}}</p>{{end}}
{{- if .Action}}<p><strong>Operator action.</strong> {{.Action}}</p>{{end}}
{{- if .Evidence}}
<table>
<thead><tr><th>Location</th><th>Severity</th><th>Message</th></tr></thead>
<tbody>
{{- range .Evidence}}
<tr><td><code>{{.Location}}</code></td><td>{{.Severity}}{{if .Waived}} (waived){{end}}</td><td>{{.Message}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p class="muted">No findings.</p>
{{- end}}
{{- if .Waivers}}
<p><strong>Waivers in force.</strong></p>
<ul>
{{- range .Waivers}}
<li>{{.Source}}: {{.Reason}} (owner {{orNone .Owner}}, until {{.Expires}})</li>
{{- end}}
</ul>
{{- end}}
{{- if .Documented}}
<p><strong>Documented carve-out.</strong> {{join .Documented ", "}}; see Carve-outs below.</p>
{{- end}}
</section>
{{- end}}

<h2 id="carve-outs">Carve-outs</h2>
{{- if .Carveouts}}
<table>
<thead><tr><th>ID</th><th>Where</th><th>Why</th><th>Operator action</th><th>Owner</th><th>Expires</th><th>State</th></tr></thead>
<tbody>
{{- range .Carveouts}}
<tr><td>{{.ID}}<br><span class="muted">{{.Kind}}, {{.Source}}</span></td><td>{{range .Where}}{{.}}<br>{{end}}{{range .Paths}}<code>{{.}}</code><br>{{end}}</td><td>{{.Reason}}</td><td>{{.Action}}</td><td>{{.Owner}}</td><td>{{.Expires}}</td><td>{{.State}}{{if ne .Kind "documented"}} ({{.Matched}} matched){{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p class="muted">No carve-outs are registered.</p>
{{- end}}

<h2>Inputs</h2>
{{- if .Inputs}}
<table>
<thead><tr><th>File</th><th>Kind</th><th>sha256</th></tr></thead>
<tbody>
{{- range .Inputs}}
<tr><td><code>{{.Path}}</code></td><td>{{.Kind}}</td><td><code>{{.SHA256}}</code></td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p class="muted">No files (environment only).</p>
{{- end}}
</body>
</html>
`))
