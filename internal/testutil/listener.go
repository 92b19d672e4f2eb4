package testutil

import (
	"net"
	"sync"
	"testing"
)

// SilentListener accepts connections on 127.0.0.1 and never answers, as a
// stuck database or ACME server would, so a probe against it can only end by
// its timeout; the test's cleanup closes it and every connection it accepted.
func SilentListener(t testing.TB) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l
}
