// Package audit is the diligence audit view of a lint report: for each finding
// ID of the certctl architecture audit (and every other rule of the catalog)
// whether the given deployment surface complies, with the evidence, the
// rationale, the operator action and the carve-outs in force; plus what was
// checked (inputs the user gave and their sha256, never rendered output; the
// certgate version, the catalog digest, the target release and profiles) and
// when. Build derives it from one lint.Report and the run's description
// (format.Run); it is pure, so the same report, run and clock give the same
// Report. Its writers (JSON, Markdown, self-contained HTML) are the Audit view
// of lint/format's one registry: this package registers them there when it is
// initialised (lint/audit imports lint/format, never the other way), and they
// are deterministic, so two runs give byte-identical files.
package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
	"github.com/certgate/certgate/lint/format"
)

// DiligenceIDs are the finding IDs of the certctl diligence audit, in report
// order. Every one appears in every report, whether or not the catalog has a
// policy for it.
var DiligenceIDs = []string{
	"SEC-H1", "SEC-H3", "SEC-M4", "DEPL-H1", "DEPL-M2", "DEPL-M3",
	"SEC-M3", "SEC-M5", "SEC-L1", "SEC-L2", "SEC-L3",
}

// diligenceTitles name the diligence IDs that have no policy in the catalog.
var diligenceTitles = map[string]string{
	"SEC-H1":  "Agent bootstrap token",
	"SEC-H3":  "Demo-mode acknowledgement freshness",
	"SEC-M4":  "ACME insecure mode acknowledgement",
	"DEPL-H1": "HA chart invariants",
	"DEPL-M2": "No placeholder credentials outside the demo overlay",
	"DEPL-M3": "NetworkPolicy is an operator opt-in",
	"SEC-M3":  "InsecureSkipVerify sites",
	"SEC-M5":  "F5 connector per-config insecure field",
	"SEC-L1":  "CSP style-src 'unsafe-inline'",
	"SEC-L2":  "Break-glass Argon2id strength",
	"SEC-L3":  "Request body cap",
}

// Status is the verdict for one ID.
type Status string

const (
	// StatusFail: an error (or a finding at the --fail-on threshold) that no
	// carve-out waives.
	StatusFail Status = "fail"
	// StatusWarn: warnings only, none waived; the risk is present.
	StatusWarn Status = "warn"
	// StatusPass: judged, nothing found (info notes at most).
	StatusPass       Status = "pass"
	StatusCarveOut   Status = "carve-out"
	StatusNotCovered Status = "not covered"
)

// Report is the audit report model.
type Report struct {
	Tool           string `json:"tool"`
	Version        string `json:"version"`
	CatalogDigest  string `json:"catalog_digest"`
	CertctlVersion string `json:"certctl_version"`
	// CertctlVersionSource says where CertctlVersion came from.
	CertctlVersionSource string `json:"certctl_version_source,omitempty"`
	// OwnReleases are the environments judged at their image tag's release.
	OwnReleases    []string     `json:"own_releases,omitempty"`
	Profiles       []string     `json:"profiles"`
	Time           string       `json:"time"`
	FailOn         string       `json:"fail_on"`
	WaiversApplied bool         `json:"waivers_applied"`
	Summary        Summary      `json:"summary"`
	Findings       lint.Summary `json:"findings"`
	Items          []Item       `json:"items"`
	Carveouts      []Carveout   `json:"carveouts"`
	Inputs         []Input      `json:"inputs"`
}

// Summary counts items by status.
type Summary struct {
	Fail       int `json:"fail"`
	Warn       int `json:"warn"`
	Pass       int `json:"pass"`
	CarveOut   int `json:"carve_out"`
	NotCovered int `json:"not_covered"`
}

// String is the summary line: every status with its count, in severity order.
func (s Summary) String() string {
	return fmt.Sprintf("%d fail, %d warn, %d pass, %d carve-out, %d not covered", s.Fail, s.Warn, s.Pass, s.CarveOut, s.NotCovered)
}

// Item is the verdict for one rule ID.
type Item struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Diligence bool   `json:"diligence"`
	Status    Status `json:"status"`
	// Severity is the catalog severity; empty for IDs without a policy.
	Severity  string     `json:"severity,omitempty"`
	Rationale string     `json:"rationale"`
	Action    string     `json:"action"`
	Docs      string     `json:"docs,omitempty"`
	Evidence  []Evidence `json:"evidence"`
	// Waivers are the carve-outs that waived evidence of this ID.
	Waivers []lint.AppliedCarveout `json:"waivers"`
	// Documented are the sources of register entries that document this ID.
	Documented []string `json:"documented"`
}

