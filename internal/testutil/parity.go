package testutil

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
)

// ParityCase is one environment of the parity tables in testdata/parity: what
// certctl does with it (boots, or refuses naming a rule) at the releases of
// Releases. The drivers (server.Check and certgate env) run every case at every
// known release inside the range and compare the errors and warnings exactly.
type ParityCase struct {
	Name string `yaml:"name"`
	// Releases is a range such as ">=2.1.4" (lint.ReleaseInRange); "" is all.
	Releases string `yaml:"releases"`
	// Set overrides or adds variables on top of BootingEnv (unless Bare).
	Set map[string]string `yaml:"set"`
	// Unset removes variables of BootingEnv.
	Unset []string `yaml:"unset"`
	// Bare starts from an empty environment instead of BootingEnv.
	Bare bool `yaml:"bare"`
	// Role is "server" (default) or "agent": how the environment is judged.
	Role string `yaml:"role"`
	// Want lists "RULE:severity" (severity error, warning or info). Errors and
	// warnings must match exactly; listed infos must be present.
	Want []string `yaml:"want"`
	// Contains are texts the findings' messages must contain (all of them).
	Contains []string `yaml:"contains"`
	// NowUnix is the clock (default ParityNow).
	NowUnix int64 `yaml:"now"`

	File string `yaml:"-"`
}

// ParityNow is the clock of parity cases that set none.
const ParityNow = 1800000000

// BootingEnv is an environment every known certctl release starts with (values
// only; the files it names are the host's concern).
var BootingEnv = map[string]string{
	"CERTCTL_SERVER_HOST":           "0.0.0.0",
	"CERTCTL_SERVER_PORT":           "8443",
	"CERTCTL_SERVER_TLS_CERT_PATH":  "/etc/certctl/tls/server.crt",
	"CERTCTL_SERVER_TLS_KEY_PATH":   "/etc/certctl/tls/server.key",
	"CERTCTL_AUTH_TYPE":             "api-key",
	"CERTCTL_AUTH_SECRET":           "Zq8adminSecretValue4711xx",
	"CERTCTL_AGENT_BOOTSTRAP_TOKEN": "Tk9bootstrapTokenValue0815",
	"CERTCTL_DATABASE_URL":          "postgres://certctl:Pw7dbPasswordValue@db.internal:5432/certctl?sslmode=verify-full",
}

// BootingAgentEnv is an agent environment the certctl agent starts with.
var BootingAgentEnv = map[string]string{
	"CERTCTL_SERVER_URL":            "https://certctl.internal:8443",
	"CERTCTL_API_KEY":               "Ag3agentApiKeyValue2024",
	"CERTCTL_AGENT_ID":              "agent-1",
	"CERTCTL_SERVER_CA_BUNDLE_PATH": "/etc/certctl/tls/ca.crt",
}

// Env is the case's environment as NAME -> value.
func (c ParityCase) Env() map[string]string {
	env := map[string]string{}
	if !c.Bare {
		base := BootingEnv
		if c.Role == lint.RoleAgent {
			base = BootingAgentEnv
		}
		for k, v := range base {
			env[k] = v
		}
	}
	for _, k := range c.Unset {
		delete(env, k)
	}
	for k, v := range c.Set {
		env[k] = v
	}
	return env
}

// Environ is Env in os.Environ form, sorted.
func (c ParityCase) Environ() []string {
	var out []string
	for k, v := range c.Env() {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// Now is the case's clock in unix seconds.
func (c ParityCase) Now() int64 {
	if c.NowUnix != 0 {
		return c.NowUnix
	}
	return ParityNow
}

// ReleaseList is the known releases the case runs at.
func (c ParityCase) ReleaseList() []string { return lint.ReleasesIn(c.Releases) }

var secretName = regexp.MustCompile(`(TOKEN|SECRET|PASSWORD|_API_KEY$|API_KEYS|ENCRYPTION_KEY|DATABASE_URL)`)

// Secrets are the values of the case's environment that no output may show:
// those of secret-bearing variables (tokens, secrets, passwords, keys, database
// URLs) at least six characters long, and the password of a database URL.
func (c ParityCase) Secrets() []string {
	var out []string
	for k, v := range c.Env() {
		if !secretName.MatchString(k) || strings.HasSuffix(k, "_PATH") || len(v) < 6 {
			continue
		}
		out = append(out, v)
		if strings.Contains(v, "://") {
			if _, rest, ok := strings.Cut(v, "://"); ok {
				if userinfo, _, ok := strings.Cut(rest, "@"); ok {
					if _, pw, ok := strings.Cut(userinfo, ":"); ok && len(pw) >= 6 {
						out = append(out, pw)
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// ParityCases reads every testdata/parity/*.yaml of the repository.
func ParityCases(t testing.TB) []ParityCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(RepoRoot(t), "testdata", "parity", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no parity tables in testdata/parity: %v", err)
	}
	var out []ParityCase
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var cases []ParityCase
		dec := yaml.NewDecoder(strings.NewReader(string(src)))
		dec.KnownFields(true)
		if err := dec.Decode(&cases); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for i := range cases {
			cases[i].File = filepath.Base(p)
			if cases[i].Name == "" {
				t.Fatalf("%s: case %d has no name", p, i)
			}
			if len(cases[i].ReleaseList()) == 0 {
				t.Fatalf("%s: %q: releases %q names no known release", p, cases[i].Name, cases[i].Releases)
			}
		}
		out = append(out, cases...)
	}
	return out
}

// CheckParity compares a report with the case's expectations and returns what
// differs, one message per problem (empty when the report agrees).
func (c ParityCase) CheckParity(r *lint.Report) []string {
	var problems []string
	got := map[string]bool{}
	var msgs []string
	for _, f := range r.Findings {
		got[f.Rule+":"+string(f.Severity)] = true
		msgs = append(msgs, f.Message)
	}
	want := map[string]bool{}
	for _, w := range c.Want {
		want[w] = true
		if !got[w] {
			problems = append(problems, "missing "+w)
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range got {
			if !yield(k) {
				return
			}
		}
	}) {
		if !want[k] && !strings.HasSuffix(k, ":info") {
			problems = append(problems, "unexpected "+k)
		}
	}
	all := strings.Join(msgs, "\n")
	for _, s := range c.Contains {
		if !strings.Contains(all, s) {
			problems = append(problems, "no message contains "+strconvQuote(s))
		}
	}
	if len(problems) > 0 {
		problems = append(problems, "messages:\n"+all)
	}
	return problems
}

func strconvQuote(s string) string { return `"` + s + `"` }
