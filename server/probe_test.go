package server_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
	"github.com/certgate/certgate/server/internal/testenv"
)

// The real servers start once, on first use, and stop after all tests.
var (
	pgOnce, pgTLSOnce, pebbleOnce sync.Once
	pgPlain, pgTLS                *testenv.Postgres
	pebble                        *testenv.Pebble
	pgErr, pgTLSErr, pebbleErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgPlain.Stop()
	pgTLS.Stop()
	pebble.Stop()
	testutil.RemoveBinary()
	os.Exit(code)
}

const (
	appUser = "certctl"
	appPW   = "app-pw-7c1d"
	superPW = "super-pw-93ab"
	token   = "CERTCTL_AGENT_BOOTSTRAP_TOKEN=s3cr3t-value"
)

// serverBase is what every probe test's server needs to start apart from the
// database and ACME settings under test: the bootstrap token, TLS paths and
// the API-key secret.
var serverBase = []string{
	token,
	"CERTCTL_SERVER_TLS_CERT_PATH=" + filepath.Join(testutil.HostTLSDir, "server.crt"),
	"CERTCTL_SERVER_TLS_KEY_PATH=" + filepath.Join(testutil.HostTLSDir, "server.key"),
	"CERTCTL_AUTH_SECRET=admin-s3cr3t-value",
}

// postgresServer is a running PostgreSQL (TLS on or off) with an ordinary role
// certctl and a superuser certctl_super.
func postgresServer(t testing.TB, tls bool) *testenv.Postgres {
	t.Helper()
	once, p, perr := &pgOnce, &pgPlain, &pgErr
	if tls {
		once, p, perr = &pgTLSOnce, &pgTLS, &pgTLSErr
	}
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		*p, *perr = testenv.StartPostgres(ctx, tls)
		if *perr != nil {
			return
		}
		conn, err := pgx.Connect(ctx, (*p).URL((*p).Admin, (*p).AdminPassword, "127.0.0.1", "sslmode=disable"))
		if err != nil {
			*perr = err
			return
		}
		defer conn.Close(ctx)
		for _, q := range []string{
			fmt.Sprintf("create role %s login password '%s'", appUser, appPW),
			fmt.Sprintf("create role certctl_super login superuser password '%s'", superPW),
			fmt.Sprintf("create database certctl owner %s", appUser), // certctl's default URL names it
		} {
			if _, err := conn.Exec(ctx, q); err != nil {
				*perr = err
				return
			}
		}
	})
	testenv.Require(t, *perr)
	return *p
}

func pebbleServer(t testing.TB) *testenv.Pebble {
	t.Helper()
	pebbleOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		pebble, pebbleErr = testenv.StartPebble(ctx)
	})
	testenv.Require(t, pebbleErr)
	return pebble
}

// toLocal resolves every name to 127.0.0.1: a host that looks remote reaches
// the local test server.
func toLocal(context.Context, string) ([]string, error) { return []string{"127.0.0.1"}, nil }

type probeRun struct {
	report  *lint.Report
	err     error
	results map[string]*server.ProbeResult
}

func check(t *testing.T, environ []string, opts ...server.Option) probeRun {
	t.Helper()
	var run probeRun
	opts = append([]server.Option{
		server.WithClock(func() time.Time { return now }),
		server.WithProbeResults(func(rs []*server.ProbeResult) {
			run.results = map[string]*server.ProbeResult{}
			for _, r := range rs {
				run.results[r.Name] = r
			}
		}),
	}, opts...)
	run.report, run.err = server.Check(context.Background(), append(slices.Clone(serverBase), environ...), opts...)
	if run.report == nil {
		t.Fatalf("gate failed: %v", run.err)
	}
	for _, r := range run.results {
		t.Logf("probe %s: reachable=%v latency=%.1fms error=%q", r.Name, r.Reachable, r.LatencyMS(), r.Error)
	}
	return run
}

