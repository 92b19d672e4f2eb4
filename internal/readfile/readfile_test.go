package readfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// withMax sets the limit for one test (tests of this package run one at a time).
func withMax(t *testing.T, n int64) {
	t.Helper()
	SetMaxSize(n)
	t.Cleanup(func() { SetMaxSize(0) })
}

func tooLarge(t *testing.T, err error, name string) {
	t.Helper()
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("err = %v, want a TooLargeError", err)
	}
	if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "--max-input-size") {
		t.Errorf("error %q should name %s and the flag", err, name)
	}
}

func TestRegularFileLimit(t *testing.T) {
	withMax(t, 10)
	dir := t.TempDir()
	p := filepath.Join(dir, "ten")
	if err := os.WriteFile(p, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := File(p); err != nil || string(b) != "0123456789" {
		t.Fatalf("File at the limit = %q, %v", b, err)
	}
	big := filepath.Join(dir, "eleven")
	if err := os.WriteFile(big, []byte("0123456789A"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := File(big)
	tooLarge(t, err, big)
	_, err = Regular(big)
	tooLarge(t, err, big)
	_, err = FS(fstest.MapFS{"x.env": {Data: []byte("0123456789AB")}}, "x.env")
	tooLarge(t, err, "x.env")
}

func TestReaderLimit(t *testing.T) {
	withMax(t, 1000)
	if b, err := Reader(bytes.NewReader(make([]byte, 1000)), "<stdin>"); err != nil || len(b) != 1000 {
		t.Fatalf("Reader at the limit: %d bytes, %v", len(b), err)
	}
	_, err := Reader(bytes.NewReader(make([]byte, 1001)), "<stdin>")
	tooLarge(t, err, "<stdin>")
}

func TestDeviceIsBounded(t *testing.T) {
	withMax(t, 1<<20)
	b, err := File("/dev/zero")
	tooLarge(t, err, "/dev/zero")
	if b != nil {
		t.Errorf("kept %d bytes of an oversize input", len(b))
	}
	if _, err := Regular("/dev/zero"); !isNotRegular(err) {
		t.Errorf("Regular(/dev/zero) = %v, want a NotRegularError", err)
	}
}

func isNotRegular(err error) bool {
	var nr *NotRegularError
	return errors.As(err, &nr)
}

func mkfifo(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}

// TestRegularRefusesFIFO: a FIFO nobody writes is refused without opening it
// (opening would block until a writer comes).
func TestRegularRefusesFIFO(t *testing.T) {
	p := mkfifo(t, ".env")
	_, err := Regular(p)
	if !isNotRegular(err) || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), p) {
		t.Fatalf("Regular(fifo) = %v, want a NotRegularError naming the pipe", err)
	}
	_, err = RegularFS(os.DirFS(filepath.Dir(p)), ".env")
	if !isNotRegular(err) {
		t.Fatalf("RegularFS(fifo) = %v, want a NotRegularError", err)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if SkipReason(st.Mode()) == "" || SkipReason(0) != "" || SkipReason(fs.ModeDir) != "" {
		t.Error("SkipReason: want a reason for a FIFO only")
	}
}

// TestFIFOReadTwice: a named FIFO reads its content once, and the same bytes
// when it is read again.
func TestFIFOReadTwice(t *testing.T) {
	p := mkfifo(t, "stream.yaml")
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		_, err = f.WriteString("A=1\n")
		done <- errors.Join(err, f.Close())
	}()
	for i := range 2 {
		b, err := File(p)
		if err != nil || string(b) != "A=1\n" {
			t.Fatalf("read %d: %q, %v", i, b, err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{DefaultMaxSize: "256MiB", 1 << 30: "1GiB", 1536 << 10: "1536KiB", 1000: "1000B", 10: "10B"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
