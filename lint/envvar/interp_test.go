package envvar_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

func TestInterpolate(t *testing.T) {
	files := map[string]envvar.Value{
		"SET":       {S: "v", Known: true},
		"EMPTY":     {S: "", Known: true},
		"RUNTIME":   {},
		"MAYBE":     {MaybeEmpty: true},
		"DEFAULTED": {S: "d", Known: true, Defaults: []string{"OUTER"}},
	}
	lookup := func(name string) (envvar.Value, bool) { v, ok := files[name]; return v, ok }
	cases := []struct {
		text string
		want envvar.Value
	}{
		{"plain", envvar.Value{S: "plain", Known: true}},
		{"$$literal", envvar.Value{S: "$literal", Known: true}},
		{"${SET}-$SET", envvar.Value{S: "v-v", Known: true}},
		{"${X:-true}", envvar.Value{S: "true", Known: true, Defaults: []string{"X"}}},
		{"${X-true}", envvar.Value{S: "true", Known: true, Defaults: []string{"X"}}},
		{"${SET:-true}", envvar.Value{S: "v", Known: true}},
		{"${EMPTY:-true}", envvar.Value{S: "true", Known: true, Defaults: []string{"EMPTY"}}},
		{"${EMPTY-true}", envvar.Value{S: "", Known: true}},
		{"${X:-}", envvar.Value{MaybeEmpty: true}},
		{"${X-}", envvar.Value{MaybeEmpty: true}},
		{"${X:-}${Y-}", envvar.Value{MaybeEmpty: true}},
		{"pre-${X:-}", envvar.Value{}},
		{"${X}", envvar.Value{}},
		{"$X", envvar.Value{}},
		{"${X:?set X}", envvar.Value{}},
		{"${X?set X}", envvar.Value{}},
		{"${RUNTIME:-a}", envvar.Value{}},
		{"${MAYBE}", envvar.Value{MaybeEmpty: true}},
		{"${X:-${Y:-v}}", envvar.Value{S: "v", Known: true, Defaults: []string{"Y", "X"}}},
		{"${X:-${SET}}", envvar.Value{S: "v", Known: true, Defaults: []string{"X"}}},
		{"${X:-${Y}}", envvar.Value{}},
		{"pre-${X:-a}-post", envvar.Value{S: "pre-a-post", Known: true, Defaults: []string{"X"}}},
		{"${X:-a}-${Y:-b}", envvar.Value{S: "a-b", Known: true, Defaults: []string{"X", "Y"}}},
		{"${X:-a}-${Y}", envvar.Value{}},
		{"${DEFAULTED}", envvar.Value{S: "d", Known: true, Defaults: []string{"OUTER"}}},
		{"${SET:+alt}", envvar.Value{S: "alt", Known: true}},
		{"${EMPTY:+alt}", envvar.Value{S: "", Known: true}},
		{"${X:+alt}", envvar.Value{MaybeEmpty: true}},
		{"${X:+}", envvar.Value{S: "", Known: true}},
		{"${SET:?msg}", envvar.Value{S: "v", Known: true}},
		{"a ${X:?run with $$(date +%s)} b", envvar.Value{}},
	}
	for _, c := range cases {
		got, err := envvar.Interpolate(c.text, lookup)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if got.S != c.want.S || got.Known != c.want.Known || got.MaybeEmpty != c.want.MaybeEmpty || !slices.Equal(got.Defaults, c.want.Defaults) {
			t.Errorf("%q = %+v, want %+v", c.text, got, c.want)
		}
	}
	for _, bad := range []string{"${EMPTY:?empty}", "${}", "${X:a}"} {
		if _, err := envvar.Interpolate(bad, lookup); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestSubstituteMarksUnknownParts(t *testing.T) {
	s, err := envvar.Substitute("img:${TAG}-${X:-}", func(string) (envvar.Value, bool) { return envvar.Value{}, false })
	if err != nil || !envvar.HasMarker(s) || envvar.Unmark(s) != "img:${TAG}-${X}" || envvar.ReplaceMarkers(s, "1") != "img:1-1" {
		t.Fatalf("%q, %v", s, err)
	}
}

func TestNote(t *testing.T) {
	if n := (envvar.Value{Defaults: []string{"X"}}).Note(); n != "default of ${X}; export X to override" {
		t.Errorf("one: %q", n)
	}
	if n := (envvar.Value{Defaults: []string{"X", "Y"}}).Note(); n != "defaults of ${X}, ${Y}; export X or Y to override" {
		t.Errorf("two: %q", n)
	}
	if n := (envvar.Value{}).Note(); n != "" {
		t.Errorf("none: %q", n)
	}
}

func TestDotenvInterpolation(t *testing.T) {
	src := strings.Join([]string{
		`CERTCTL_REQUIRED=${FROM_SHELL:?set FROM_SHELL}`,
		`CERTCTL_DEFAULT=${ACME_INSECURE:-true}`,
		`CERTCTL_MAYBE=${TOKEN:-}`,
		`CERTCTL_SELF=${CERTCTL_SELF:-x}`,
		`CERTCTL_CHAIN=${CERTCTL_DEFAULT}`,
		`CERTCTL_SINGLE='${NOT:-expanded}'`,
		`CERTCTL_DOUBLE="a ${Q:-b}"`,
		`CERTCTL_ESCAPED="\$literal"`,
		`CERTCTL_PLAIN=p # comment`,
		`CERTCTL_DOLLARS=a$$b`,
	}, "\n") + "\n"
	d, err := envvar.ParseDotenv([]byte(src), "x.env")
	if err != nil {
		t.Fatal(err)
	}
	e := envvar.Env("x", lint.RoleServer, d)
	for name, want := range map[string]lint.Var{
		"CERTCTL_REQUIRED": {},
		"CERTCTL_DEFAULT":  {Value: "true", Known: true, Note: "default of ${ACME_INSECURE}; export ACME_INSECURE to override"},
		"CERTCTL_MAYBE":    {MaybeEmpty: true},
		"CERTCTL_SELF":     {Value: "x", Known: true, Note: "default of ${CERTCTL_SELF}; export CERTCTL_SELF to override"},
		"CERTCTL_CHAIN":    {Value: "true", Known: true, Note: "default of ${ACME_INSECURE}; export ACME_INSECURE to override"},
		"CERTCTL_SINGLE":   {Value: "${NOT:-expanded}", Known: true},
		"CERTCTL_DOUBLE":   {Value: "a b", Known: true, Note: "default of ${Q}; export Q to override"},
		"CERTCTL_ESCAPED":  {Value: "$literal", Known: true},
		"CERTCTL_PLAIN":    {Value: "p", Known: true},
		"CERTCTL_DOLLARS":  {Value: "a$b", Known: true},
	} {
		got := e.Vars[name]
		if got.Value != want.Value || got.Known != want.Known || got.MaybeEmpty != want.MaybeEmpty || got.Note != want.Note {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
}

func TestDotenvRequiredFormsLoad(t *testing.T) {
	for _, src := range []string{"CERTCTL_X=${X:?set X}\n", "CERTCTL_X=${X?set X}\n", "CERTCTL_X=\"${X:?set X}\"\n"} {
		d, err := envvar.LoadDotenv(fstest.MapFS{".env": {Data: []byte(src)}}, ".env", "")
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if v := d.Var("CERTCTL_X"); v.Known || v.MaybeEmpty {
			t.Errorf("%q: %+v, want unknown and not empty", src, v)
		}
	}
	// A required variable the file itself sets empty fails as compose fails.
	if _, err := envvar.ParseDotenv([]byte("A=\nCERTCTL_X=${A:?set A}\n"), "e.env"); err == nil || !strings.Contains(err.Error(), "e.env") {
		t.Errorf("required but empty: err = %v", err)
	}
}

// TestDotenvOuterValues: an env_file is interpolated with the project's
// environment; the file's own values come first.
func TestDotenvOuterValues(t *testing.T) {
	outer := func(name string) (envvar.Value, bool) {
		if name == "FROM_PROJECT" || name == "CERTCTL_BARE" {
			return envvar.Value{S: "p", Known: true}, true
		}
		return envvar.Value{}, false
	}
	d, err := envvar.ParseDotenvWith([]byte("CERTCTL_A=${FROM_PROJECT:-d}\nCERTCTL_B=${OTHER:-d}\nCERTCTL_BARE\nCERTCTL_C=$CERTCTL_A\n"), "s.env", outer)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]lint.Var{
		"CERTCTL_A":    {Value: "p", Known: true},
		"CERTCTL_B":    {Value: "d", Known: true, Note: "default of ${OTHER}; export OTHER to override"},
		"CERTCTL_BARE": {Value: "p", Known: true},
		"CERTCTL_C":    {Value: "p", Known: true},
	} {
		if got := d.Var(name); got.Value != want.Value || got.Known != want.Known || got.Note != want.Note {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
}
