package format_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// catalog is a small fixed catalog, so these tests do not depend on the rules
// that exist today.
var catalog = []lint.Policy{
	{ID: "DEPL-M2", Title: "No placeholder credentials outside the demo overlay", Description: "Placeholders ship known secrets.", Severity: lint.SeverityError, Remediation: "Use a secret.", Docs: "docs/policies.md#depl-m2"},
	{ID: "DEPL-M3", Title: "NetworkPolicy is opt-in", Description: "Say so.", Severity: lint.SeverityInfo, Remediation: "Enable it.", Docs: "docs/policies.md#depl-m3"},
	{ID: "SEC-H1", Title: "Agent bootstrap token", Description: "Token needed.", Severity: lint.SeverityError, Remediation: "Set a token.", Docs: "docs/policies.md#sec-h1"},
	{ID: "SEC-L3", Title: "Request body cap must be a byte count", Description: "Falls back.", Severity: lint.SeverityError, Remediation: "Use bytes.", Docs: "docs/policies.md#sec-l3"},
}

func run() format.Run {
	return format.Run{Policies: catalog, Version: "1.2.3", Inputs: []string{"compose/.env", "compose/docker-compose.yml"}}
}

// rich is a report with every shape a writer must handle: no file, a file
// without a line, characters that need escaping, a waived finding and an info.
func rich() *lint.Report {
	return lint.NewReport([]lint.Finding{
		{Rule: "SEC-L3", Severity: lint.SeverityError, Title: "Request body cap must be a byte count", Message: "CERTCTL_MAX_BODY_SIZE=\"10MB\" is not a base-10 byte count: 100% wrong,\nsee docs", File: "compose/.env", Line: 3, Column: 1, Path: "CERTCTL_MAX_BODY_SIZE", Remediation: "Use bytes.", Fingerprint: "0011"},
		{Rule: "SEC-H1", Severity: lint.SeverityWarning, Message: "token | empty", Subject: "process environment", Path: "CERTCTL_AGENT_BOOTSTRAP_TOKEN", Remediation: "Set a token.", Fingerprint: "0022"},
		{Rule: "DEPL-M2", Severity: lint.SeverityError, Message: "change-me- literal in POSTGRES_PASSWORD", File: "compose/docker-compose.yml", Line: 12, Column: 9, Path: "services.postgres.environment.POSTGRES_PASSWORD", Fingerprint: "0033",
			Carveout: &lint.AppliedCarveout{Source: "certgate.yaml:4", Owner: "platform", Reason: "fixture", Expires: "2027-01-01"}},
		{Rule: "DEPL-M3", Severity: lint.SeverityInfo, Message: "NetworkPolicy is off", File: "dir,with:odd/chars.yaml", Fingerprint: "0044"},
	})
}

