package server_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/server"
)

func hostEnviron(vars map[string]string, changes map[string]string) []string {
	env := maps.Clone(testutil.BootingEnv)
	maps.Copy(env, vars)
	maps.Copy(env, changes)
	var out []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// TestCheckHostFacts runs real files through server.Check (host facts on by
// default): each case must yield exactly the expected rules, wrapping
// ErrPolicyViolation, and WithoutHost must judge the values alone.
func TestCheckHostFacts(t *testing.T) {
	dir := t.TempDir()
	tls := testutil.WritePair(t, dir, "tls", testutil.PairOptions{})
	ra := testutil.WritePair(t, dir, "ra", testutil.PairOptions{})
	ca := testutil.WritePair(t, dir, "ca", testutil.PairOptions{})
	soon := testutil.WritePair(t, dir, "soon", testutil.PairOptions{NotAfter: time.Now().Add(72 * time.Hour)})
	loose := testutil.WritePair(t, dir, "loose", testutil.PairOptions{KeyMode: 0o640})
	oldCA := testutil.WritePair(t, dir, "old-ca", testutil.PairOptions{NotAfter: time.Now().Add(-time.Hour)})
	bundle := filepath.Join(dir, "bundle.pem")
	a, _ := os.ReadFile(ca.Cert)
	b, _ := os.ReadFile(oldCA.Cert)
	testutil.WriteFile(t, bundle, append(a, b...), 0o644)
	big := filepath.Join(dir, "big.pem")
	testutil.WriteFile(t, big, make([]byte, server.MaxHostFileSize+1), 0o644)
	migrations := filepath.Join(dir, "migrations")
	if err := os.Mkdir(migrations, 0o755); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{
		"CERTCTL_SERVER_TLS_CERT_PATH":                                 tls.Cert,
		"CERTCTL_SERVER_TLS_KEY_PATH":                                  tls.Key,
		"CERTCTL_SCEP_ENABLED":                                         "true",
		"CERTCTL_SCEP_CHALLENGE_PASSWORD":                              "Ch4llenge",
		"CERTCTL_SCEP_RA_CERT_PATH":                                    ra.Cert,
		"CERTCTL_SCEP_RA_KEY_PATH":                                     ra.Key,
		"CERTCTL_EST_ENABLED":                                          "true",
		"CERTCTL_EST_PROFILES":                                         "devices",
		"CERTCTL_EST_PROFILE_DEVICES_ISSUER_ID":                        "iss-local",
		"CERTCTL_EST_PROFILE_DEVICES_MTLS_ENABLED":                     "1",
		"CERTCTL_EST_PROFILE_DEVICES_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH": ca.Cert,
		"CERTCTL_DATABASE_MIGRATIONS_PATH":                             migrations,
		"CERTCTL_OTEL_ENABLED":                                         "true",
		"OTEL_RESOURCE_ATTRIBUTES":                                     "service.name=certctl, deployment.environment = prod",
	}
	for _, c := range []struct {
		name    string
		changes map[string]string
		want    []string // RULE:severity
	}{
		{"valid", nil, nil},
		{"TLS certificate expiring in 3 days", map[string]string{"CERTCTL_SERVER_TLS_CERT_PATH": soon.Cert, "CERTCTL_SERVER_TLS_KEY_PATH": soon.Key}, []string{"CFG-TLS-FILES:warning"}},
		{"TLS key is a directory", map[string]string{"CERTCTL_SERVER_TLS_KEY_PATH": dir}, []string{"CFG-TLS-FILES:error"}},
		{"RA key mode 0640 and legacy RA pair mismatch", map[string]string{"CERTCTL_SCEP_RA_KEY_PATH": loose.Key}, []string{"CFG-SCEP-RA:error", "CFG-SCEP-RA:error"}},
		{"SCEP off: RA files not read", map[string]string{"CERTCTL_SCEP_ENABLED": "false", "CERTCTL_SCEP_RA_KEY_PATH": filepath.Join(dir, "absent")}, nil},
		{"bundle with an expired certificate", map[string]string{"CERTCTL_EST_PROFILE_DEVICES_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH": bundle}, []string{"CFG-TRUST-BUNDLE:error"}},
		{"bundle larger than the bound", map[string]string{"CERTCTL_EST_PROFILE_DEVICES_MTLS_CLIENT_CA_TRUST_BUNDLE_PATH": big}, []string{"CFG-TRUST-BUNDLE:error"}},
		{"migrations path is a file", map[string]string{"CERTCTL_DATABASE_MIGRATIONS_PATH": tls.Cert}, []string{"CFG-MIGRATIONS:error"}},
		{"relative migrations path not checked", map[string]string{"CERTCTL_DATABASE_MIGRATIONS_PATH": "./migrations"}, nil},
		{"OTEL item without =", map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "service.name=certctl,prod"}, []string{"CFG-OTEL:error"}},
		{"OTEL bad escape", map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "service.name=100%"}, []string{"CFG-OTEL:warning"}},
		{"OTEL off", map[string]string{"CERTCTL_OTEL_ENABLED": "false", "OTEL_RESOURCE_ATTRIBUTES": ","}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			environ := hostEnviron(base, c.changes)
			report, err := server.Check(context.Background(), environ)
			if report == nil {
				t.Fatalf("gate unavailable: %v", err)
			}
			var got []string
			for _, f := range report.Findings {
				if f.Severity != lint.SeverityInfo {
					got = append(got, f.Rule+":"+string(f.Severity))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				for _, f := range report.Findings {
					t.Log(f.Rule, f.Severity, f.Message)
				}
				t.Fatalf("findings %v, want %v", got, c.want)
			}
			if (err != nil) != slices.ContainsFunc(c.want, func(s string) bool { return strings.HasSuffix(s, ":error") }) {
				t.Fatalf("error %v with findings %v", err, got)
			}
			if err != nil && !errors.Is(err, server.ErrPolicyViolation) {
				t.Fatalf("refusal does not wrap ErrPolicyViolation: %v", err)
			}
			if _, err := server.Check(context.Background(), environ, server.WithoutHost()); err != nil {
				t.Fatalf("WithoutHost still judges the files: %v", err)
			}
		})
	}
}

func TestParseOTELResourceAttributes(t *testing.T) {
	for _, c := range []struct {
		in                        string
		set                       bool
		missing, escape, emptyKey []int
	}{
		{"", false, nil, nil, nil},
		{"   ", false, nil, nil, nil},
		{"a=b", true, nil, nil, nil},
		{" a = b , c=d%20e ", true, nil, nil, nil},
		{"a=b,", true, []int{2}, nil, nil},
		{"a=b,,c=d", true, []int{2}, nil, nil},
		{"a", true, []int{1}, nil, nil},
		{"a=%zz,b=%4", true, nil, []int{1, 2}, nil},
		{"=v,a==b", true, nil, nil, []int{1}},
	} {
		o := server.ParseOTELResourceAttributes(c.in)
		if o.Set != c.set || !slices.Equal(o.MissingValue, nz(c.missing)) || !slices.Equal(o.BadEscape, nz(c.escape)) || !slices.Equal(o.EmptyKey, nz(c.emptyKey)) {
			t.Errorf("%q: got %+v", c.in, o)
		}
	}
}

func nz(xs []int) []int {
	if xs == nil {
		return []int{}
	}
	return xs
}
