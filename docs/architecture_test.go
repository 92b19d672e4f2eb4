package docs_test

import (
	"bufio"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/certgate/certgate"

// rule is one line of the dependency rules in ARCHITECTURE.md.
type rule struct {
	line     int
	subject  string   // a package, or a pattern for imported-only-by
	verb     string   // must-not-depend-on | imported-only-by
	patterns []string // patterns, or the importers allowed
}

// dependencyRules reads the ```deps block of ARCHITECTURE.md.
func dependencyRules(t *testing.T) []rule {
	t.Helper()
	f, err := os.Open("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rules []rule
	in := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```deps":
			in = true
		case in && line == "```":
			in = false
		case in && line != "" && !strings.HasPrefix(line, "#"):
			fields := strings.Fields(line)
			if len(fields) < 3 || (fields[1] != "must-not-depend-on" && fields[1] != "imported-only-by") {
				t.Fatalf("ARCHITECTURE.md:%d: want PACKAGE must-not-depend-on PATTERN... or PATTERN imported-only-by PACKAGE...: %q", n, line)
			}
			rules = append(rules, rule{line: n, subject: fields[0], verb: fields[1], patterns: fields[2:]})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rules) < 5 {
		t.Fatalf("ARCHITECTURE.md has %d dependency rules in a ```deps block; the test would prove nothing", len(rules))
	}
	return rules
}

// full turns a module-relative name (lint/load) into an import path; names
// whose first element holds a dot (helm.sh/..., github.com/...) are external.
func full(p string) string {
	first, _, _ := strings.Cut(p, "/")
	if strings.Contains(first, ".") {
		return p
	}
	return module + "/" + p
}

// matches reports whether the import path pkg matches pattern (a trailing
// /... matches the path and everything below it).
func matches(pattern, pkg string) bool {
	pattern = full(pattern)
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

func goList(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return string(out)
}

// TestDependencyRules enforces the rules ARCHITECTURE.md writes down:
// "P must-not-depend-on X..." over P's whole dependency graph without tests
// (go list -deps), and "X imported-only-by P..." over the direct imports of
// every package of the module, its tests included (a package's own tests
// may always import it).
func TestDependencyRules(t *testing.T) {
	rules := dependencyRules(t)
	importers := map[string][]string{} // import path -> direct importers (tests included)
	for _, line := range strings.Split(strings.TrimSpace(goList(t, "-f", "{{.ImportPath}} {{join .Imports \" \"}} {{join .TestImports \" \"}} {{join .XTestImports \" \"}}", "./...")), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if !slices.Contains(importers[imp], fields[0]) {
				importers[imp] = append(importers[imp], fields[0])
			}
		}
	}
	for _, r := range rules {
		switch r.verb {
		case "must-not-depend-on":
			deps := strings.Fields(goList(t, "-deps", "./"+r.subject))
			if len(deps) < 5 {
				t.Fatalf("ARCHITECTURE.md:%d: go list -deps %s listed %d packages", r.line, r.subject, len(deps))
			}
			for _, dep := range deps {
				if exempt(r.patterns, dep) {
					continue
				}
				for _, p := range r.patterns {
					if !strings.HasPrefix(p, "+") && matches(p, dep) {
						t.Errorf("ARCHITECTURE.md:%d: %s depends on %s (rule: %s must-not-depend-on %s)", r.line, r.subject, dep, r.subject, p)
					}
				}
			}
		case "imported-only-by":
			n := 0
			for imp, by := range importers {
				if !matches(r.subject, imp) {
					continue
				}
				n++
				for _, b := range by {
					if b == imp || slices.ContainsFunc(r.patterns, func(p string) bool { return matches(p, b) }) {
						continue
					}
					t.Errorf("ARCHITECTURE.md:%d: %s imports %s (rule: %s imported-only-by %s)", r.line, b, imp, r.subject, strings.Join(r.patterns, " "))
				}
			}
			if n == 0 {
				t.Errorf("ARCHITECTURE.md:%d: no package of the module imports %s: the rule is stale", r.line, r.subject)
			}
		}
	}
}

// exempt reports whether a "+PATTERN" of patterns, an exception to the
// others, allows dep.
func exempt(patterns []string, dep string) bool {
	for _, p := range patterns {
		if allowed, ok := strings.CutPrefix(p, "+"); ok && matches(allowed, dep) {
			return true
		}
	}
	return false
}

// TestMatches pins the pattern syntax the rules use.
func TestMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, pkg string
		want         bool
	}{
		{"lint/load", module + "/lint/load", true},
		{"lint/load", module + "/lint/loader", false},
		{"lint/...", module + "/lint", true},
		{"lint/...", module + "/lint/helm", true},
		{"lint/...", module + "/linter", false},
		{"helm.sh/helm/v3/...", "helm.sh/helm/v3/pkg/chart", true},
		{"k8s.io/...", "sigs.k8s.io/yaml", false},
	} {
		if got := matches(c.pattern, c.pkg); got != c.want {
			t.Errorf("matches(%q, %q) = %v", c.pattern, c.pkg, got)
		}
	}
}
