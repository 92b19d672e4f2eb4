// Package fault is the startup gate's fault-injection seam. The gate calls
// Inject at a few named points; a test installs a function there with Set to
// make that point fail, panic or stall, and checks that the gate refuses the start.
// Nothing is installed outside tests: an empty point costs one atomic load.
package fault

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
)

// Point names a place in the gate where a fault can be injected.
type Point string

const (
	// Loader is server.Check as it loads the process environment.
	Loader Point = "loader"
	// Catalog is the built-in catalog, once compiled (an error stands in for
	// a catalog that does not compile).
	Catalog Point = "catalog"
	// Engine is the evaluation, just before the engine runs.
	Engine Point = "engine"
	// Probe is each live probe, in its own goroutine, before it runs.
	Probe Point = "probe"
)

var (
	mu    sync.Mutex
	hooks atomic.Pointer[map[Point]func(context.Context) error]
)

// Inject runs the function installed at p, if any, and returns its error.
func Inject(ctx context.Context, p Point) error {
	if m := hooks.Load(); m != nil {
		if f := (*m)[p]; f != nil {
			return f(ctx)
		}
	}
	return nil
}

// Set installs f at p and returns a function that removes it. Tests only.
func Set(p Point, f func(context.Context) error) (restore func()) {
	update := func(f func(context.Context) error) {
		mu.Lock()
		defer mu.Unlock()
		m := map[Point]func(context.Context) error{}
		if old := hooks.Load(); old != nil {
			m = maps.Clone(*old)
		}
		if f == nil {
			delete(m, p)
		} else {
			m[p] = f
		}
		hooks.Store(&m)
	}
	update(f)
	return func() { update(nil) }
}
