package compose_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/compose"
)

const tc = "testdata/compose/"

// TestDefaultTurnsRuleOn: ${ACME_INSECURE:-true}, with ACME_INSECURE set by no
// file compose reads, is what a plain `docker compose up` runs.
func TestDefaultTurnsRuleOn(t *testing.T) {
	in, r := lintDir(t, compose.Options{}, "2.1.7", fixture("acme-default"))
	if g := got(r); !slices.Equal(g, []want{{"SEC-M4", "error", tc + "acme-default/docker-compose.yml", 8, 30}}) {
		t.Fatalf("findings %v", g)
	}
	if msg := r.Findings[slices.IndexFunc(r.Findings, func(f lint.Finding) bool { return f.Rule == "SEC-M4" })].Message; !strings.HasSuffix(msg, "(default of ${ACME_INSECURE}; export ACME_INSECURE to override)") {
		t.Errorf("message without the note: %s", msg)
	}
	env := findEnv(t, in, tc+"acme-default/docker-compose.yml service server")
	if v := env.Vars["CERTCTL_ACME_INSECURE_ACK"]; v.Value != "false" || !v.Known || v.Note != "default of ${ACME_INSECURE_ACK}; export ACME_INSECURE_ACK to override" {
		t.Errorf("CERTCTL_ACME_INSECURE_ACK = %+v", v)
	}
	// An --env-file that sets the variable wins over the default: no note.
	dir := t.TempDir()
	in, r = lintDir(t, compose.Options{EnvFiles: []string{write(t, dir, "v.env", "ACME_INSECURE=false\n")}}, "2.1.7", fixture("acme-default"))
	if g := got(r); len(g) != 0 {
		t.Errorf("ACME_INSECURE=false from --env-file: %v", g)
	}
	env = findEnv(t, in, tc+"acme-default/docker-compose.yml service server")
	if v := env.Vars["CERTCTL_ACME_INSECURE"]; v.Value != "false" || v.Note != "" {
		t.Errorf("CERTCTL_ACME_INSECURE with --env-file = %+v", v)
	}
}

func TestEmptyDefaultMayBeEmpty(t *testing.T) {
	in, _ := lintDir(t, compose.Options{}, "2.2.0", fixture("maybe-empty"))
	env := findEnv(t, in, tc+"maybe-empty/docker-compose.yml service server")
	if v := env.Vars["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]; v.Known || !v.MaybeEmpty || v.Value != "" {
		t.Errorf("${X:-} token = %+v, want unknown and maybe empty", v)
	}
	if v := env.Vars["CERTCTL_AUTH_SECRET"]; v.Known || v.MaybeEmpty {
		t.Errorf("${X:?msg} secret = %+v, want unknown and not empty", v)
	}
	// The effective project shows the same facts.
	svc := in.Compose[0].Value["services"].(map[string]any)["server"].(map[string]any)
	tok := svc["environment"].(map[string]any)["CERTCTL_AGENT_BOOTSTRAP_TOKEN"].(map[string]any)
	if tok["maybe_empty"] != true || tok["known"] != false {
		t.Errorf("input.compose token %v", tok)
	}
}

// TestRequiredInDotenv: ${X:?msg} in the .env beside the base file loads; the
// value is set at run time (unknown, not empty). A default in the .env is a
// known value whose note reaches the compose value.
func TestRequiredInDotenv(t *testing.T) {
	in, r := lintDir(t, compose.Options{}, "2.2.0", fixture("dotenv-required"))
	env := findEnv(t, in, tc+"dotenv-required/docker-compose.yml service server")
	if v := env.Vars["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]; v.Known || v.MaybeEmpty {
		t.Errorf("token = %+v, want unknown and not empty", v)
	}
	if v := env.Vars["CERTCTL_MAX_BODY_SIZE"]; v.Value != "10MB" || !v.Known || v.Note != "default of ${MAX_BODY}; export MAX_BODY to override" {
		t.Errorf("body size = %+v", v)
	}
	if g := got(r); !slices.Equal(g, []want{{"SEC-L3", "error", tc + "dotenv-required/docker-compose.yml", 6, 30}}) {
		t.Errorf("findings %v", g)
	}
	if f := in.File(tc + "dotenv-required/.env"); f == nil || f.Role != compose.RoleInterpolation {
		t.Errorf(".env file %+v", f)
	}
}