// refused asserts a refusal by rule containing text.
func (r probeRun) refused(t *testing.T, rule, text string) {
	t.Helper()
	if !errors.Is(r.err, server.ErrPolicyViolation) {
		t.Fatalf("err = %v, want ErrPolicyViolation", r.err)
	}
	var found bool
	for _, line := range strings.Split(r.err.Error(), "\n") {
		if strings.HasPrefix(line, rule+": ") && strings.Contains(line, text) {
			found = true
		}
	}
	if !found {
		t.Fatalf("want a %s refusal containing %q, got:\n%v", rule, text, r.err)
	}
}

func (r probeRun) passed(t *testing.T) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("gate refused: %v", r.err)
	}
}

func (r probeRun) has(rule string, sev lint.Severity, text string) bool {
	return hasFinding(r.report, rule, sev, text)
}

func (r probeRun) noSecrets(t *testing.T, secrets ...string) {
	t.Helper()
	var all strings.Builder
	fmt.Fprint(&all, r.err)
	for _, f := range r.report.Findings {
		all.WriteString(f.Message)
	}
	for _, p := range r.results {
		fmt.Fprint(&all, p.Error, p.Facts)
	}
	for _, s := range secrets {
		if strings.Contains(all.String(), s) {
			t.Fatalf("secret %q leaked: %s", s, all.String())
		}
	}
}

func dbProbe() server.Option {
	return server.WithProbes(&server.DatabaseProbe{LookupFunc: toLocal})
}

func TestDatabaseProbe(t *testing.T) {
	plain := postgresServer(t, false)
	secure := postgresServer(t, true)

	t.Run("tls off, remote-looking host: refused", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + plain.URL(appUser, appPW, "db.certctl.test", "sslmode=disable")}, dbProbe())
		r.refused(t, "CFG-DB-TLS", "connection to db.certctl.test is not encrypted")
		if !r.has("CFG-DB-TLS", lint.SeverityWarning, "sslmode=disable (from CERTCTL_DATABASE_URL)") {
			t.Errorf("want the static CFG-DB-TLS warning too: %+v", r.report.Findings)
		}
		db := r.results["db"]
		if !db.Reachable || db.TLS == nil || *db.TLS || db.Facts["host"] != "db.certctl.test" {
			t.Fatalf("probe result %+v", db)
		}
		r.noSecrets(t, appPW)
	})
	t.Run("tls off, remote-looking host, demo acknowledged: passes", func(t *testing.T) {
		r := check(t, []string{
			"CERTCTL_DATABASE_URL=" + plain.URL(appUser, appPW, "db.certctl.test", "sslmode=disable"),
			"CERTCTL_DEMO_MODE_ACK=true", "CERTCTL_DEMO_MODE_ACK_TS=" + ts(-time.Minute),
		}, dbProbe())
		r.dbOnly(t, "CFG-DB-TLS:warning") // certctl only logs it; acknowledged, certgate passes it
	})
	t.Run("tls off, localhost: passes", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + plain.URL(appUser, appPW, "localhost", "sslmode=disable")}, dbProbe())
		r.dbClean(t)
		db := r.results["db"]
		if !db.Reachable || *db.TLS || db.Facts["superuser"] != false || !strings.HasPrefix(db.Facts["server_version"].(string), "1") {
			t.Fatalf("probe result %+v", db)
		}
	})
	t.Run("unix socket: passes", func(t *testing.T) {
		u := fmt.Sprintf("postgres://%s@/postgres?host=%s&port=%d", plain.Admin, plain.SocketDir(), plain.Port)
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + u}, dbProbe())
		if !r.results["db"].Reachable || r.results["db"].Facts["unix_socket"] != true {
			t.Fatalf("probe result %+v", r.results["db"])
		}
		r.dbOnly(t, "CFG-DB-ROLE:warning") // a superuser: warning only
	})
	t.Run("tls on, remote-looking host: passes", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "db.certctl.test", "sslmode=require")}, dbProbe())
		r.dbClean(t)
		if db := r.results["db"]; !db.Reachable || !*db.TLS {
			t.Fatalf("probe result %+v", db)
		}
	})
	t.Run("superuser: warning", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL("certctl_super", superPW, "localhost", "sslmode=require")}, dbProbe())
		r.dbOnly(t, "CFG-DB-ROLE:warning")
		if !r.has("CFG-DB-ROLE", lint.SeverityWarning, "superuser") {
			t.Fatalf("want CFG-DB-ROLE warning, got %+v", r.report.Findings)
		}
	})
	t.Run("password from POSTGRES_PASSWORD", func(t *testing.T) {
		r := check(t, []string{
			"CERTCTL_DATABASE_URL=" + plain.URL(appUser, "$(POSTGRES_PASSWORD)", "127.0.0.1", "sslmode=disable"),
			"POSTGRES_PASSWORD=" + appPW,
		}, dbProbe())
		r.dbClean(t)
		if !r.results["db"].Reachable {
			t.Fatalf("probe result %+v", r.results["db"])
		}
	})
	t.Run("wrong password: refused with the 28P01 explanation", func(t *testing.T) {
		r := check(t, []string{
			"CERTCTL_DATABASE_URL=" + plain.URL(appUser, "$(POSTGRES_PASSWORD)", "127.0.0.1", "sslmode=disable"),
			"POSTGRES_PASSWORD=wrong-pw-5e2f",
		}, dbProbe())
		r.refused(t, "CFG-DB-REACH", "SQLSTATE 28P01")
		r.refused(t, "CFG-DB-REACH", "older POSTGRES_PASSWORD")
		if r.results["db"].Facts["sqlstate"] != "28P01" {
			t.Fatalf("probe result %+v", r.results["db"])
		}
		r.noSecrets(t, "wrong-pw-5e2f")
	})
	t.Run("nothing listening: refused", func(t *testing.T) {
		port, err := testenv.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		r := check(t, []string{fmt.Sprintf("CERTCTL_DATABASE_URL=postgres://%s:%s@127.0.0.1:%d/certctl?sslmode=disable", appUser, appPW, port)}, dbProbe())
		r.refused(t, "CFG-DB-REACH", fmt.Sprintf("127.0.0.1:%d is unreachable", port))
		r.noSecrets(t, appPW)
	})
}

