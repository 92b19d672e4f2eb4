package testutil

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ReadmeSection is the text of the README section under heading (such as
// "## Install"), up to the next heading of the same level; the test fails
// when the README has no such section.
func ReadmeSection(t testing.TB, heading string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", heading)
	}
	level := heading[:strings.Index(heading, " ")+1]
	if i := strings.Index(rest, "\n"+level); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// ReadmeBlocks are the fenced blocks of language lang (sh, go, yaml) in the
// README section under heading, each with its final newline.
func ReadmeBlocks(t testing.TB, heading, lang string) []string {
	t.Helper()
	re := regexp.MustCompile("(?s)\n```" + regexp.QuoteMeta(lang) + "\n(.*?\n)```\n")
	var out []string
	for _, m := range re.FindAllStringSubmatch(ReadmeSection(t, heading), -1) {
		out = append(out, m[1])
	}
	return out
}

// ReadmeBlock is the one fenced block of language lang under heading; the
// test fails when there is not exactly one.
func ReadmeBlock(t testing.TB, heading, lang string) string {
	t.Helper()
	blocks := ReadmeBlocks(t, heading, lang)
	if len(blocks) != 1 {
		t.Fatalf("README.md %q has %d %s blocks, want 1", heading, len(blocks), lang)
	}
	return blocks[0]
}

// Main runs the tests of a package that may build the certgate binary
// (CertgateBinary) and removes the binary afterwards: call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	RemoveBinary()
	os.Exit(code)
}
