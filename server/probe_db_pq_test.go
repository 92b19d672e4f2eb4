package server_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
)

// dbFindings are the findings of the database rules, as "RULE:severity: message".
func (r probeRun) dbFindings() []string {
	var out []string
	for _, f := range r.report.Findings {
		if strings.HasPrefix(f.Rule, "CFG-DB-") || f.Rule == "CFG-PGENV" {
			out = append(out, fmt.Sprintf("%s:%s: %s", f.Rule, f.Severity, f.Message))
		}
	}
	return out
}

// dbClean asserts that no database rule has a finding: certctl connects.
func (r probeRun) dbClean(t *testing.T) {
	t.Helper()
	if fs := r.dbFindings(); len(fs) != 0 {
		t.Fatalf("want no database findings, got:\n%s", strings.Join(fs, "\n"))
	}
}

// dbOnly asserts the database findings are exactly the rules given, in
// "RULE:severity" form, each at least once.
func (r probeRun) dbOnly(t *testing.T, want ...string) {
	t.Helper()
	got := map[string]bool{}
	for _, f := range r.report.Findings {
		if strings.HasPrefix(f.Rule, "CFG-DB-") || f.Rule == "CFG-PGENV" {
			got[f.Rule+":"+string(f.Severity)] = true
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("want a %s finding, got:\n%s", w, strings.Join(r.dbFindings(), "\n"))
		}
		delete(got, w)
	}
	for g := range got {
		t.Errorf("unexpected %s finding:\n%s", g, strings.Join(r.dbFindings(), "\n"))
	}
}