func TestDatabaseProbeTimeout(t *testing.T) {
	// A listener that accepts and never answers: the probe must fail, not hang.
	l := testutil.SilentListener(t)
	port := l.Addr().(*net.TCPAddr).Port
	r := check(t, []string{fmt.Sprintf("CERTCTL_DATABASE_URL=postgres://u:p@127.0.0.1:%d/db?sslmode=disable", port)},
		dbProbe(), server.WithProbeTimeout(200*time.Millisecond))
	r.refused(t, "CFG-DB-REACH", "is unreachable")
	if r.results["db"].Reachable {
		t.Fatal("a hanging database was reported reachable")
	}
}

func TestDatabaseProbeWithoutServer(t *testing.T) {
	t.Run("url does not parse", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=postgres://certctl:hunter2-secret@db.example.com:notaport/certctl"}, dbProbe())
		r.refused(t, "CFG-DB-URL", "CERTCTL_DATABASE_URL does not parse as lib/pq v1.10.9 (certctl's database driver) reads it")
		if d := r.results["db"]; d.Reachable || d.Facts["driver_error"] == nil {
			t.Fatalf("probe result %+v", d)
		}
		r.noSecrets(t, "hunter2-secret")
	})
	t.Run("keyword form does not parse", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=host=db.example.com password='hunter2-secret"}, dbProbe())
		r.refused(t, "CFG-DB-URL", "does not parse")
		r.noSecrets(t, "hunter2-secret")
	})
	t.Run("not set: certctl's default is probed", func(t *testing.T) {
		port, err := testenv.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		r := check(t, []string{"PGPORT=" + strconv.Itoa(port)}, dbProbe())
		r.refused(t, "CFG-DB-REACH", fmt.Sprintf("CERTCTL_DATABASE_URL (unset: certctl uses postgres://localhost/certctl): localhost:%d is unreachable", port))
	})
	t.Run("no probes: no network, no probe section", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=postgres://u@db.example.com/c?sslmode=verify-full"})
		r.dbClean(t)
		if r.results != nil {
			t.Fatalf("probes ran without WithProbes: %v", r.results)
		}
	})
}

