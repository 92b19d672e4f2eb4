package server

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/certgate/certgate/policies"
)

// pqGoParse is the Go resolution's reading of a connection string: settings,
// or an error.
func pqGoParse(s string) (map[string]string, error) {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		kv, err := pqParseURL(s)
		if err != nil {
			return nil, err
		}
		s = kv
	}
	o := map[string]string{}
	return o, pqParseOpts(s, o)
}

// pqParseCorpus are connection strings whose reading the Rego library
// (lib.pq_parse, what the static rules judge) and the probe (what it connects
// with) must agree on.
var pqParseCorpus = []string{
	"postgres://localhost/certctl",
	"postgres://certctl:pw@db.example.com:5432/certctl?sslmode=verify-full",
	"postgresql://u:p%40ss%2Fw@db/c?sslmode=prefer&target_session_attrs=any",
	"postgres://u:p+q@h/d%20b?application_name=a+b&x=%41",
	"postgres://h/d?sslmode=&sslmode=disable",
	"postgres://h/d?sslmode=require&sslmode=disable",
	"postgres://h/d?a;b=1&sslmode=%zz&x=1",
	"postgres://h/d?host=/tmp",
	"postgres:///d?host=/tmp&port=5433",
	"postgres://u@h1:5432,h2:5433/d",
	"postgres://u@h1,h2/d",
	"postgres://[::1]:5432/d",
	"postgres://[::1]/d",
	"postgres://[fe80::1%25eth0]:5432/d",
	"postgres://u:p@h:abc/d",
	"postgres://u:pa/ss@h/d",
	"postgres://u:12/34@h/d",
	"postgres://u:p w@h/d",
	"postgres://u:p%zz@h/d",
	"postgres://u:p@ss@h/d",
	"postgres://u:p\"q@h/d",
	"postgres://h/d%zz",
	"postgres://h/d#frag",
	"postgres://h/d#%",
	"postgres://h/d\n",
	"postgres://h x/d",
	"postgres://h%41/d",
	"postgres://h%C3%A9/d",
	"postgres://[1.2.3.4]/d",
	"postgres://h:/d",
	"postgres://",
	"postgres://?",
	"postgres://h/d?=x&k=",
	"postgres://h/d?q='\\",
	"host=a  port = 5 x='a b\\'c' y=\\ z",
	"host=a host=b",
	"a= b=c",
	"a='x'b=c sslmode=",
	"",
	"   ",
	"a b=c",
	"password='x",
	"a=x\\",
	"=x",
	"a=\u00a0b",
	"a=b\u2003c=d",
	"POSTGRES://h/d",
	"host=/var/run/postgresql dbname=certctl sslmode=require",
}

func TestPQParseRegoMatchesGo(t *testing.T) {
	modules := map[string]string{}
	err := fs.WalkDir(policies.FS, "lib", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		b, err := fs.ReadFile(policies.FS, path)
		modules[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := []func(*rego.Rego){rego.Query("x := data.certgate.lib.pq_parse(input.s)"), rego.StrictBuiltinErrors(true)}
	for path, src := range modules {
		opts = append(opts, rego.Module(path, src))
	}
	ctx := context.Background()
	pq, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range pqParseCorpus {
		v, err := ast.InterfaceToValue(map[string]any{"s": s})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := pq.Eval(ctx, rego.EvalParsedInput(v))
		if err != nil {
			t.Errorf("%q: rego: %v", s, err)
			continue
		}
		if len(rs) != 1 {
			t.Errorf("%q: rego: no result (undefined)", s)
			continue
		}
		got := rs[0].Bindings["x"].(map[string]any)
		want, werr := pqGoParse(s)
		_, rerr := got["error"]
		switch {
		case werr != nil && !rerr:
			t.Errorf("%q: Go refuses (%v), Rego reads %v", s, werr, got["opts"])
		case werr == nil && rerr:
			t.Errorf("%q: Go reads %v, Rego refuses (%v)", s, want, got["error"])
		case werr == nil:
			ro := map[string]string{}
			for k, x := range got["opts"].(map[string]any) {
				ro[k] = x.(string)
			}
			if !maps.Equal(ro, want) {
				t.Errorf("%q:\n Go   %q\n Rego %q", s, want, ro)
			}
		}
	}
}

func TestResolvePQ(t *testing.T) {
	osUser := func() (string, error) { return "certctl-os", nil }
	t.Run("defaults, PG* variables, then the URL", func(t *testing.T) {
		c, err := resolvePQ("postgres://u@/certctl?fallback_application_name=fb", map[string]string{"PGHOST": "db", "PGSSLMODE": "verify-full", "PGPORT": "6432", "PGDATA": "/x"}, osUser)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"host": "db", "port": "6432", "user": "u", "dbname": "certctl", "sslmode": "verify-full",
			"extra_float_digits": "2", "client_encoding": "UTF8", "datestyle": "ISO, MDY",
			"fallback_application_name": "fb", "application_name": "fb",
		}
		if !maps.Equal(c.opts, want) {
			t.Fatalf("opts %q, want %q", c.opts, want)
		}
		if c.source["sslmode"] != "PGSSLMODE" || c.source["user"] != DatabaseURLVar {
			t.Fatalf("sources %q", c.source)
		}
	})
	t.Run("operating system user and unix sockets", func(t *testing.T) {
		c, err := resolvePQ("host=/run/postgresql sslmode=require", nil, osUser)
		if err != nil {
			t.Fatal(err)
		}
		if c.opts["user"] != "certctl-os" || c.opts["sslmode"] != "disable" {
			t.Fatalf("opts %q", c.opts)
		}
	})
	for _, tc := range []struct {
		dsn  string
		vars map[string]string
		want string
	}{
		{"postgres://h/d", map[string]string{"PGSYSCONFDIR": ""}, "PGSYSCONFDIR set: lib/pq panics"},
		{"postgres://h/d", map[string]string{"PGHOSTADDR": "1.2.3.4", "PGSERVICE": "x"}, "PGHOSTADDR, PGSERVICE set"},
		{"postgres://h/d?sslmode=prefer", nil, `unsupported sslmode "prefer" (from CERTCTL_DATABASE_URL)`},
		{"postgres://h/d", map[string]string{"PGSSLMODE": "allow"}, `unsupported sslmode "allow" (from PGSSLMODE)`},
		{"postgres://h1,h2/d", nil, "is a host list"},
		{"postgres://h/d?client_encoding=latin1", nil, "client_encoding"},
		{"postgres://h/d?datestyle=German", nil, "datestyle"},
		{"postgres://h/d?connect_timeout=5s", nil, "connect_timeout"},
		{"postgres://h/d?binary_parameters=true", nil, "binary_parameters"},
		{"host=h port=pg", nil, `port "pg"`},
		{"postgres://u:se/cret@h/d", nil, "invalid port"},
	} {
		_, err := resolvePQ(tc.dsn, tc.vars, osUser)
		var pe *pqError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %v: err = %v, want a lib/pq refusal containing %q", tc.dsn, tc.vars, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "cret") {
			t.Errorf("%q: the error shows part of the password: %v", tc.dsn, err)
		}
	}
}
