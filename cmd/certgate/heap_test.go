package main

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestBoundHeap: an input evaluated in partitions is evaluated under a soft
// memory limit well above what is live, put back when the last evaluation
// under it returns; an input evaluated whole (small, or with --policy),
// GOMEMLIMIT or a limit already set leave the limit alone.
func TestBoundHeap(t *testing.T) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	custom, err := lint.New(ctx, lint.WithPolicyDir("../../testdata/userpolicies/example"))
	if err != nil {
		t.Fatal(err)
	}
	orig := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(orig)
	debug.SetMemoryLimit(math.MaxInt64)
	objects := func(n int) *lint.Input {
		in := &lint.Input{}
		for i := range n {
			in.Manifests = append(in.Manifests, lint.Object{
				Ref:    &lint.Ref{File: "s.yaml", Doc: i, Path: []any{}},
				Value:  map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": fmt.Sprint("c", i)}},
				Labels: map[string]string{"kind": "ConfigMap", "name": fmt.Sprint("c", i)},
			})
		}
		return in
	}
	large, small := objects(2000), objects(10)
	if !eng.Partitioned(large) || eng.Partitioned(small) || custom.Partitioned(large) {
		t.Fatalf("partitioned: large %v, small %v, large with --policy %v", eng.Partitioned(large), eng.Partitioned(small), custom.Partitioned(large))
	}

	boundHeap(eng, small)()
	boundHeap(custom, large)()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("an input evaluated whole set the limit to %d", got)
	}
	restore := boundHeap(eng, large)
	limit := debug.SetMemoryLimit(-1)
	live := liveHeap()
	if live <= 0 || limit < heapBoundFactor*live || limit < heapBoundFloor || limit == math.MaxInt64 {
		t.Fatalf("limit %d with %d bytes live", limit, live)
	}
	again := boundHeap(eng, large) // a second evaluation meanwhile keeps the limit
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("second evaluation: limit %d, want %d", got, limit)
	}
	restore()
	restore()
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("limit %d while an evaluation is under it, want %d", got, limit)
	}
	again()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d after the last evaluation, want none", got)
	}

	debug.SetMemoryLimit(1 << 40)
	boundHeap(eng, large)()
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("a limit already set became %d", got)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "off")
	r := boundHeap(eng, large)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT=off: limit set to %d", got)
	}
	r()
}
