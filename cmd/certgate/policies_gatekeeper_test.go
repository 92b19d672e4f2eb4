package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/gatekeeper"
)

func gatorBinary(t *testing.T) string {
	return testutil.Tool(t, "gator", "github.com/open-policy-agent/gatekeeper/v3/cmd/gator@v3.23.1")
}

// generateGatekeeper runs certgate policies gatekeeper into a new directory.
func generateGatekeeper(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if r := runCLI(t, nil, "", "policies", "gatekeeper", "--output", dir); r.code != 0 {
		t.Fatalf("policies gatekeeper: exit %d: %s", r.code, r.err)
	}
	return dir
}

// TestGatekeeperSuites runs gator verify on the generated suites (for each
// template, the denied example must be denied with a message starting with
// the rule ID, the admitted one admitted), and checks that certgate lint
// refuses and accepts the same example objects.
func TestGatekeeperSuites(t *testing.T) {
	gator := gatorBinary(t)
	dir := generateGatekeeper(t)
	cmd := exec.Command(gator, "verify", "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gator verify: %v\n%s", err, out)
	}
	rules := gatekeeper.Rules()
	if n := len(regexp.MustCompile(`(?m)^ok\t`).FindAll(out, -1)); n != len(rules) {
		t.Errorf("gator verify passed %d suites, want one per rule (%d):\n%s", n, len(rules), out)
	}

	for _, r := range rules {
		name := gatekeeper.Name(r.ID)
		sev := lint.SeverityError
		if r.Action == "warn" {
			sev = lint.SeverityWarning
		}
		for _, c := range []struct {
			file    string
			refused bool
		}{{"denied.yaml", true}, {"admitted.yaml", false}} {
			p := filepath.Join(dir, "suites", name, c.file)
			res := runCLI(t, nil, "", "lint", p, "--no-waivers", "--now", "1800000000", "--format", "json", "--fail-on", string(sev))
			if res.code == 2 {
				t.Fatalf("%s %s: lint exit 2: %s", r.ID, c.file, res.err)
			}
			var rep struct {
				Findings []struct{ Rule, Severity, Message string }
			}
			if err := json.Unmarshal([]byte(res.out), &rep); err != nil {
				t.Fatal(err)
			}
			hit := slices.ContainsFunc(rep.Findings, func(f struct{ Rule, Severity, Message string }) bool {
				return f.Rule == r.ID && lint.Severity(f.Severity).Rank() >= sev.Rank()
			})
			if hit != c.refused {
				t.Errorf("%s %s: certgate lint reports %s at %s or above: %v, the suite says %v: %+v", r.ID, c.file, r.ID, sev, hit, c.refused, rep.Findings)
			}
			if !c.refused && res.code != 0 {
				t.Errorf("%s %s: certgate lint refuses the admitted example (exit %d): %+v", r.ID, c.file, res.code, rep.Findings)
			}
		}
	}
}

// TestGatekeeperAgreesWithLint runs every generated template and constraint
// with gator test on objects that exercise the wrapper (roles by image,
// variables, label and name, a sidecar, releases from image tags, envFrom,
// Pods, CronJobs, Secrets, ConfigMaps) and compares what it reports with
// certgate lint on the same objects: every error of a deny rule and every
// warning of a warn rule, by rule, severity, object and message.
func TestGatekeeperAgreesWithLint(t *testing.T) {
	gator := gatorBinary(t)
	dir := generateGatekeeper(t)
	objects := filepath.Join(testutil.RepoRoot(t), "lint", "gatekeeper", "testdata", "objects.yaml")
	cmd := exec.Command(gator, "test", "-o", "json", "-f", filepath.Join(dir, "templates"), "-f", filepath.Join(dir, "constraints"), "-f", objects)
	out, err := cmd.Output()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("gator test: %v", err)
	}
	var results []struct {
		Msg      string
		Metadata struct {
			Details struct{ Rule, Severity string }
		}
		ViolatingObject struct {
			Kind     string
			Metadata struct{ Name string }
		}
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("gator test -o json: %v\n%s%s", err, out, stderrOf(err))
	}
	got := map[string]bool{}
	for _, r := range results {
		d := r.Metadata.Details
		msg, ok := strings.CutPrefix(r.Msg, d.Rule+": ")
		if !ok {
			t.Errorf("violation message does not start with its rule ID: %q", r.Msg)
		}
		got[strings.Join([]string{d.Rule, d.Severity, r.ViolatingObject.Kind + " " + r.ViolatingObject.Metadata.Name, msg}, " | ")] = true
	}

	level := map[string]lint.Severity{}
	for _, r := range gatekeeper.Rules() {
		level[r.ID] = lint.SeverityError
		if r.Action == "warn" {
			level[r.ID] = lint.SeverityWarning
		}
	}
	res := runCLI(t, nil, "", "lint", objects, "--no-waivers", "--format", "json")
	if res.code == 2 {
		t.Fatalf("lint: %s", res.err)
	}
	var rep struct {
		Findings []struct{ Rule, Severity, Message, Subject string }
	}
	if err := json.Unmarshal([]byte(res.out), &rep); err != nil {
		t.Fatal(err)
	}
	object := regexp.MustCompile(`^\S+ \S+`) // the subject's "Kind name"
	want := map[string]bool{}
	for _, f := range rep.Findings {
		if l, ok := level[f.Rule]; !ok || lint.Severity(f.Severity).Rank() < l.Rank() {
			continue
		}
		want[strings.Join([]string{f.Rule, f.Severity, object.FindString(f.Subject), f.Message}, " | ")] = true
	}
	if len(want) < 10 {
		t.Fatalf("only %d lint findings to compare: the objects exercise too little", len(want))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("certgate lint reports, Gatekeeper does not: %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("Gatekeeper reports, certgate lint does not: %s", k)
		}
	}
	t.Logf("%d findings agree", len(want))
}

// Every rule of the catalog is judged at admission or listed as lint-only
// with why, and docs/cluster.md names every lint-only rule.
func TestGatekeeperCoversTheCatalog(t *testing.T) {
	eng, err := lint.New(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, r := range gatekeeper.Rules() {
		seen[r.ID] = "admission"
	}
	doc, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "docs", "cluster.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range gatekeeper.LintOnly() {
		if seen[r.ID] != "" {
			t.Errorf("%s is both judged at admission and lint-only", r.ID)
		}
		seen[r.ID] = "lint-only"
		if r.Why == "" {
			t.Errorf("%s is lint-only without a reason", r.ID)
		}
		if !strings.Contains(string(doc), r.ID) {
			t.Errorf("docs/cluster.md does not list the lint-only rule %s", r.ID)
		}
	}
	for _, p := range eng.Policies() {
		if seen[p.ID] == "" {
			t.Errorf("%s is neither judged by a Gatekeeper template nor listed as lint-only (lint/gatekeeper/rules.yaml)", p.ID)
		}
		delete(seen, p.ID)
	}
	for id := range seen {
		t.Errorf("lint/gatekeeper/rules.yaml names %s, which is not a rule of the catalog", id)
	}
}

// TestReadmeGatekeeper runs the README's Gatekeeper example: generation, then
// gator verify of every suite.
func TestReadmeGatekeeper(t *testing.T) {
	gator := gatorBinary(t)
	out := runReadmeBlock(t, "## Gatekeeper", t.TempDir(), gator)
	if n := len(regexp.MustCompile(`(?m)^ok\t`).FindAllString(out, -1)); n != len(gatekeeper.Rules()) || !strings.Contains(out, "PASS") {
		t.Errorf("gator verify passed %d suites, want %d:\n%s", n, len(gatekeeper.Rules()), out)
	}
}
