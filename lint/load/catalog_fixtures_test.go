package load_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/envvar"
)

// notInFixtures are the rules no fixture can make fire, with the reason: they
// judge only what the startup gate sees at run time (live probes, host facts),
// which no file certgate lint reads can express. Their Rego tests and the
// server package's probe and host tests exercise them.
var notInFixtures = map[string]string{
	"CFG-DB-REACH":     "judges only input.probes.db, a live database probe (--probe db)",
	"CFG-DB-ROLE":      "judges only input.probes.db, a live database probe (--probe db)",
	"CFG-MIGRATIONS":   "judges only host facts (the migrations directory on the gate's host)",
	"CFG-OTEL":         "judges only host facts (OTEL_RESOURCE_ATTRIBUTES as the SDK parses it on the host)",
	"CFG-SCEP-RA":      "judges only host facts (the RA certificate and key files)",
	"CFG-TLS-FILES":    "judges only host facts (the server's certificate and key files)",
	"CFG-TRUST-BUNDLE": "judges only host facts (the CA bundle files)",
}

// TestEveryRuleHasFixtures: every rule of the catalog fires in at least one
// fixture, and at least one fixture (or parity case of testdata/parity) holds
// the input it judges without it firing, so a rule that fires on everything
// fails here as a rule that never fires does. Rules that judge only probes or
// host facts are listed in notInFixtures.
func TestEveryRuleHasFixtures(t *testing.T) {
	ctx := context.Background()
	eng, err := lint.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	results := allFixtures(t)
	var parity []map[string]bool // the rules each parity case's environment fires
	parityOnce := func() {
		if parity != nil {
			return
		}
		parity = []map[string]bool{}
		for _, c := range testutil.ParityCases(t) {
			e := envvar.FromEnviron(c.Environ())
			if c.Role == lint.RoleAgent {
				e.Role = lint.RoleAgent
			}
			in := &lint.Input{Meta: lint.Meta{NowUnix: c.Now(), CertctlVersion: c.ReleaseList()[0]}, Envs: []lint.Env{e}}
			r, err := eng.Eval(ctx, in)
			if err != nil {
				t.Fatalf("parity %s %q: %v", c.File, c.Name, err)
			}
			fired := map[string]bool{}
			for _, f := range r.Findings {
				fired[f.Rule] = true
			}
			parity = append(parity, fired)
		}
	}
	policies := eng.Policies()
	ids := map[string]bool{}
	for _, p := range policies {
		if !p.Builtin {
			continue
		}
		ids[p.ID] = true
		inputs := p.Inputs
		if len(inputs) == 0 {
			inputs = []string{"env"}
		}
		if why, ok := notInFixtures[p.ID]; ok {
			for _, k := range inputs {
				if k != "probe" && k != "host" {
					t.Errorf("%s is listed as not expressible in fixtures (%s), but it judges %s", p.ID, why, k)
				}
			}
			continue
		}
		fires, quiet := []string{}, []string{}
		for _, res := range results {
			if res.err != nil {
				continue
			}
			if res.fired[p.ID] {
				fires = append(fires, res.fx.name)
			} else if slices.ContainsFunc(inputs, func(k string) bool { return res.judged[k] }) {
				quiet = append(quiet, res.fx.name)
			}
		}
		if len(fires) == 0 {
			t.Errorf("%s fires in no fixture (testdata/manifest, testdata/fixtures): write one where it fires", p.ID)
		}
		if len(quiet) == 0 && slices.Contains(inputs, "env") {
			parityOnce()
			for _, fired := range parity {
				if !fired[p.ID] {
					quiet = append(quiet, "parity")
					break
				}
			}
		}
		if len(quiet) == 0 {
			t.Errorf("%s: no fixture holds what it judges (%s) without it firing: write one where it stays quiet", p.ID, strings.Join(inputs, ", "))
		}
	}
	for id := range notInFixtures {
		if !ids[id] {
			t.Errorf("notInFixtures lists %s, which is not a rule of the catalog", id)
		}
	}
}
