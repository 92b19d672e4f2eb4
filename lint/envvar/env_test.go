package envvar_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

func TestFromEnvironKeepsOnlyCertctlVariables(t *testing.T) {
	e := envvar.FromEnviron([]string{"PATH=/bin", "AWS_SECRET_ACCESS_KEY=x", "CERTCTL_A=1", "CERTCTL_A=2", "POSTGRES_PASSWORD=p", "CERTCTL_EMPTY=", "NOEQUALS"})
	if len(e.Vars) != 3 || e.Vars["CERTCTL_A"].Value != "2" || !e.Vars["CERTCTL_EMPTY"].Known || e.Role != lint.RoleServer {
		t.Fatalf("%+v", e.Vars)
	}
}

func TestDotenvValuesLinesAndUnknowns(t *testing.T) {
	src := "# comment\nCERTCTL_A=1\n  export CERTCTL_B=\"two words\"\nCERTCTL_C=${FROM_CALLER}\nCERTCTL_D=${CERTCTL_A}-x\nCERTCTL_INHERITED\nCERTCTL_A=3\n"
	d, err := envvar.LoadDotenv(fstest.MapFS{"x.env": {Data: []byte(src)}}, "x.env", "deploy/x.env")
	if err != nil {
		t.Fatal(err)
	}
	e := envvar.Env("files", lint.RoleServer, d)
	check := func(name, value string, known bool, line, col int) {
		t.Helper()
		v, ok := e.Vars[name]
		if !ok {
			t.Fatalf("%s missing", name)
		}
		l, c := d.File.Locator.Locate(0, v.Ref.Path)
		if v.Value != value || v.Known != known || l != line || c != col || v.Ref.File != "deploy/x.env" {
			t.Errorf("%s: got %q known=%v at %d:%d, want %q known=%v at %d:%d", name, v.Value, v.Known, l, c, value, known, line, col)
		}
	}
	check("CERTCTL_A", "3", true, 7, 1)
	check("CERTCTL_B", "two words", true, 3, 10)
	check("CERTCTL_C", "", false, 4, 1)
	check("CERTCTL_D", "1-x", true, 5, 1)
	check("CERTCTL_INHERITED", "", false, 6, 1)
}

func TestLaterFilesWin(t *testing.T) {
	fsys := fstest.MapFS{"a.env": {Data: []byte("X_A=1\nCERTCTL_X=a\n")}, "b.env": {Data: []byte("CERTCTL_X=b\n")}}
	a, _ := envvar.LoadDotenv(fsys, "a.env", "")
	b, _ := envvar.LoadDotenv(fsys, "b.env", "")
	e := envvar.Env("files", lint.RoleServer, a, b)
	if e.Vars["CERTCTL_X"].Value != "b" || e.Vars["CERTCTL_X"].Ref.File != "b.env" {
		t.Fatalf("%+v", e.Vars["CERTCTL_X"])
	}
}

func TestDotenvErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"bad.env":    {Data: []byte("OK=1\nBAD KEY=2\n")},
		"latin1.env": {Data: []byte("A=caf\xe9\n")},
	}
	for name, want := range map[string]string{"bad.env": "line 2", "latin1.env": "not valid UTF-8", "missing.env": "file does not exist"} {
		_, err := envvar.LoadDotenv(fsys, name, "")
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", name, err, want)
		}
	}
}

func FuzzParseDotenv(f *testing.F) {
	for _, s := range []string{"A=1\n", "export B='x'\n", "C=\"multi\nline\"\n", "D=${E:-f}\n", "# c\n\nG", "H=a # comment\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := envvar.ParseDotenv(src, "fuzz.env")
		if err != nil {
			return
		}
		for k, v := range d.Values {
			if strings.Contains(v, "\x00certgate") {
				t.Fatalf("%s leaked the unknown marker", k)
			}
			if d.Unknown[k] && v != "" {
				t.Fatalf("%s is unknown but has a value", k)
			}
		}
	})
}
