package kube

import (
	"bytes"
	"errors"
	"io"
	"runtime"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

// decoded is one document of a stream: its node and value, or the error
// yaml.v3 gives (valueErr: the node decoded, its value did not).
type decoded struct {
	node     *yaml.Node
	value    any
	err      error
	valueErr error
}

// errChunked: a run of documents did not decode on its own; the stream is
// then decoded again in one piece, which reports the error exactly as yaml.v3
// words it for the whole stream.
var errChunked = errors.New("a run of documents did not decode alone")

// chunkBytes is the least size of a run of documents decoded apart, and
// parallelFrom the size of a stream from which runs are decoded in parallel.
var (
	chunkBytes   = 128 << 10
	parallelFrom = 512 << 10
)

// sequentialDocs decodes the stream in one piece, document by document.
func sequentialDocs(src []byte) (next func() decoded, stop func()) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	return func() decoded {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return decoded{err: err}
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return decoded{node: &n, valueErr: err}
		}
		return decoded{node: &n, value: v}
	}, func() {}
}

// parallelDocs decodes runs of documents of a stream whose documents decode
// alone (each starts at a --- line or at the start of the stream: no
// directive, no ... marker, lines ending in newlines) on one worker per core,
// and yields them in order, holding a few runs at a time. A run is cut only
// at a --- line, which YAML forbids inside any scalar; the text before the
// first one stays with the first document (yaml.v3 gives its comments to it),
// and a comment before a later one stays with the document before it, where
// yaml.v3 puts it. Any error yields errChunked.
func parallelDocs(src []byte) (next func() decoded, stop func()) {
	bounds := []int{0}
	// The first run reaches past the first marker: the text before it (a
	// comment header) belongs to the first document.
	first := 0
	if !isMarker(src) {
		if first = nextMarker(src, 1); first < 0 {
			first = len(src)
		}
	}
	for off := max(chunkBytes, first+1); off < len(src); {
		j := nextMarker(src, off)
		if j < 0 {
			break
		}
		bounds = append(bounds, j)
		off = j + chunkBytes
	}
	bounds = append(bounds, len(src))
	n := len(bounds) - 1
	type run struct {
		docs []decoded
		ok   bool
	}
	results := make([]chan run, n)
	for k := range results {
		results[k] = make(chan run, 1)
	}
	done := make(chan struct{})
	slots := make(chan struct{}, runtime.GOMAXPROCS(0)+1) // runs decoded ahead of the reader
	go func() {
		line := 0
		for k := range n {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			text := src[bounds[k]:bounds[k+1]]
			go func(k, line int) {
				docs, ok := decodeRun(text, line)
				results[k] <- run{docs, ok}
			}(k, line)
			line += bytes.Count(text, []byte{'\n'})
		}
	}()
	k, i := -1, 0
	var cur []decoded
	next = func() decoded {
		for i >= len(cur) {
			if k >= 0 {
				<-slots
			}
			k++
			if k >= n {
				return decoded{err: io.EOF}
			}
			r := <-results[k]
			if !r.ok {
				return decoded{err: errChunked}
			}
			cur, i = r.docs, 0
		}
		d := cur[i]
		cur[i] = decoded{}
		i++
		return d
	}
	return next, func() { close(done) }
}

// decodeRun decodes the documents of text, whose first line is line+1 of the
// stream; false when yaml.v3 reports any error.
func decodeRun(text []byte, line int) ([]decoded, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var docs []decoded
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, true
		}
		if err != nil {
			return nil, false
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, false
		}
		lint.ShiftLines(&n, line)
		docs = append(docs, decoded{node: &n, value: v})
	}
}

// isMarker: b starts with a --- document marker line.
func isMarker(b []byte) bool {
	return bytes.HasPrefix(b, []byte("---")) && (len(b) == 3 || b[3] == ' ' || b[3] == '\t' || b[3] == '\n' || b[3] == '\r')
}

// nextMarker returns the offset of the first line at or after off that is a
// --- document marker, or -1.
func nextMarker(src []byte, off int) int {
	for {
		idx := bytes.Index(src[off-1:], []byte("\n---"))
		if idx < 0 {
			return -1
		}
		if isMarker(src[off+idx:]) {
			return off + idx
		}
		off += idx + 3
	}
}