// TestImageTagDefault: the image reference goes through the same
// interpolation, so the workload's release comes from the default tag.
func TestImageTagDefault(t *testing.T) {
	in, _ := lintDir(t, compose.Options{}, "2.2.0", fixture("image-default"))
	env := findEnv(t, in, tc+"image-default/docker-compose.yml service server")
	if img := env.Labels["image"]; img != "ghcr.io/certctl-io/certctl-server:2.1.4" {
		t.Fatalf("image %q", img)
	}
	if err := lint.ResolveReleases(in, "", ""); err != nil {
		t.Fatal(err)
	}
	if env = findEnv(t, in, tc+"image-default/docker-compose.yml service server"); env.Release != "2.1.4" {
		t.Errorf("release %q (%s)", env.Release, env.ReleaseSource)
	}
}

// TestExtends: values that arrive through extends: (another file, and the same
// file) are judged, each at the file and line that writes it.
func TestExtends(t *testing.T) {
	in, r := lintDir(t, compose.Options{}, "2.1.7", fixture("extends"))
	wantF := []want{
		{"SEC-M4", "error", tc + "extends/common.yml", 7, 30},
		{"DEPL-M2", "error", tc + "extends/common.yml", 6, 26},
		{"DEPL-M2", "error", tc + "extends/docker-compose.yml", 17, 24},
	}
	slices.SortFunc(wantF, func(a, b want) int { return strings.Compare(a.String(), b.String()) })
	g := got(r)
	slices.SortFunc(g, func(a, b want) int { return strings.Compare(a.String(), b.String()) })
	if !slices.Equal(g, wantF) {
		t.Errorf("findings\n got %v\nwant %v", g, wantF)
	}
	if f := in.File(tc + "extends/common.yml"); f == nil || f.Role != compose.RoleBase || f.Kind != lint.FileCompose {
		t.Errorf("common.yml loaded as %+v", f)
	}
	server := findEnv(t, in, tc+"extends/docker-compose.yml service server")
	if v := server.Vars["CERTCTL_RATE_LIMIT_BACKEND"]; v.Value != "postgres" || v.Ref.File != tc+"extends/common.yml" ||
		!slices.Equal(v.Ref.Path, []any{"services", "certctl-common", "environment", "CERTCTL_RATE_LIMIT_BACKEND"}) {
		t.Errorf("extended value %+v ref %+v", v, v.Ref)
	}
	if v := server.Vars["CERTCTL_AGENT_BOOTSTRAP_TOKEN"]; v.Ref.File != tc+"extends/docker-compose.yml" {
		t.Errorf("own value ref %+v", v.Ref)
	}
	agent := findEnv(t, in, tc+"extends/docker-compose.yml service agent")
	if v := agent.Vars["CERTCTL_SERVER_URL"]; v.Value != "https://server:8443" ||
		!slices.Equal(v.Ref.Path, []any{"services", "agent-common", "environment", "CERTCTL_SERVER_URL"}) {
		t.Errorf("same-file extends %+v ref %+v", v, v.Ref)
	}
}

// TestInclude: a file pulled in through include: is a file of the set, its
// placeholders are found, and its services' values point into it.
func TestInclude(t *testing.T) {
	in, r := lintDir(t, compose.Options{}, "2.1.7", fixture("include"))
	if g := got(r); !slices.Equal(g, []want{
		{"DEPL-M2", "error", tc + "include/db/postgres.yml", 7, 26},
		{"SEC-L3", "error", tc + "include/db/postgres.yml", 11, 30},
	}) {
		t.Errorf("findings %v", g)
	}
	if f := in.File(tc + "include/db/postgres.yml"); f == nil || f.Role != compose.RoleBase {
		t.Errorf("postgres.yml loaded as %+v", f)
	}
	pg := findEnv(t, in, tc+"include/docker-compose.yml service postgres")
	if v := pg.Vars["POSTGRES_PASSWORD"]; v.Ref == nil || v.Ref.File != tc+"include/db/postgres.yml" {
		t.Errorf("included value ref %+v", v.Ref)
	}
}

