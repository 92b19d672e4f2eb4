package run_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint/run"
)

// A library caller runs the whole pipeline (certgate.yaml, the kinds table,
// carve-outs, evaluation) and gets the report; nothing is printed.
func ExampleRunner() {
	r := run.Runner{
		Root: "../..", // where certgate.yaml is; paths in findings are relative to it
		Now:  time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
	}
	res, err := r.Run(context.Background(), []string{"../../testdata/compose/no-token"})
	if err != nil {
		log.Fatal(err) // a *run.Error: config, load, compile, carve-outs or evaluate
	}
	for _, f := range res.Report.Findings {
		fmt.Printf("%s %s %s\n", f.Location(), f.Severity, f.Rule)
	}
	fmt.Println("exit code:", res.Report.ExitCode("error"))
	// Output:
	// testdata/compose/no-token/docker-compose.yml:5:7 error SEC-H1
	// exit code: 1
}

// TestReadmeShowsTheExample: the README's library example is ExampleRunner's
// code, which go test compiles and runs.
func TestReadmeShowsTheExample(t *testing.T) {
	block := testutil.ReadmeBlock(t, "## As a Go library", "go")
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(src), "func ExampleRunner() {\n")
	body, _, _ = strings.Cut(body, "\t// Output:")
	var want strings.Builder
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		want.WriteString(strings.TrimPrefix(l, "\t") + "\n")
	}
	if block != want.String() {
		t.Errorf("README block:\n%s\nExampleRunner:\n%s", block, want.String())
	}
}
