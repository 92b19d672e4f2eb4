// Command gen writes a benchmark input: a seeded, deterministic Kubernetes
// manifest stream.
//
//	go run ./bench/gen -kind mixed|big|join [-n N] [-seed S] [-faults] -o FILE
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/certgate/certgate/bench/internal/workload"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var names []string
	for _, k := range workload.Kinds {
		names = append(names, k.Name)
	}
	kind := fs.String("kind", "", "generator: "+strings.Join(names, ", "))
	n := fs.Int("n", 0, "size (default: the benchmark's size of the kind)")
	seed := fs.Uint64("seed", workload.Seed, "seed")
	out := fs.String("o", "-", "output file (- for stdout)")
	faults := fs.Bool("faults", false, "add deterministic defects to some releases (mixed, join), for tests that need findings")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gen -kind KIND [-n N] [-seed S] [-faults] [-o FILE]")
		fs.PrintDefaults()
		for _, k := range workload.Kinds {
			fmt.Fprintf(stderr, "  %-6s %s (default N=%d)\n", k.Name, k.Doc, k.DefaultN)
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	size := *n
	found := false
	for _, k := range workload.Kinds {
		if k.Name == *kind {
			found = true
			if size == 0 {
				size = k.DefaultN
			}
		}
	}
	if !found {
		fmt.Fprintf(stderr, "gen: unknown -kind %q (want %s)\n", *kind, strings.Join(names, ", "))
		return 2
	}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "gen: %v\n", err)
			return 2
		}
		w = f
	}
	generate := workload.Generate
	if *faults {
		generate = workload.GenerateWithFaults
	}
	if err := generate(w, *kind, size, *seed); err != nil {
		fmt.Fprintf(stderr, "gen: %v\n", err)
		return 2
	}
	if f, ok := w.(*os.File); ok && f != os.Stdout {
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "gen: %v\n", err)
			return 2
		}
	}
	return 0
}
