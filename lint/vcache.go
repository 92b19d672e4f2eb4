package lint

import (
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// flatCache is the evaluator's virtual-document cache (the results of rules
// and of function calls, keyed by ref and arguments), as OPA's own but cheaper
// for the catalog's shape: OPA keeps a trie with a hash map and an element per
// key segment, so every distinct call such as lib.known_value(env, name)
// allocates a few objects per segment. flatCache keeps one Go map per frame,
// keyed by a hash of the whole key, copies keys into an arena, and is reused
// across evaluations (cleared, never shared by two at once), so a warm
// evaluation allocates next to nothing for caching.
type flatCache struct {
	frames []cacheFrame
	depth  int
	arena  []*ast.Term
}

// cacheFrame is one frame of the cache: `with` pushes a fresh one.
type cacheFrame struct {
	first map[uint64]cacheEntry
	more  map[uint64][]cacheEntry // keys whose hash another key already has
}

type cacheEntry struct {
	key       []*ast.Term
	value     *ast.Term
	undefined bool
}

var _ topdown.VirtualCache = (*flatCache)(nil)

var cachePool = sync.Pool{New: func() any {
	return &flatCache{frames: []cacheFrame{newCacheFrame()}, arena: make([]*ast.Term, 0, 1024)}
}}

func newCacheFrame() cacheFrame { return cacheFrame{first: make(map[uint64]cacheEntry, 256)} }

// getCache returns an empty cache for one evaluation; putCache takes it back.
func getCache() *flatCache { return cachePool.Get().(*flatCache) }

func putCache(c *flatCache) {
	for i := 0; i <= c.depth && i < len(c.frames); i++ {
		clear(c.frames[i].first)
		c.frames[i].more = nil
	}
	c.depth = 0
	clear(c.arena)
	c.arena = c.arena[:0]
	cachePool.Put(c)
}

func cacheHash(ref ast.Ref) uint64 {
	var h uint64 = 14695981039346656037
	for _, t := range ref {
		h = (h ^ uint64(t.Value.Hash())) * 1099511628211
	}
	return h
}

func sameKey(a, b []*ast.Term) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func (c *flatCache) Push() {
	c.depth++
	if c.depth == len(c.frames) {
		c.frames = append(c.frames, newCacheFrame())
	}
}

func (c *flatCache) Pop() {
	clear(c.frames[c.depth].first)
	c.frames[c.depth].more = nil
	c.depth--
}

// Get returns (value, false) for a cached value, (nil, true) for a key
// cached as undefined and (nil, false) for a key not cached.
func (c *flatCache) Get(ref ast.Ref) (*ast.Term, bool) { return c.get(cacheHash(ref), ref) }

func (c *flatCache) get(h uint64, ref ast.Ref) (*ast.Term, bool) {
	f := &c.frames[c.depth]
	e, ok := f.first[h]
	if ok && !sameKey(e.key, ref) {
		ok = false
		for _, x := range f.more[h] {
			if sameKey(x.key, ref) {
				e, ok = x, true
				break
			}
		}
	}
	if !ok {
		return nil, false
	}
	if e.undefined {
		return nil, true
	}
	return e.value, false
}

// Put caches value under ref, or marks ref undefined when value is nil. The
// caller may reuse ref's slice, so the key is copied.
func (c *flatCache) Put(ref ast.Ref, value *ast.Term) { c.put(cacheHash(ref), ref, value) }

func (c *flatCache) put(h uint64, ref ast.Ref, value *ast.Term) {
	f := &c.frames[c.depth]
	e := cacheEntry{value: value, undefined: value == nil}
	if old, ok := f.first[h]; ok {
		if sameKey(old.key, ref) {
			e.key = old.key
			f.first[h] = e
			return
		}
		for i, x := range f.more[h] {
			if sameKey(x.key, ref) {
				e.key = x.key
				f.more[h][i] = e
				return
			}
		}
		e.key = c.copyKey(ref)
		if f.more == nil {
			f.more = map[uint64][]cacheEntry{}
		}
		f.more[h] = append(f.more[h], e)
		return
	}
	e.key = c.copyKey(ref)
	f.first[h] = e
}

func (c *flatCache) copyKey(ref ast.Ref) []*ast.Term {
	n := len(c.arena)
	c.arena = append(c.arena, ref...)
	return c.arena[n:len(c.arena):len(c.arena)]
}

// Keys returns the keys with a value in the active frame.
func (c *flatCache) Keys() []ast.Ref {
	f := &c.frames[c.depth]
	var keys []ast.Ref
	for _, e := range f.first {
		if e.value != nil {
			keys = append(keys, ast.Ref(e.key))
		}
	}
	for _, es := range f.more {
		for _, e := range es {
			if e.value != nil {
				keys = append(keys, ast.Ref(e.key))
			}
		}
	}
	return keys
}
