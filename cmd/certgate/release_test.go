package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestTargetRelease: the release is --certctl-version, then certgate.yaml's
// certctl_version, then the default; the report says which and why, and
// nothing in the judged environment can choose it.
func TestTargetRelease(t *testing.T) {
	dir := t.TempDir()
	envFile := writeFile(t, dir, "server.env", "CERTCTL_AGENT_BOOTSTRAP_TOKEN=Tk9bootstrapTokenValue0815\nCERTCTL_VERSION=2.1.0\n")
	target := func(t *testing.T, args ...string) *lint.Target {
		t.Helper()
		r := runCLI(t, []string{"CERTCTL_VERSION=2.1.0"}, "", append([]string{"env", "--env-file", envFile, "--format", "json"}, args...)...)
		var rep lint.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil || rep.Target == nil {
			t.Fatalf("code=%d %v\n%s%s", r.code, err, r.out, r.err)
		}
		return rep.Target
	}
	t.Chdir(dir)
	if got := target(t); got.CertctlVersion != lint.DefaultCertctlVersion || got.Source != lint.ReleaseFromDefault {
		t.Errorf("no flag, no certgate.yaml: %+v", got)
	}
	writeFile(t, dir, "certgate.yaml", "certctl_version: v2.1.4\n")
	if got := target(t); got.CertctlVersion != "2.1.4" || got.Source != lint.ReleaseFromConfig {
		t.Errorf("certgate.yaml in the working directory: %+v", got)
	}
	if got := target(t, "--certctl-version", "2.1.6"); got.CertctlVersion != "2.1.6" || got.Source != lint.ReleaseFromFlag {
		t.Errorf("the flag wins over certgate.yaml: %+v", got)
	}
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte("certctl_version: 2.1.1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := target(t, "--config", other); got.CertctlVersion != "2.1.1" || got.Source != lint.ReleaseFromConfig {
		t.Errorf("--config: %+v", got)
	}
	r := runCLI(t, nil, "", "env", "--env-file", envFile, "--config", filepath.Join(dir, "missing.yaml"))
	if r.code != lint.ExitError || !strings.Contains(r.err, "missing.yaml") {
		t.Errorf("a missing --config must be exit 2 naming it: %d %q", r.code, r.err)
	}
}

func TestUnknownReleaseIsExit2(t *testing.T) {
	dir := t.TempDir()
	envFile := writeFile(t, dir, "server.env", "CERTCTL_AGENT_BOOTSTRAP_TOKEN=x\n")
	for _, args := range [][]string{
		{"env", "--env-file", envFile, "--certctl-version", "2.3.0"},
		{"env", "--env-file", envFile, "--certctl-version", "latest"},
		{"lint", envFile, "--certctl-version", "2.1.9"},
	} {
		r := runCLI(t, nil, "", args...)
		if r.code != lint.ExitError || !strings.Contains(r.err, "known releases: 2.1.0, 2.1.1") {
			t.Errorf("%v: code=%d err=%q", args, r.code, r.err)
		}
	}
	writeFile(t, dir, "certgate.yaml", "certctl_version: 9.9.9\n")
	t.Chdir(dir)
	r := runCLI(t, nil, "", "env", "--env-file", envFile)
	if r.code != lint.ExitError || !strings.Contains(r.err, "certgate.yaml") || !strings.Contains(r.err, "known releases") {
		t.Errorf("unknown release in certgate.yaml: code=%d err=%q", r.code, r.err)
	}
}

// TestImageTagRelease: without a flag or certgate.yaml, each compose server is
// judged at the release of its own image tag.
func TestImageTagRelease(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "docker-compose.yml", `services:
  old:
    image: ghcr.io/certctl-io/certctl-server:v2.1.0
    environment:
      CERTCTL_SERVER_TLS_CERT_PATH: /tls/c
  new:
    image: ghcr.io/certctl-io/certctl-server:2.1.4
    environment:
      CERTCTL_SERVER_TLS_CERT_PATH: /tls/c
`)
	t.Chdir(dir)
	r := runCLI(t, nil, "", "lint", ".", "--format", "json")
	var rep lint.Report
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("code=%d %v\n%s%s", r.code, err, r.out, r.err)
	}
	envs := strings.Join(rep.Checked.Environments, "\n")
	for _, want := range []string{"certctl 2.1.0 from its image tag ghcr.io/certctl-io/certctl-server:v2.1.0", "certctl 2.1.4 from its image tag ghcr.io/certctl-io/certctl-server:2.1.4"} {
		if !strings.Contains(envs, want) {
			t.Errorf("checked environments do not say %q:\n%s", want, envs)
		}
	}
	// SEC-H1 exists from 2.1.1 only: the 2.1.0 server gets no SEC-H1 warning, the 2.1.4 one does.
	for _, f := range rep.Findings {
		if f.Rule == "SEC-H1" && f.Severity != lint.SeverityInfo && strings.Contains(f.Subject, "old") {
			t.Errorf("SEC-H1 judged the 2.1.0 server: %+v", f)
		}
	}
	r = runCLI(t, nil, "", "lint", ".", "--format", "json", "--certctl-version", "2.2.0")
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(rep.Checked.Environments, "\n"), "from its image tag") {
		t.Errorf("--certctl-version must win over image tags: %v", rep.Checked.Environments)
	}
}
