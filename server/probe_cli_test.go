package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/server/internal/testenv"
)

// runCLI runs certgate with only env (plus PATH) and returns the exit code.
func runCLI(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(testutil.CertgateBinary(t), args...)
	cmd.Env = append(append([]string{"PATH=" + os.Getenv("PATH")}, serverBase...), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

func TestExecProbe(t *testing.T) {
	pg := postgresServer(t, false)
	marker := filepath.Join(t.TempDir(), "started")
	argv := []string{"exec", "--probe", "db", "--", "sh", "-c", "echo started > " + marker}

	t.Run("database unreachable: CMD does not start", func(t *testing.T) {
		port, err := testenv.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, []string{fmt.Sprintf("CERTCTL_DATABASE_URL=postgres://%s:%s@127.0.0.1:%d/certctl?sslmode=disable", appUser, appPW, port)}, argv...)
		if code != 1 || !strings.Contains(stderr, "CFG-DB-REACH") || !strings.Contains(stderr, "reachable=no") {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatal("CMD started although the database is unreachable")
		}
		if strings.Contains(stderr, appPW) {
			t.Fatal("the password leaked")
		}
	})
	t.Run("all probes pass: CMD starts", func(t *testing.T) {
		code, _, stderr := runCLI(t, []string{"CERTCTL_DATABASE_URL=" + pg.URL(appUser, appPW, "localhost", "sslmode=disable")}, argv...)
		if code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		if _, err := os.Stat(marker); err != nil {
			t.Fatalf("CMD did not start: %v; stderr:\n%s", err, stderr)
		}
		if !strings.Contains(stderr, "db    reachable=yes tls=no") {
			t.Fatalf("want the probe section on stderr:\n%s", stderr)
		}
	})
}

func TestEnvProbeOutput(t *testing.T) {
	pg := postgresServer(t, false)
	env := []string{"CERTCTL_DATABASE_URL=" + pg.URL(appUser, "$(POSTGRES_PASSWORD)", "localhost", "sslmode=disable"), "POSTGRES_PASSWORD=" + appPW}

	t.Run("text", func(t *testing.T) {
		code, out, stderr := runCLI(t, env, "env", "--probe", "db,acme")
		if code != 0 || !strings.Contains(out, "Probes:") || !strings.Contains(out, "db    reachable=yes tls=no latency=") ||
			!strings.Contains(out, "acme  skipped: CERTCTL_ACME_DIRECTORY_URL is not set") {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
		}
		if strings.Contains(out, appPW) {
			t.Fatal("the password leaked")
		}
	})
	t.Run("json", func(t *testing.T) {
		code, out, stderr := runCLI(t, env, "env", "--probe", "db", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var doc struct {
			Findings []any `json:"findings"`
			Summary  any   `json:"summary"`
			Probes   []struct {
				Name      string  `json:"name"`
				Reachable bool    `json:"reachable"`
				TLS       *bool   `json:"tls"`
				LatencyMS float64 `json:"latency_ms"`
			} `json:"probes"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if doc.Summary == nil || len(doc.Probes) != 1 || doc.Probes[0].Name != "db" || !doc.Probes[0].Reachable || doc.Probes[0].TLS == nil || *doc.Probes[0].TLS {
			t.Fatalf("unexpected JSON: %s", out)
		}
		if strings.Contains(out, appPW) {
			t.Fatal("the password leaked")
		}
	})
	t.Run("unreachable: exit 1", func(t *testing.T) {
		code, out, _ := runCLI(t, []string{"CERTCTL_DATABASE_URL=postgres://u:p@127.0.0.1:1/c?sslmode=disable"}, "env", "--probe", "db", "--probe-timeout", "1s")
		if code != 1 || !strings.Contains(out, "CFG-DB-REACH") {
			t.Fatalf("exit %d: %s", code, out)
		}
	})
	t.Run("unknown probe: exit 2", func(t *testing.T) {
		code, _, stderr := runCLI(t, nil, "env", "--probe", "db,redis")
		if code != 2 || !strings.Contains(stderr, `unknown probe "redis"`) {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		code, _, stderr = runCLI(t, nil, "exec", "--probe", "redis", "--", "true")
		if code != 2 {
			t.Fatalf("exec: exit %d: %s", code, stderr)
		}
	})
}
