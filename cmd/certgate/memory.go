package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"

	"github.com/certgate/certgate/lint"
)

// gcMemoryLimit bounds the heap while holdGC holds the collector off: past
// it the collector runs again, so an input larger than expected costs time,
// never memory beyond the bound.
const gcMemoryLimit = 256 << 20

// holdGC turns the garbage collector off, up to gcMemoryLimit (or a lower
// GOMEMLIMIT), until restore puts both settings back. Compiling the catalog
// allocates some 30 MB that the compiled engine mostly keeps, so collecting
// during it is wasted work (a quarter of the compile time on a fresh heap);
// the gate's commands hold it off for their whole run, which judges one
// environment and allocates little more.
func holdGC() (restore func()) {
	limit := debug.SetMemoryLimit(-1)
	gc := debug.SetGCPercent(-1)
	debug.SetMemoryLimit(min(limit, gcMemoryLimit))
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// A large input is evaluated under a soft memory limit (boundHeap): with the
// collector's default pacing the heap grows to twice what is live, and the
// evaluation of a stream of tens of megabytes keeps a hundred or two live
// (its text, its environments, the partitions in flight), so hundreds of
// megabytes would be garbage waiting. The limit is heapBoundFactor times the
// heap live after loading, and never under heapBoundFloor: an input whose
// evaluation keeps several times what its load left live (thousands of server
// workloads in one release, all in the cross partition) would otherwise have
// the collector run almost without end near the limit, while a stream of tens
// of megabytes, whose load leaves a hundred or more live, is held near three
// times that.
const (
	heapBoundFactor = 3
	heapBoundFloor  = 320 << 20
)

var heapBound struct {
	sync.Mutex
	n   int   // evaluations under the bound
	old int64 // the limit before the first
}

// boundHeap sets the soft memory limit for evaluating in with eng when eng
// evaluates it in partitions (a large input: what one evaluation holds at
// once is bounded, a whole evaluation of a large input might need more than
// the limit) and neither GOMEMLIMIT nor anything else set one; restore puts
// the limit back once the last evaluation under it returns.
func boundHeap(eng *lint.Engine, in *lint.Input) (restore func()) {
	if !eng.Partitioned(in) {
		return func() {}
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return func() {}
	}
	heapBound.Lock()
	defer heapBound.Unlock()
	if heapBound.n == 0 {
		if heapBound.old = debug.SetMemoryLimit(-1); heapBound.old != math.MaxInt64 {
			return func() {}
		}
		runtime.GC() // what the load left live, without its garbage
		live := liveHeap()
		debug.SetMemoryLimit(max(heapBoundFactor*live, heapBoundFloor))
	}
	heapBound.n++
	return sync.OnceFunc(func() {
		heapBound.Lock()
		defer heapBound.Unlock()
		if heapBound.n--; heapBound.n == 0 {
			debug.SetMemoryLimit(heapBound.old)
		}
	})
}

// liveHeap is the heap the last collection found live, in bytes.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// withoutGC runs fn under holdGC.
func withoutGC(fn func()) {
	defer holdGC()()
	fn()
}