// TestIncludedByDemoOnly: a file only the demo overlay includes is a demo
// file; included by the base as well, it is not.
func TestIncludedByDemoOnly(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.7\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${T:?}\n")
	write(t, dir, "docker-compose.demo.yml", "include:\n  - demo-db.yml\n")
	write(t, dir, "demo-db.yml", "services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: change-me-pw\n")
	in, r := lintDir(t, compose.Options{Root: dir}, "2.1.7", dir)
	if f := in.File("demo-db.yml"); f == nil || f.Role != compose.RoleDemo {
		t.Fatalf("demo-db.yml loaded as %+v", f)
	}
	if g := got(r); len(g) != 0 {
		t.Errorf("findings %v", g)
	}
	write(t, dir, "docker-compose.yml", "include:\n  - demo-db.yml\nservices:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.7\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${T:?}\n")
	_, r = lintDir(t, compose.Options{Root: dir}, "2.1.7", dir)
	if g := got(r); !slices.Equal(g, []want{{"DEPL-M2", "error", "demo-db.yml", 5, 26}}) {
		t.Errorf("included by the base: %v", g)
	}
}

func TestMissingIncludeNamesTheKey(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.yml", "include:\n  - missing.yml\nservices:\n  server:\n    image: x:1\n")
	_, err := compose.Load(t.Context(), []string{dir}, compose.Options{Root: dir})
	if err == nil || !strings.Contains(err.Error(), "docker-compose.yml:2:5") || !strings.Contains(err.Error(), "missing.yml") {
		t.Fatalf("err = %v", err)
	}
}

// TestDemoAckStaysInTheDemo: the acknowledgement in the base file is an error
// (once: the base+demo set comes from a demo source); the shipped demo overlay
// acknowledging the demo is not.
func TestDemoAckStaysInTheDemo(t *testing.T) {
	in, r := lintDir(t, compose.Options{}, "2.2.0", fixture("demo-ack"))
	if g := got(r); !slices.Equal(g, []want{{"DEPL-DEMO", "error", tc + "demo-ack/docker-compose.yml", 8, 30}}) {
		t.Fatalf("findings %v", g)
	}
	msg := r.Findings[slices.IndexFunc(r.Findings, func(f lint.Finding) bool { return f.Rule == "DEPL-DEMO" })].Message
	for _, s := range []string{"auth type none", "CORS origin *", "placeholder", "key generation", "bootstrap token"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message does not name %q: %s", s, msg)
		}
	}
	labels := map[string]string{}
	for _, e := range in.Envs {
		labels[e.ID] = e.Labels["demo"]
	}
	if labels[tc+"demo-ack/docker-compose.yml service server"] != "false" || labels[tc+"demo-ack/docker-compose.yml+docker-compose.demo.yml service server"] != "true" {
		t.Errorf("demo labels %v", labels)
	}
}

// TestEnvFileSeesProjectValues: an env_file target is interpolated with the
// values of the .env beside the base file, and takes defaults otherwise.
func TestEnvFileSeesProjectValues(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.7\n    env_file: server.env\n")
	write(t, dir, "server.env", "CERTCTL_ACME_INSECURE=${INSECURE:-false}\nCERTCTL_MAX_BODY_SIZE=${BODY:-1MB}\n")
	write(t, dir, ".env", "INSECURE=true\n")
	in, _ := lintDir(t, compose.Options{Root: dir}, "2.1.7", dir)
	e := findEnv(t, in, "docker-compose.yml service server")
	if v := e.Vars["CERTCTL_ACME_INSECURE"]; v.Value != "true" || !v.Known || v.Note != "" {
		t.Errorf("from .env: %+v", v)
	}
	if v := e.Vars["CERTCTL_MAX_BODY_SIZE"]; v.Value != "1MB" || v.Note != "default of ${BODY}; export BODY to override" || v.Ref.File != "server.env" {
		t.Errorf("default: %+v", v)
	}
}
