package server_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/server"
)

// TestCheckClockIgnoresSourceDateEpoch: server.Check reads the time from the
// system clock or WithClock only; SOURCE_DATE_EPOCH in the environment it
// judges cannot make a three-year-old demo acknowledgement fresh.
func TestCheckClockIgnoresSourceDateEpoch(t *testing.T) {
	env := maps.Clone(testutil.BootingEnv)
	env["CERTCTL_DEMO_MODE_ACK"] = "true"
	env["CERTCTL_DEMO_MODE_ACK_TS"] = "1699999000"
	env["SOURCE_DATE_EPOCH"] = "1700000000"
	var environ []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		environ = append(environ, k+"="+env[k])
	}
	sec3 := func(err error) bool { return err != nil && strings.Contains(err.Error(), "SEC-H3: ") }

	_, err := server.Check(context.Background(), environ)
	if !sec3(err) {
		t.Fatalf("the system clock: want a SEC-H3 refusal, got %v", err)
	}
	_, err = server.Check(context.Background(), environ, server.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	if sec3(err) {
		t.Fatalf("WithClock at the acknowledgement: want no SEC-H3, got %v", err)
	}
}
