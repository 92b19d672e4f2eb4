package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestBoundHeap: a large input is evaluated under a soft memory limit well
// above what is live, put back when the last evaluation under it returns; a
// small input, GOMEMLIMIT or a limit already set leave the limit alone.
func TestBoundHeap(t *testing.T) {
	orig := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(orig)
	debug.SetMemoryLimit(math.MaxInt64)
	large := &lint.Input{Manifests: make([]lint.Object, heapBoundObjects)}
	small := &lint.Input{Manifests: make([]lint.Object, heapBoundObjects-1)}

	boundHeap(small)()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("a small input set the limit to %d", got)
	}
	restore := boundHeap(large)
	limit := debug.SetMemoryLimit(-1)
	live := liveHeap()
	if live <= 0 || limit < heapBoundFactor*live || limit < live+heapBoundSlack || limit == math.MaxInt64 {
		t.Fatalf("limit %d with %d bytes live", limit, live)
	}
	again := boundHeap(large) // a second evaluation meanwhile keeps the limit
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
	boundHeap(large)()
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("a limit already set became %d", got)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "off")
	r := boundHeap(large)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT=off: limit set to %d", got)
	}
	r()
}
