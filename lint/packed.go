package lint

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// PackedView is an object's CrossView packed into one string: a few dozen
// bytes where the same view as nested maps takes a kilobyte or two, so a
// stream of tens of thousands of objects keeps its views in a few megabytes.
// It holds what yaml.v3 decodes (null, booleans, int, int64, uint64, float64,
// strings, lists and mappings with string keys) and unpacks to the very same
// values.
//
// The encoding: a tag byte per value, then for a string its length (uvarint)
// and bytes, for an int or int64 a varint, for a uint64 a uvarint, for a
// float64 its 8 bytes (little endian), for a list or mapping its length
// (uvarint) and its elements (a mapping's as key string then value).
type PackedView string

const (
	packNull byte = iota
	packFalse
	packTrue
	packString
	packInt
	packInt64
	packUint64
	packFloat
	packMap
	packList
)

// keepPlan is a crossKeep with its keys sorted, so a view packs the same
// bytes every time; nil keeps a value whole.
type keepPlan struct {
	keys []string
	subs []*keepPlan
}

func planOf(k crossKeep) *keepPlan {
	if k == nil {
		return nil
	}
	p := &keepPlan{keys: slices.Sorted(maps.Keys(k))}
	for _, key := range p.keys {
		p.subs = append(p.subs, planOf(k[key]))
	}
	return p
}

var (
	plansOnce  sync.Once
	plansOf    map[string]*keepPlan // by kind
	namePlan   *keepPlan
	serverPlan *keepPlan
)

// crossPlan is the plan of CrossView for an object of kind and role.
func crossPlan(kind, role string) *keepPlan {
	plansOnce.Do(func() {
		plansOf = make(map[string]*keepPlan, len(crossKeepOf))
		for k, keep := range crossKeepOf {
			plansOf[k] = planOf(keep)
		}
		namePlan, serverPlan = planOf(nameKeep), planOf(serverKeep)
	})
	if role == RoleServer && (kind == "Deployment" || kind == "StatefulSet") {
		return serverPlan
	}
	if p, ok := plansOf[kind]; ok {
		return p
	}
	return namePlan
}

var packBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// PackCrossView packs CrossView(v, role) without building it; false when
// the view holds a value of another type than yaml.v3 decodes to (then keep
// CrossView itself).
func PackCrossView(v map[string]any, role string) (PackedView, bool) {
	kind, _ := v["kind"].(string)
	bp := packBuffers.Get().(*[]byte)
	defer packBuffers.Put(bp)
	b, ok := appendKept((*bp)[:0], v, crossPlan(kind, role))
	*bp = b
	if !ok {
		return "", false
	}
	return PackedView(b), true
}

// appendKept appends keepOf(v, plan), packed.
func appendKept(b []byte, v any, plan *keepPlan) ([]byte, bool) {
	if plan == nil {
		return appendPacked(b, v)
	}
	switch v := v.(type) {
	case map[string]any:
		n := 0
		for _, k := range plan.keys {
			if _, ok := v[k]; ok {
				n++
			}
		}
		b = binary.AppendUvarint(append(b, packMap), uint64(n))
		for i, k := range plan.keys {
			x, ok := v[k]
			if !ok {
				continue
			}
			b = appendPackedString(b, k)
			if b, ok = appendKept(b, x, plan.subs[i]); !ok {
				return b, false
			}
		}
		return b, true
	case []any:
		b = binary.AppendUvarint(append(b, packList), uint64(len(v)))
		for _, x := range v {
			var ok bool
			if b, ok = appendKept(b, x, plan); !ok {
				return b, false
			}
		}
		return b, true
	}
	return appendPacked(b, v)
}

func appendPackedString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendPacked appends v whole.
func appendPacked(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(b, packNull), true
	case bool:
		if v {
			return append(b, packTrue), true
		}
		return append(b, packFalse), true
	case string:
		return appendPackedString(append(b, packString), v), true
	case int:
		return binary.AppendVarint(append(b, packInt), int64(v)), true
	case int64:
		return binary.AppendVarint(append(b, packInt64), v), true
	case uint64:
		return binary.AppendUvarint(append(b, packUint64), v), true
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, packFloat), math.Float64bits(v)), true
	case map[string]any:
		b = binary.AppendUvarint(append(b, packMap), uint64(len(v)))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			var ok bool
			if b, ok = appendPacked(appendPackedString(b, k), v[k]); !ok {
				return b, false
			}
		}
		return b, true
	case []any:
		b = binary.AppendUvarint(append(b, packList), uint64(len(v)))
		for _, x := range v {
			var ok bool
			if b, ok = appendPacked(b, x); !ok {
				return b, false
			}
		}
		return b, true
	}
	return b, false
}