// TestDatabaseProbeAsLibPQ connects to the real PostgreSQL servers as
// certctl's driver, lib/pq v1.10.9, would: its sslmode semantics, its
// parameters and its PG* variables.
func TestDatabaseProbeAsLibPQ(t *testing.T) {
	plain := postgresServer(t, false)
	secure := postgresServer(t, true)

	t.Run("no sslmode to a server without TLS: refused, as lib/pq would", func(t *testing.T) {
		for _, host := range []string{"db.certctl.test", "127.0.0.1"} {
			r := check(t, []string{"CERTCTL_DATABASE_URL=" + plain.URL(appUser, appPW, host, "")}, dbProbe())
			r.refused(t, "CFG-DB-REACH", "does not offer TLS, and sslmode=require (from default")
			r.dbOnly(t, "CFG-DB-REACH:error")
			db := r.results["db"]
			if db.Reachable || db.Facts["tls_refused"] != true || db.Facts["sslmode"] != "require" {
				t.Fatalf("probe result %+v", db)
			}
			r.noSecrets(t, appPW)
		}
	})
	t.Run("no sslmode to a TLS server: passes over TLS", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "db.certctl.test", "")}, dbProbe())
		r.dbClean(t)
		if db := r.results["db"]; !db.Reachable || db.TLS == nil || !*db.TLS {
			t.Fatalf("probe result %+v", db)
		}
	})
	t.Run("sslmode=require to a TLS server: passes", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "db.certctl.test", "sslmode=require")}, dbProbe())
		r.dbClean(t)
		if db := r.results["db"]; !db.Reachable || !*db.TLS || db.Facts["sslmode_from"] != "CERTCTL_DATABASE_URL" {
			t.Fatalf("probe result %+v", db)
		}
	})
	t.Run("sslmode=prefer: refused by the static rule, the probe agrees", func(t *testing.T) {
		for _, srv := range []string{"plain", "tls"} {
			p := plain
			if srv == "tls" {
				p = secure
			}
			r := check(t, []string{"CERTCTL_DATABASE_URL=" + p.URL(appUser, appPW, "127.0.0.1", "sslmode=prefer")}, dbProbe())
			r.refused(t, "CFG-DB-URL", "sslmode=prefer (from CERTCTL_DATABASE_URL)")
			r.dbOnly(t, "CFG-DB-URL:error")
			db := r.results["db"]
			if db.Reachable || !strings.Contains(fmt.Sprint(db.Facts["driver_error"]), `unsupported sslmode "prefer"`) {
				t.Fatalf("%s: probe result %+v", srv, db)
			}
			r.noSecrets(t, appPW)
		}
	})
	t.Run("PGSSLMODE=allow under a URL without sslmode: refused, naming PGSSLMODE", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "127.0.0.1", ""), "PGSSLMODE=allow"}, dbProbe())
		r.refused(t, "CFG-DB-URL", "sslmode=allow (from PGSSLMODE)")
	})
	t.Run("target_session_attrs: refused statically, and the server rejects it", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "127.0.0.1", "sslmode=require&target_session_attrs=read-write")}, dbProbe())
		r.refused(t, "CFG-DB-URL", "sets target_session_attrs, which lib/pq v1.10.9 does not know")
		r.refused(t, "CFG-DB-REACH", "target_session_attrs")
		if db := r.results["db"]; db.Reachable || db.Facts["sqlstate"] != "42704" {
			t.Fatalf("want the server's unrecognized configuration parameter (42704), got %+v", db)
		}
		r.noSecrets(t, appPW)
	})
	t.Run("server settings in the URL are accepted", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "127.0.0.1", "application_name=certctl&search_path=public&statement_timeout=30s")}, dbProbe())
		r.dbClean(t)
		if !r.results["db"].Reachable {
			t.Fatalf("probe result %+v", r.results["db"])
		}
	})
	t.Run("several hosts: refused", func(t *testing.T) {
		u := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d,localhost:%d/postgres?sslmode=require", appUser, appPW, secure.Port, secure.Port)
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + u}, dbProbe())
		r.refused(t, "CFG-DB-URL", "names several hosts")
		if r.results["db"].Reachable {
			t.Fatal("a multi-host URL was reachable")
		}
		r.noSecrets(t, appPW)
	})
	t.Run("PGSYSCONFDIR set: refused, named", func(t *testing.T) {
		for _, v := range []string{"/etc/postgresql-common", ""} {
			r := check(t, []string{"CERTCTL_DATABASE_URL=" + secure.URL(appUser, appPW, "127.0.0.1", "sslmode=require"), "PGSYSCONFDIR=" + v}, dbProbe())
			r.refused(t, "CFG-PGENV", "PGSYSCONFDIR is set: certctl's database driver (lib/pq v1.10.9) panics")
			r.dbOnly(t, "CFG-PGENV:error")
			db := r.results["db"]
			if db.Reachable || !strings.Contains(fmt.Sprint(db.Facts["driver_error"]), "PGSYSCONFDIR") {
				t.Fatalf("probe result %+v", db)
			}
		}
	})
	t.Run("PG* variables are connection defaults below the URL", func(t *testing.T) {
		r := check(t, []string{
			"CERTCTL_DATABASE_URL=postgres:///postgres",
			"PGHOST=127.0.0.1", "PGPORT=" + strconv.Itoa(plain.Port), "PGUSER=" + appUser, "PGPASSWORD=" + appPW, "PGSSLMODE=disable",
		}, dbProbe())
		r.dbClean(t)
		db := r.results["db"]
		if !db.Reachable || *db.TLS || db.Facts["sslmode_from"] != "PGSSLMODE" || db.Facts["port"] != plain.Port {
			t.Fatalf("probe result %+v", db)
		}
		r.noSecrets(t, appPW)
	})
	t.Run("PGSSLMODE=disable to a remote host: static warning, probe refusal saying certctl would start", func(t *testing.T) {
		r := check(t, []string{"CERTCTL_DATABASE_URL=" + plain.URL(appUser, appPW, "db.certctl.test", ""), "PGSSLMODE=disable"}, dbProbe())
		r.refused(t, "CFG-DB-TLS", "certctl itself would start")
		if !r.has("CFG-DB-TLS", lint.SeverityWarning, "sslmode=disable (from PGSSLMODE): certctl starts and only logs a warning") {
			t.Fatalf("want the static CFG-DB-TLS warning: %v", r.dbFindings())
		}
	})
	t.Run("unset URL: probed as certctl's default postgres://localhost/certctl", func(t *testing.T) {
		r := check(t, []string{"PGPORT=" + strconv.Itoa(secure.Port), "PGUSER=" + appUser, "PGPASSWORD=" + appPW}, dbProbe())
		r.dbClean(t)
		db := r.results["db"]
		if !db.Reachable || db.Facts["default_url"] != true || db.Facts["host"] != "localhost" || !*db.TLS {
			t.Fatalf("probe result %+v", db)
		}
	})
	t.Run("unset URL without a database there: refused naming the default", func(t *testing.T) {
		r := check(t, []string{"PGPORT=" + strconv.Itoa(secure.Port), "PGUSER=" + appUser, "PGPASSWORD=wrong-pw-77"}, dbProbe())
		r.refused(t, "CFG-DB-REACH", "SQLSTATE 28P01")
		r.noSecrets(t, "wrong-pw-77")
	})
}
