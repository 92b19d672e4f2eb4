package testutil

import (
	"testing"

	"github.com/certgate/certgate/lint/config"
)

// ChartProfile is one value profile certgate.yaml declares for a chart.
type ChartProfile struct {
	Name        string
	Values, Set []string
}

// CertctlProfiles are the value profiles the repository's certgate.yaml
// declares for charts/certctl, named "profile NAME"; the test fails when
// there are fewer than two (default and ha).
func CertctlProfiles(t testing.TB) []ChartProfile {
	t.Helper()
	cfg, err := config.Load(RepoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []ChartProfile
	for _, ch := range cfg.Charts {
		if ch.Path != "charts/certctl" {
			continue
		}
		for _, name := range ch.ProfileNames() {
			p := ch.Profiles[name]
			out = append(out, ChartProfile{Name: "profile " + name, Values: p.Values, Set: p.Set})
		}
	}
	if len(out) < 2 {
		t.Fatalf("certgate.yaml declares %d profiles of charts/certctl, want at least default and ha", len(out))
	}
	return out
}
