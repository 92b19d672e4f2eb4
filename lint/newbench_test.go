package lint_test

import (
	"context"
	"testing"

	"github.com/certgate/certgate/lint"
)

// BenchmarkNew measures compiling the whole built-in catalog, as certgate lint
// does once per run.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := lint.New(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewGate measures compiling only the rules the startup gate can judge.
func BenchmarkNewGate(b *testing.B) {
	for b.Loop() {
		if _, err := lint.New(context.Background(), lint.WithInputs("env", "probe")); err != nil {
			b.Fatal(err)
		}
	}
}
