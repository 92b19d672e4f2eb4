package lint

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func TestFlatCache(t *testing.T) {
	c := getCache()
	defer putCache(c)
	a := ast.MustParseRef(`data.lib.known_value[{"vars": {}}]["A"]`)
	b := ast.MustParseRef(`data.lib.known_value[{"vars": {}}]["B"]`)
	if v, undef := c.Get(a); v != nil || undef {
		t.Fatalf("empty cache: got %v, %v", v, undef)
	}
	// The caller reuses its key slice: the cache must have copied it.
	key := append(ast.Ref{}, a...)
	c.Put(key, ast.StringTerm("x"))
	key[len(key)-1] = ast.StringTerm("Z")
	if v, _ := c.Get(a); v == nil || !v.Equal(ast.StringTerm("x")) {
		t.Fatalf("Get(a) = %v, want x", v)
	}
	c.Put(b, nil)
	if v, undef := c.Get(b); v != nil || !undef {
		t.Fatalf("Get(b) = %v, %v; want undefined", v, undef)
	}
	c.Put(b, ast.StringTerm("y")) // a key's value may be replaced
	if v, undef := c.Get(b); undef || !v.Equal(ast.StringTerm("y")) {
		t.Fatalf("Get(b) = %v, %v; want y", v, undef)
	}
	if n := len(c.Keys()); n != 2 {
		t.Fatalf("Keys: %d, want 2", n)
	}

	// with pushes a frame that sees nothing of the one below; Pop restores it.
	c.Push()
	if v, _ := c.Get(a); v != nil {
		t.Fatalf("pushed frame sees %v", v)
	}
	c.Put(a, ast.StringTerm("inner"))
	c.Pop()
	if v, _ := c.Get(a); !v.Equal(ast.StringTerm("x")) {
		t.Fatalf("after Pop: %v, want x", v)
	}

	// Keys with the same hash stay apart.
	c.put(7, a, ast.StringTerm("1"))
	c.put(7, b, ast.StringTerm("2"))
	c.put(7, b, ast.StringTerm("3"))
	if v, _ := c.get(7, a); !v.Equal(ast.StringTerm("1")) {
		t.Fatalf("collision a: %v", v)
	}
	if v, _ := c.get(7, b); !v.Equal(ast.StringTerm("3")) {
		t.Fatalf("collision b: %v", v)
	}
	if v, _ := c.get(7, ast.MustParseRef("data.x")); v != nil {
		t.Fatalf("collision miss: %v", v)
	}
}

func TestFlatCacheReusedEmpty(t *testing.T) {
	c := getCache()
	c.Put(ast.MustParseRef("data.a"), ast.StringTerm("x"))
	c.Push()
	c.Put(ast.MustParseRef("data.a"), ast.StringTerm("y"))
	putCache(c) // returned inside a pushed frame, as an aborted evaluation may
	if c.depth != 0 || len(c.arena) != 0 || len(c.frames[0].first) != 0 || len(c.frames[1].first) != 0 {
		t.Fatalf("putCache left state: depth %d, arena %d", c.depth, len(c.arena))
	}
}
