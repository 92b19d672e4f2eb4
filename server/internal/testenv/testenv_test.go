package testenv

import (
	"errors"
	"fmt"
	"testing"
)

// recorder is a testing.TB that records instead of stopping the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                          {}
func (r *recorder) Skipf(format string, args ...any) { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatal(args ...any)                { r.failed = fmt.Sprint(args...) }

func TestRequire(t *testing.T) {
	missing := fmt.Errorf("pebble: %w", ErrMissing)
	cases := []struct {
		name, ci   string
		err        error
		skip, fail bool
	}{
		{name: "nothing missing", err: nil},
		{name: "missing on a laptop skips", err: missing, skip: true},
		{name: "missing in CI fails", ci: "true", err: missing, fail: true},
		{name: "broken start fails", err: errors.New("initdb: exit 1"), fail: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			Require(r, tc.err)
			if (r.skipped != "") != tc.skip || (r.failed != "") != tc.fail {
				t.Fatalf("skipped=%q failed=%q", r.skipped, r.failed)
			}
		})
	}
}

func TestFreePort(t *testing.T) {
	p, err := FreePort()
	if err != nil || p <= 0 || p > 65535 {
		t.Fatalf("FreePort = %d, %v", p, err)
	}
}
