package format

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/certgate/certgate/lint"
)

// SARIF writes SARIF 2.1.0: one run whose rules table is the policy catalog,
// one result per finding with its physical location relative to %SRCROOT% (the
// repository root), the finding fingerprint as a partial fingerprint, and
// waived findings as accepted external suppressions.
type SARIF struct{ Run Run }

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
	// Properties carry the target certctl release and where it came from.
	Properties map[string]string `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string     `json:"id"`
	Name                 string     `json:"name"`
	ShortDescription     sarifText  `json:"shortDescription"`
	FullDescription      sarifText  `json:"fullDescription"`
	Help                 sarifText  `json:"help"`
	HelpURI              string     `json:"helpUri,omitempty"`
	DefaultConfiguration sarifLevel `json:"defaultConfiguration"`
}

type sarifLevel struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactL `json:"artifactLocation"`
	Region           *sarifRegion   `json:"region,omitempty"`
}

type sarifArtifactL struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevelOf maps a severity to a SARIF level.
func sarifLevelOf(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "error"
	case lint.SeverityWarning:
		return "warning"
	}
	return "note"
}

func (s SARIF) Write(w io.Writer, r *lint.Report) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "certgate", Version: s.Run.Version,
			InformationURI: "https://github.com/certgate/certgate",
			Rules:          []sarifRule{},
		}},
		Results: []sarifResult{},
	}
	if t := r.Target; t != nil {
		run.Properties = map[string]string{"certctlVersion": t.CertctlVersion, "certctlVersionSource": t.Source}
	}
	index := map[string]int{}
	for _, p := range s.Run.Policies {
		index[p.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: p.ID, Name: ruleName(p.Title),
			ShortDescription:     sarifText{p.Title},
			FullDescription:      sarifText{p.Description},
			Help:                 sarifText{p.Remediation},
			HelpURI:              helpURI(p.Docs),
			DefaultConfiguration: sarifLevel{sarifLevelOf(p.Severity)},
		})
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:              f.Rule,
			Level:               sarifLevelOf(f.Severity),
			Message:             sarifText{f.Message},
			PartialFingerprints: map[string]string{"certgate/v1": f.Fingerprint},
		}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		if f.File != "" {
			loc := &sarifPhysical{ArtifactLocation: sarifArtifactL{URI: s.relURI(f.File), URIBaseID: "%SRCROOT%"}}
			if f.Line > 0 {
				loc.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
			}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		} else if f.Subject != "" || f.Path != "" {
			res.Locations = []sarifLocation{{LogicalLocations: []sarifLogical{{
				Name: f.Path, FullyQualifiedName: strings.Trim(f.Subject+"/"+f.Path, "/"), Kind: "variable",
			}}}}
		}
		if f.Carveout != nil {
			just := f.Carveout.Reason + " (" + f.Carveout.Source
			if f.Carveout.Owner != "" {
				just += ", owner " + f.Carveout.Owner
			}
			if f.Carveout.Expires != "" {
				just += ", until " + f.Carveout.Expires
			}
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: just + ")"}}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// relURI writes a finding path as a relative URI reference (slash-separated,
// escaped), relative to Root when it is absolute and under it.
func (s SARIF) relURI(file string) string {
	if filepath.IsAbs(file) && s.Run.Root != "" {
		if rel, err := filepath.Rel(s.Run.Root, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	return (&url.URL{Path: filepath.ToSlash(file)}).String()
}

// DocsBase is where catalog docs paths such as docs/policies.md#sec-l3 are
// published; SARIF requires helpUri to be an absolute URI.
const DocsBase = "https://github.com/certgate/certgate/blob/main/"

func helpURI(docs string) string {
	if docs == "" {
		return ""
	}
	if u, err := url.Parse(docs); err == nil && u.IsAbs() {
		return docs
	}
	return DocsBase + strings.TrimPrefix(docs, "/")
}

// ruleName turns a title into the PascalCase name SARIF viewers show.
func ruleName(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}