var errPacked = errors.New("packed view: malformed")

// Value unpacks the view: the map CrossView returns.
func (p PackedView) Value() (map[string]any, error) {
	r := unpacker{s: string(p)}
	v := r.value()
	m, ok := v.(map[string]any)
	if r.err != nil || !ok || r.off != len(r.s) {
		return nil, errPacked
	}
	return m, nil
}

// astValue converts the view as ast.InterfaceToValue converts its Value,
// sharing the terms of repeated strings through c.
func (p PackedView) astValue(c termCache) (ast.Value, error) {
	r := unpacker{s: string(p), terms: c}
	v := r.ast()
	if r.err != nil || r.off != len(r.s) {
		return nil, errPacked
	}
	return v, nil
}

type unpacker struct {
	s     string
	off   int
	err   error
	terms termCache
}

func (r *unpacker) byte() byte {
	if r.off >= len(r.s) {
		r.err = errPacked
		return packNull
	}
	c := r.s[r.off]
	r.off++
	return c
}

func (r *unpacker) uvarint() uint64 {
	var x uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
	r.err = errPacked
	return 0
}

func (r *unpacker) varint() int64 {
	u := r.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (r *unpacker) len() int {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.off) {
		r.err = errPacked
		return 0
	}
	return int(n)
}

func (r *unpacker) string() string {
	n := r.len()
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// scalar reads a value that is not a mapping or list, after its tag.
func (r *unpacker) scalar(tag byte) any {
	switch tag {
	case packNull:
		return nil
	case packFalse:
		return false
	case packTrue:
		return true
	case packString:
		return r.string()
	case packInt:
		return int(r.varint())
	case packInt64:
		return r.varint()
	case packUint64:
		return r.uvarint()
	case packFloat:
		if r.off+8 > len(r.s) {
			r.err = errPacked
			return nil
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64([]byte(r.s[r.off : r.off+8])))
		r.off += 8
		return f
	}
	r.err = errPacked
	return nil
}

func (r *unpacker) value() any {
	switch tag := r.byte(); tag {
	case packMap:
		n := r.len()
		m := make(map[string]any, n)
		for range n {
			k := r.string()
			m[k] = r.value()
		}
		return m
	case packList:
		n := r.len()
		l := make([]any, n)
		for i := range l {
			l[i] = r.value()
		}
		return l
	default:
		return r.scalar(tag)
	}
}

// astTerm reads a value as a term: a string's may be shared.
func (r *unpacker) astTerm() *ast.Term {
	if r.off < len(r.s) && r.s[r.off] == packString {
		r.off++
		return r.terms.str(r.string())
	}
	return ast.NewTerm(r.ast())
}

func (r *unpacker) ast() ast.Value {
	switch tag := r.byte(); tag {
	case packMap:
		n := r.len()
		kvs := make([][2]*ast.Term, n)
		for i := range kvs {
			kvs[i][0] = r.terms.str(r.string())
			kvs[i][1] = r.astTerm()
		}
		return ast.NewObject(kvs...)
	case packList:
		n := r.len()
		l := make([]*ast.Term, n)
		for i := range l {
			l[i] = r.astTerm()
		}
		return ast.NewArray(l...)
	default:
		v, err := ast.InterfaceToValue(r.scalar(tag))
		if err != nil && r.err == nil {
			r.err = err
		}
		return v
	}
}

// Packed environment variables: a large manifest stream keeps the variables
// of its containers' environments packed into one string each (Env.PackVars),
// a tenth of the memory of the map and its refs. Each variable is its name,
// value, a flags byte (varKnown, varMaybeEmpty, varNote, varNoRef,
// varRelative), its note when it has one, and its ref unless it has none:
// the rest of the path after the environment's own ref path when the ref
// points into the same document below it (varRelative), else the file, the
// document and the whole path. A path element is a string (tag packString)
// or an int (tag packInt).
const (
	varKnown = 1 << iota
	varMaybeEmpty
	varNote
	varNoRef
	varRelative
)

// PackVars moves Vars into a packed string: Vars becomes nil and Variables
// unpacks them again. It does nothing when a ref path holds another element
// than a string or an int.
func (e *Env) PackVars() {
	if e.Vars == nil {
		return
	}
	bp := packBuffers.Get().(*[]byte)
	defer packBuffers.Put(bp)
	b := (*bp)[:0]
	b = binary.AppendUvarint(b, uint64(len(e.Vars)))
	for _, name := range slices.Sorted(maps.Keys(e.Vars)) {
		v := e.Vars[name]
		b = appendPackedString(appendPackedString(b, name), v.Value)
		var flags byte
		if v.Known {
			flags |= varKnown
		}
		if v.MaybeEmpty {
			flags |= varMaybeEmpty
		}
		if v.Note != "" {
			flags |= varNote
		}
		rel := v.Ref != nil && e.Ref != nil && v.Ref.File == e.Ref.File && v.Ref.Doc == e.Ref.Doc &&
			len(v.Ref.Path) >= len(e.Ref.Path) && pathHasPrefix(v.Ref.Path, e.Ref.Path)
		switch {
		case v.Ref == nil:
			flags |= varNoRef
		case rel:
			flags |= varRelative
		}
		b = append(b, flags)
		if v.Note != "" {
			b = appendPackedString(b, v.Note)
		}
		var path []any
		switch {
		case v.Ref == nil:
			continue
		case rel:
			path = v.Ref.Path[len(e.Ref.Path):]
		default:
			b = appendPackedString(b, v.Ref.File)
			b = binary.AppendVarint(b, int64(v.Ref.Doc))
			path = v.Ref.Path
		}
		b = binary.AppendUvarint(b, uint64(len(path)))
		for _, p := range path {
			switch p := p.(type) {
			case string:
				b = appendPackedString(append(b, packString), p)
			case int:
				b = binary.AppendVarint(append(b, packInt), int64(p))
			default:
				*bp = b
				return
			}
		}
	}
	*bp = b
	e.Vars, e.packedVars = nil, string(b)
}

func pathHasPrefix(path, prefix []any) bool {
	for i, p := range prefix {
		if path[i] != p {
			return false
		}
	}
	return true
}

// Variables is Vars, unpacked when PackVars packed them.
func (e *Env) Variables() map[string]Var {
	if e.packedVars == "" {
		return e.Vars
	}
	vars := map[string]Var{}
	e.eachPackedVar(func(name string, v Var, rel []any) {
		if rel != nil {
			v.Ref.Path = append(slices.Clone(e.Ref.Path), rel...)
		}
		vars[name] = v
	})
	return vars
}

// eachPackedVar calls fn with each packed variable; a ref relative to the
// environment's comes with a nil Ref.Path and the rest of the path in rel.
func (e *Env) eachPackedVar(fn func(name string, v Var, rel []any)) {
	r := unpacker{s: e.packedVars}
	n := r.len()
	for range n {
		name := r.string()
		v := Var{Value: r.string()}
		flags := r.byte()
		v.Known, v.MaybeEmpty = flags&varKnown != 0, flags&varMaybeEmpty != 0
		if flags&varNote != 0 {
			v.Note = r.string()
		}
		var rel []any
		if flags&varNoRef == 0 {
			v.Ref = &Ref{}
			if flags&varRelative != 0 {
				v.Ref.File, v.Ref.Doc = e.Ref.File, e.Ref.Doc
			} else {
				v.Ref.File, v.Ref.Doc = r.string(), int(r.varint())
			}
			path := make([]any, r.len())
			for i := range path {
				path[i] = r.scalar(r.byte())
			}
			if flags&varRelative != 0 {
				rel = path
			} else {
				v.Ref.Path = path
			}
		}
		if r.err != nil {
			panic("lint: malformed packed variables")
		}
		fn(name, v, rel)
	}
}
