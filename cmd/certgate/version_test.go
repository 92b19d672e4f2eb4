package main

import (
	"context"
	"encoding/json"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	opaversion "github.com/open-policy-agent/opa/v1/version"

	"github.com/certgate/certgate/lint"
)

func TestStamp(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	cases := []struct {
		name         string
		v, c         string
		bi           *debug.BuildInfo
		wantV, wantC string
	}{
		{"no build info", devVersion, "", nil, devVersion, "unknown"},
		{"go install @version", devVersion, "", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0", "unknown"},
		{"go build in a checkout", devVersion, "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261130094027-50c1a157e105"}, Settings: vcs("50c1a157e105fa6b1fd7e576a5f7e9bd06c6b6fb", "false")},
			"v0.0.0-20261130094027-50c1a157e105", "50c1a157e105fa6b1fd7e576a5f7e9bd06c6b6fb"},
		{"modified checkout", devVersion, "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("50c1a157e105fa6b1fd7e576a5f7e9bd06c6b6fb", "true")},
			devVersion, "50c1a157e105fa6b1fd7e576a5f7e9bd06c6b6fb-dirty"},
		{"ldflags win", "v2.0.0", "abc123", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs("def456", "true")}, "v2.0.0", "abc123"},
		{"ldflags version, VCS commit", "v2.0.0", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("def456", "false")}, "v2.0.0", "def456"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, cm := stamp(c.v, c.c, c.bi)
			if v != c.wantV || cm != c.wantC {
				t.Errorf("stamp = %q, %q; want %q, %q", v, cm, c.wantV, c.wantC)
			}
		})
	}
}

func TestOPAVersion(t *testing.T) {
	if got, want := opaVersion(readBuildInfo()), "v"+opaversion.Version; got != want {
		t.Errorf("OPA version from build info = %q, OPA's version package says %q", got, want)
	}
	bi := &debug.BuildInfo{Deps: []*debug.Module{{Path: opaModule, Version: "v1.0.0", Replace: &debug.Module{Path: "../opa", Version: "v1.0.1"}}}}
	if got := opaVersion(bi); got != "v1.0.1" {
		t.Errorf("replaced OPA: %q, want v1.0.1", got)
	}
	if got := opaVersion(nil); got != "v"+opaversion.Version {
		t.Errorf("no build info: %q", got)
	}
}

func TestVersionCommand(t *testing.T) {
	engine, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := versionInfo{Version: version, Commit: commit, Go: runtime.Version(), OPA: "v" + opaversion.Version, CatalogDigest: engine.Digest()}
	if want.Version == "" || want.Commit == "" || !strings.HasPrefix(want.CatalogDigest, "sha256:") {
		t.Fatalf("incomplete version info %+v", want)
	}

	r := runCLI(t, nil, "", "version", "--format", "json")
	if r.code != 0 || r.err != "" {
		t.Fatalf("version --format json: code=%d stderr=%q", r.code, r.err)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("version --format json: %v\n%s", err, r.out)
	}
	wantJSON := map[string]string{"version": want.Version, "commit": want.Commit, "go": want.Go, "opa": want.OPA, "catalog_digest": want.CatalogDigest}
	if len(got) != len(wantJSON) {
		t.Errorf("version --format json has keys %v, want exactly %v", got, wantJSON)
	}
	for k, v := range wantJSON {
		if got[k] != v {
			t.Errorf("version --format json: %s = %q, want %q", k, got[k], v)
		}
	}

	r = runCLI(t, nil, "", "version")
	if r.code != 0 {
		t.Fatalf("version: code=%d stderr=%q", r.code, r.err)
	}
	lines := strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
	wantLines := [][2]string{{"certgate", want.Version}, {"commit", want.Commit}, {"go", want.Go}, {"opa", want.OPA}, {"catalog_digest", want.CatalogDigest}}
	if len(lines) != len(wantLines) {
		t.Fatalf("version prints %d lines, want %d:\n%s", len(lines), len(wantLines), r.out)
	}
	for i, l := range lines {
		if f := strings.Fields(l); len(f) != 2 || f[0] != wantLines[i][0] || f[1] != wantLines[i][1] {
			t.Errorf("version line %d = %q, want %q %q", i+1, l, wantLines[i][0], wantLines[i][1])
		}
	}

	r = runCLI(t, nil, "", "version", "--format", "yaml")
	if r.code != lint.ExitError || !strings.Contains(r.err, `--format "yaml"`) || strings.Count(r.err, "\n") != 1 {
		t.Errorf("version --format yaml: code=%d stderr=%q, want exit 2 and one line", r.code, r.err)
	}
	r = runCLI(t, nil, "", "version", "extra")
	if r.code != lint.ExitError {
		t.Errorf("version extra: code=%d, want 2", r.code)
	}
}