// panicky stands in for a probe that crashes.
type panicky struct{ name string }

func (p panicky) Name() string { return p.name }
func (panicky) Probe(context.Context, *server.ProbeEnv) *server.ProbeResult {
	panic("driver bug")
}

func TestProbePanicIsAFailure(t *testing.T) {
	r := check(t, []string{"CERTCTL_DATABASE_URL=postgres://u@localhost/c"}, server.WithProbes(panicky{"db"}))
	r.refused(t, "CFG-DB-REACH", "probe panicked: driver bug")
	if r.results["db"].Reachable {
		t.Fatal("a panicking probe was reported reachable")
	}
}

func TestProbesByName(t *testing.T) {
	ps, err := server.ProbesByName("db", " acme", "db", "")
	if err != nil || len(ps) != 2 || ps[0].Name() != "db" || ps[1].Name() != "acme" {
		t.Fatalf("ProbesByName = %v, %v", ps, err)
	}
	if _, err := server.ProbesByName("redis"); err == nil || !strings.Contains(err.Error(), "acme, db") {
		t.Fatalf("unknown probe: err = %v", err)
	}
}

func TestHangingProbesFail(t *testing.T) {
	// Both probes share one timeout budget each, not a sum: two hanging
	// probes still yield two failed results.
	r := check(t, []string{"CERTCTL_DATABASE_URL=postgres://u@localhost/c"},
		server.WithProbes(hang{"db"}, hang{"acme"}), server.WithProbeTimeout(100*time.Millisecond))
	for _, n := range []string{"db", "acme"} {
		if p := r.results[n]; p == nil || p.Reachable || !strings.Contains(p.Error, "did not finish within 100ms") {
			t.Fatalf("%s: %+v", n, p)
		}
	}
	r.refused(t, "CFG-DB-REACH", "did not finish")
	r.refused(t, "CFG-ACME-DIR", "did not answer within the probe's 100ms timeout (--probe-timeout)")
}

// hang ignores its context, as a stuck driver would.
type hang struct{ name string }

func (h hang) Name() string { return h.name }
func (hang) Probe(context.Context, *server.ProbeEnv) *server.ProbeResult {
	time.Sleep(time.Hour)
	return nil
}

// BenchmarkDatabaseProbe is one gate run with the database probe against the
// local server: a connection (scram-sha-256 login) and two queries.
func BenchmarkDatabaseProbe(b *testing.B) {
	p := postgresServer(b, false)
	benchCheck(b, []string{token, "CERTCTL_DATABASE_URL=" + p.URL(appUser, appPW, "localhost", "sslmode=disable")},
		server.WithProbes(&server.DatabaseProbe{}))
}

// BenchmarkACMEProbe is one gate run with the ACME probe against pebble: a
// verified TLS handshake and the directory fetch.
func BenchmarkACMEProbe(b *testing.B) {
	p := pebbleServer(b)
	benchCheck(b, []string{token, "CERTCTL_ACME_DIRECTORY_URL=" + p.DirectoryURL},
		server.WithProbes(&server.ACMEProbe{}), server.WithCACertificates(p.CAFile))
}

func benchCheck(b *testing.B, environ []string, opts ...server.Option) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := server.Check(ctx, environ, opts...); err != nil {
			b.Fatal(err)
		}
	}
}