func write(t *testing.T, name string, r *lint.Report) []byte {
	t.Helper()
	w, err := format.New(name, run())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./lint/format/ -update)", err)
	}
	if !bytes.Equal(bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n")), got) {
		t.Fatalf("%s differs (go test ./lint/format/ -update to accept)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	// The OASIS schema lives beside the repository, never inside it.
	sch := testutil.SARIFSchema(t)
	for name, r := range map[string]*lint.Report{"rich": rich(), "empty": lint.NewReport(nil)} {
		out := write(t, "sarif", r)
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Fatalf("%s: SARIF does not validate: %v\n%s", name, err, out)
		}
	}
	// The schema check can fail: a result without a message is invalid.
	var bad map[string]any
	json.Unmarshal(write(t, "sarif", rich()), &bad)
	delete(bad["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any), "message")
	if err := sch.Validate(bad); err == nil {
		t.Fatal("schema accepted a result without a message")
	}
}

func TestSARIFContent(t *testing.T) {
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID                   string `json:"id"`
						Help                 struct{ Text string }
						DefaultConfiguration struct{ Level string }
					}
				}
			}
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
						Region           *struct{ StartLine, StartColumn int }
					} `json:"physicalLocation"`
					LogicalLocations []struct{ Name string } `json:"logicalLocations"`
				}
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Suppressions        []struct{ Kind, Status, Justification string }
			}
		}
	}
	if err := json.Unmarshal(write(t, "sarif", rich()), &log); err != nil {
		t.Fatal(err)
	}
	d := log.Runs[0].Tool.Driver
	if log.Version != "2.1.0" || d.Name != "certgate" || d.Version != "1.2.3" || len(d.Rules) != len(catalog) {
		t.Fatalf("driver = %+v", d)
	}
	if d.Rules[1].ID != "DEPL-M3" || d.Rules[1].DefaultConfiguration.Level != "note" || d.Rules[3].Help.Text != "Use bytes." {
		t.Fatalf("rules = %+v", d.Rules)
	}
	rs := log.Runs[0].Results
	if len(rs) != 4 {
		t.Fatalf("results = %d", len(rs))
	}
	// Sorted: no-file first (SEC-H1), then compose/.env (SEC-L3), compose/docker-compose.yml (DEPL-M2), dir,with... (DEPL-M3).
	if rs[0].RuleID != "SEC-H1" || rs[0].Level != "warning" || rs[0].Locations[0].PhysicalLocation != nil || rs[0].Locations[0].LogicalLocations[0].Name != "CERTCTL_AGENT_BOOTSTRAP_TOKEN" {
		t.Fatalf("result 0 = %+v", rs[0])
	}
	l3 := rs[1]
	if l3.RuleID != "SEC-L3" || *l3.RuleIndex != 3 || l3.Locations[0].PhysicalLocation.ArtifactLocation.URI != "compose/.env" ||
		l3.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" || l3.Locations[0].PhysicalLocation.Region.StartLine != 3 || l3.PartialFingerprints["certgate/v1"] != "0011" {
		t.Fatalf("SEC-L3 result = %+v", l3)
	}
	m2 := rs[2]
	if len(m2.Suppressions) != 1 || m2.Suppressions[0].Kind != "external" || m2.Suppressions[0].Status != "accepted" || !strings.Contains(m2.Suppressions[0].Justification, "fixture") {
		t.Fatalf("waived result = %+v", m2)
	}
	if rs[3].Locations[0].PhysicalLocation.Region != nil {
		t.Fatal("a finding without a line must have no region")
	}
}

func TestJUnit(t *testing.T) {
	out := write(t, "junit", rich())
	var got struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out, &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	// Four rules; every rule lists both inputs, plus the files of its own
	// findings: DEPL-M2 2, DEPL-M3 3, SEC-H1 3 (process environment), SEC-L3 2.
	if len(got.Suites) != 4 || got.Tests != 10 || got.Failures != 2 || got.Skipped != 1 {
		t.Fatalf("tests=%d failures=%d skipped=%d suites=%d\n%s", got.Tests, got.Failures, got.Skipped, len(got.Suites), out)
	}
	for _, s := range got.Suites {
		if s.Name == "SEC-L3" {
			c := s.Cases[0]
			if c.Name != "compose/.env" || c.Failure == nil || !strings.Contains(c.Failure.Text, "compose/.env:3:1") || !strings.Contains(c.Failure.Text, "100% wrong") {
				t.Fatalf("SEC-L3 case = %+v", c)
			}
			if s.Cases[1].Failure != nil {
				t.Fatal("a file without findings failed")
			}
		}
	}
	// A rule with no inputs at all still gets a passing case.
	w, _ := format.New("junit", format.Run{Policies: catalog})
	var b bytes.Buffer
	if err := w.Write(&b, lint.NewReport(nil)); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b.Bytes(), &got); err != nil || got.Tests != 4 || got.Failures != 0 {
		t.Fatalf("empty report: %v %+v", err, got)
	}
}

func TestGitHubGolden(t *testing.T) {
	golden(t, "github.golden", write(t, "github", rich()))
}

func TestMarkdownGolden(t *testing.T) {
	out := write(t, "markdown", rich())
	if !strings.HasPrefix(string(out), "**certgate**: 1 error, 1 warning, 1 info, 1 waived\n") {
		t.Fatalf("summary line first: %s", out)
	}
	golden(t, "markdown.golden", out)
	if got := string(write(t, "markdown", lint.NewReport(nil))); !strings.Contains(got, "No findings.") {
		t.Fatal(got)
	}
}
