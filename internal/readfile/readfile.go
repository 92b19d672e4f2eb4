// Package readfile is how certgate reads an input file: with a size bound,
// read in pieces (never allocated whole before it is known to fit), and never
// blocking on a named pipe, device or socket that nobody asked it to read.
//
// A file the user named (on the command line, --env-file, --compose, -f) may
// be a stream: a FIFO, <(sops -d .env), /dev/stdin. File and FS read it up to
// the limit. A file certgate found by itself (a walked directory, the .env
// beside a base compose file, an env_file target, an include) must be a
// regular file: Regular refuses anything else without opening it, and walkers
// skip such entries with the reason Special gives.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultMaxSize is the input size limit unless SetMaxSize says otherwise.
const DefaultMaxSize int64 = 256 << 20

var maxSize atomic.Int64

// MaxSize is the current input size limit in bytes.
func MaxSize() int64 {
	if n := maxSize.Load(); n > 0 {
		return n
	}
	return DefaultMaxSize
}

// SetMaxSize sets the input size limit for the whole process (the CLI's
// --max-input-size); n <= 0 restores DefaultMaxSize.
func SetMaxSize(n int64) { maxSize.Store(n) }

// FormatSize writes n bytes in the largest binary unit that divides it
// (256MiB, 1536KiB, 1000B), as --max-input-size reads sizes.
func FormatSize(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 40, "TiB"}, {1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// TooLargeError is an input larger than the limit. Readers return it inside
// an *fs.PathError naming the file.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than the input size limit of %s (--max-input-size)", FormatSize(e.Limit))
}

// NotRegularError is a FIFO, device or socket where a regular file was
// expected. Regular returns it inside an *fs.PathError naming the file.
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string {
	return Special(e.Mode) + ", not a regular file: certgate reads one only when it is named on the command line"
}

// Cause drops the *fs.PathError around a TooLargeError or NotRegularError,
// for callers whose message names the file already; other errors are
// returned as they are.
func Cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		var tl *TooLargeError
		var nr *NotRegularError
		if errors.As(pe.Err, &tl) || errors.As(pe.Err, &nr) {
			return pe.Err
		}
	}
	return err
}

// StripPath drops the operation and path of an *fs.PathError (any cause),
// for callers whose message names the file already: "read env file .env: no
// such file or directory", not "... open .env: no such file or directory".
// Only err itself is looked at, never a *fs.PathError wrapped inside it, so
// no other wording is ever dropped; any other error (nil too) is returned as
// it is. Cause, by contrast, drops the *fs.PathError only around the refusals
// of this package.
func StripPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// Special says what a file of mode m is when it is a named pipe, device,
// socket or other irregular file, and "" for regular files, directories and
// symbolic links (whose target decides).
func Special(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return ""
}

// SkipReason is the reason a walker lists for a special file it met and did
// not read ("" when m is not special).
func SkipReason(m fs.FileMode) string {
	s := Special(m)
	if s == "" {
		return ""
	}
	return s + ", not read: certgate reads one only when it is named on the command line"
}

// File reads the file at path, a regular file or a stream, up to MaxSize.
// Errors are *fs.PathError, as os.ReadFile's.
func File(path string) ([]byte, error) {
	return read(path, false, os.Stat, func() (fs.File, error) { return os.Open(path) })
}

// Regular reads the file at path up to MaxSize when it is a regular file
// (after symbolic links); anything else is an error, and a FIFO is never
// opened, so nothing blocks waiting for a writer.
func Regular(path string) ([]byte, error) {
	return read(path, true, os.Stat, func() (fs.File, error) { return os.Open(path) })
}

// FS is File for a file of fsys.
func FS(fsys fs.FS, name string) ([]byte, error) {
	return read(name, false, func(name string) (fs.FileInfo, error) { return fs.Stat(fsys, name) }, func() (fs.File, error) { return fsys.Open(name) })
}

// RegularFS is Regular for a file of fsys.
func RegularFS(fsys fs.FS, name string) ([]byte, error) {
	return read(name, true, func(name string) (fs.FileInfo, error) { return fs.Stat(fsys, name) }, func() (fs.File, error) { return fsys.Open(name) })
}

// read stats name first: a special file is refused when regular is set, and a
// pipe or socket already read returns what it gave (see streams) rather than
// waiting for a writer that already left.
func read(name string, regular bool, stat func(string) (fs.FileInfo, error), open func() (fs.File, error)) ([]byte, error) {
	st, err := stat(name)
	if err != nil {
		return nil, err
	}
	if regular && Special(st.Mode()) != "" {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &NotRegularError{Mode: st.Mode()}}
	}
	consumed := st.Mode()&(fs.ModeNamedPipe|fs.ModeSocket) != 0
	if consumed {
		if s, ok := streams.lookup(st); ok {
			return s.src, s.err
		}
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	limit := MaxSize()
	if st.Mode().IsRegular() && st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	hint := int64(0)
	if st.Mode().IsRegular() {
		hint = st.Size()
	}
	src, err := readLimited(f, name, hint)
	if consumed {
		if after, serr := f.Stat(); serr == nil {
			st = after // the time of the last write
		}
		streams.keep(st, src, err)
	}
	return src, err
}

// Reader reads r (standard input) up to MaxSize; name is what errors call it.
func Reader(r io.Reader, name string) ([]byte, error) {
	return readLimited(r, name, 0)
}

// readLimited reads r to its end, failing once it passes MaxSize; hint is
// the expected size (0: unknown), so a regular file is read in one piece.
// The buffer grows as data arrives and never past the limit plus one byte.
func readLimited(r io.Reader, name string, hint int64) ([]byte, error) {
	limit := MaxSize()
	buf := make([]byte, 0, min(max(hint+1, 512), limit+1))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
			}
			buf = slices.Grow(buf, int(min(int64(cap(buf)), limit+1-int64(cap(buf)))))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
	}
	if int64(len(buf)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	return buf, nil
}

// streams keeps what was read from each pipe or socket (by file identity and
// modification time), so that a FIFO named on the command line reads the same
// when it is looked at twice (the walker classifies a file by its content,
// then its loader reads it): a pipe yields its bytes once. What is kept is
// what the loaders keep anyway, and only streams are kept.
var streams streamCache

type streamCache struct {
	mu   sync.Mutex
	kept []stream
}

type stream struct {
	info fs.FileInfo
	src  []byte
	err  error
}

func (c *streamCache) lookup(st fs.FileInfo) (stream, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.kept {
		if os.SameFile(s.info, st) && s.info.ModTime().Equal(st.ModTime()) {
			return s, true
		}
	}
	return stream{}, false
}

func (c *streamCache) keep(st fs.FileInfo, src []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.kept = append(c.kept, stream{info: st, src: src, err: err})
}