// Evidence is one finding of an item.
type Evidence struct {
	Location string `json:"location"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Waived   bool   `json:"waived,omitempty"`
}

// Carveout is one register entry or inline comment, as the report shows it.
type Carveout struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Source  string   `json:"source"`
	Where   []string `json:"where"`
	Paths   []string `json:"paths"`
	Reason  string   `json:"reason"`
	Action  string   `json:"action"`
	Owner   string   `json:"owner"`
	Expires string   `json:"expires"`
	// State is active, expiring (within 14 days), expired or not applied (--no-waivers).
	State   string `json:"state"`
	Matched int    `json:"matched"`
}

// File formats beyond the loaders' (lint.File*).
const (
	// FileChart is a file of a rendered chart (Chart.yaml, templates, helpers).
	FileChart = "helm-chart"
)

// Input is one file the user gave: a compose, env, values, manifest or chart
// file, or certgate.yaml, with the sha256 of its bytes on disk. The output of a
// chart render is never an input: it may hold generated secrets and differs
// between runs.
type Input = format.File

// inputsOf is what a rule judges, from its custom.inputs; a rule that does not
// say judges server environments (the convention of user policies).
func inputsOf(p lint.Policy) []string {
	if len(p.Inputs) == 0 {
		return []string{"env"}
	}
	return p.Inputs
}

func covered(in *lint.Input, p lint.Policy) bool {
	for _, s := range inputsOf(p) {
		switch s {
		case "env":
			// The environment rules judge server environments only.
			for _, e := range in.Envs {
				if e.Role == lint.RoleServer {
					return true
				}
			}
		case "compose":
			if len(in.Compose) > 0 {
				return true
			}
		case "manifest":
			if len(in.Manifests) > 0 {
				return true
			}
			for _, f := range in.Files {
				if f.Kind == lint.FileHelmValues || f.Kind == lint.FileManifest {
					return true
				}
			}
		case "probe":
			if in.Probes != nil {
				return true
			}
		case "carveout":
			if len(in.Carveouts) > 0 {
				return true
			}
		}
	}
	return false
}

// Build is the audit view of report: every ID judged from the report's
// findings and the run's description (catalog, digest, version, clock,
// --fail-on, input, carve-outs, chart files).
func Build(report *lint.Report, run format.Run) *Report {
	now := run.Now.UTC()
	in := run.Input
	if in == nil {
		in = &lint.Input{}
	}
	r := &Report{
		Tool: "certgate", Version: run.Version, CatalogDigest: run.Digest,
		CertctlVersion: in.Meta.CertctlVersion, CertctlVersionSource: in.Meta.CertctlVersionSource,
		OwnReleases: ownReleases(in), Profiles: profiles(in),
		Time: now.Format(time.RFC3339), FailOn: string(run.FailOn), WaiversApplied: run.Applied,
		Findings: report.Summary, Items: []Item{}, Carveouts: []Carveout{}, Inputs: []Input{},
	}
	r.Inputs = inputs(in, run.ChartFiles)
	documented := map[string][]*carveout.Carveout{}
	for _, c := range run.Carveouts {
		r.Carveouts = append(r.Carveouts, carveoutRow(c, run.Applied))
		if c.Documented() {
			documented[c.ID] = append(documented[c.ID], c)
		}
	}
	catalog := map[string]lint.Policy{}
	ids := slices.Clone(DiligenceIDs)
	var rest []string
	for _, pol := range run.Policies {
		catalog[pol.ID] = pol
		if !slices.Contains(ids, pol.ID) {
			rest = append(rest, pol.ID)
		}
	}
	for id := range documented {
		if !slices.Contains(ids, id) && !slices.Contains(rest, id) {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	ids = append(ids, rest...)
	for _, id := range ids {
		it := item(id, catalog, documented[id], report.Findings, in, run.FailOn)
		switch it.Status {
		case StatusFail:
			r.Summary.Fail++
		case StatusWarn:
			r.Summary.Warn++
		case StatusPass:
			r.Summary.Pass++
		case StatusCarveOut:
			r.Summary.CarveOut++
		default:
			r.Summary.NotCovered++
		}
		r.Items = append(r.Items, it)
	}
	return r
}

func item(id string, catalog map[string]lint.Policy, docs []*carveout.Carveout, findings []lint.Finding, in *lint.Input, failOn lint.Severity) Item {
	it := Item{ID: id, Diligence: slices.Contains(DiligenceIDs, id), Evidence: []Evidence{}, Waivers: []lint.AppliedCarveout{}, Documented: []string{}}
	pol, hasPolicy := catalog[id]
	if hasPolicy {
		it.Title, it.Severity, it.Rationale, it.Action, it.Docs = pol.Title, string(pol.Severity), pol.Description, pol.Remediation, pol.Docs
	}
	for _, c := range docs {
		it.Documented = append(it.Documented, c.Source)
		if !hasPolicy {
			it.Rationale = joinText(it.Rationale, c.Reason)
			it.Action = joinText(it.Action, c.Action)
		}
	}
	if it.Title == "" {
		it.Title = diligenceTitles[id]
	}
	failing, warning, waived := false, false, false
	for _, f := range findings {
		if f.Rule != id {
			continue
		}
		loc := f.Location()
		if loc == "" {
			loc = "(input)"
		}
		it.Evidence = append(it.Evidence, Evidence{Location: loc, Severity: string(f.Severity), Message: f.Message, Waived: f.Carveout != nil})
		if f.Carveout != nil {
			waived = true
			if !slices.Contains(it.Waivers, *f.Carveout) {
				it.Waivers = append(it.Waivers, *f.Carveout)
			}
		} else if f.Blocks(failOn) && f.Severity != lint.SeverityInfo {
			// What fails the run fails the item, except an info note: under
			// --fail-on info the run fails and the rule still passes.
			failing = true
		} else if f.Severity == lint.SeverityWarning {
			warning = true
		}
	}
	switch {
	case failing:
		it.Status = StatusFail
	case warning:
		it.Status = StatusWarn
	case waived || len(docs) > 0:
		it.Status = StatusCarveOut
	case len(it.Evidence) > 0 || (hasPolicy && covered(in, pol)):
		it.Status = StatusPass
	default:
		it.Status = StatusNotCovered
	}
	return it
}

// inputs lists what the user gave, sorted by path and kind: the loaded files
// except the templates rendered from a chart, which are replaced by the chart's
// own files (chartFiles). A path given twice (a values file is also a chart
// file; a template renders once per profile) is listed once, its loader kind
// first.
func inputs(in *lint.Input, chartFiles []Input) []Input {
	charts := in.ChartDirs()
	rendered := func(f *lint.File) bool {
		if f.Kind != lint.FileManifest {
			return false
		}
		for _, d := range charts {
			if strings.HasPrefix(f.Path, d+"/") {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	out := []Input{}
	add := func(in Input) {
		if !seen[in.Path] {
			seen[in.Path] = true
			out = append(out, in)
		}
	}
	for _, f := range in.Files {
		if !rendered(f) {
			add(Input{Path: f.Path, Kind: f.Kind, SHA256: f.SHA256})
		}
	}
	for _, f := range chartFiles {
		add(Input{Path: f.Path, Kind: cmp.Or(f.Kind, FileChart), SHA256: f.SHA256})
	}
	slices.SortFunc(out, func(a, b Input) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Kind, b.Kind)) })
	return out
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func carveoutRow(c *carveout.Carveout, applied bool) Carveout {
	out := Carveout{
		ID: c.ID, Kind: cmp.Or(c.Kind, carveout.TypeWaiver), Source: c.Source,
		Where: orEmpty(c.Where), Paths: orEmpty(c.Paths), Reason: c.Reason, Action: c.Action,
		Owner: c.Owner, Expires: c.Expires, Matched: c.Matched, State: carveout.StateActive,
	}
	switch {
	case !applied:
		out.State = "not applied"
	case c.State != "":
		// As CFG-WAIVER judged it (Set.Apply).
		out.State = c.State
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func profiles(in *lint.Input) []string {
	out := []string{}
	add := func(p string) {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	add(in.Meta.Profile)
	for _, o := range in.Manifests {
		add(o.Labels["profile"])
	}
	for _, o := range in.Compose {
		add(o.Labels["profile"])
	}
	for _, e := range in.Envs {
		add(e.Labels["profile"])
	}
	slices.Sort(out)
	return out
}

// ownReleases lists the environments that run a release of their own (their
// image tag), sorted, as "<environment>: certctl <release>".
func ownReleases(in *lint.Input) []string {
	var out []string
	for _, e := range in.Envs {
		if e.Release != "" {
			out = append(out, e.ID+": certctl "+e.Release)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
