package compose_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/compose"
)

// root is the repository root: reported paths are relative to it.
var root = func() string {
	abs, err := filepath.Abs("../..")
	if err != nil {
		panic(err)
	}
	return abs
}()

var engine *lint.Engine

func TestMain(m *testing.M) {
	var err error
	if engine, err = lint.New(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// want is what a test asserts of a finding.
type want struct {
	Rule     string
	Severity lint.Severity
	File     string
	Line     int
	Column   int
}

func (w want) String() string {
	return fmt.Sprintf("%s %s %s:%d:%d", w.Rule, w.Severity, w.File, w.Line, w.Column)
}

func lintDir(t *testing.T, opts compose.Options, version string, paths ...string) (*lint.Input, *lint.Report) {
	t.Helper()
	if opts.Root == "" {
		opts.Root = root
	}
	in, err := compose.Load(context.Background(), paths, opts)
	if err != nil {
		t.Fatalf("load %v: %v", paths, err)
	}
	in.Meta = lint.Meta{NowUnix: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), CertctlVersion: version}
	r, err := engine.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return in, r
}

// judged are the rules these tests are about: the loader's facts reach them.
// Other rules (listener, auth, ...) have their own tests and would make every
// minimal fixture here noisy.
var judged = map[string]bool{"DEPL-M2": true, "DEPL-DEMO": true, "SEC-M4": true, "SEC-H1": true, "SEC-L3": true, "SEC-H3": true}

func got(r *lint.Report) []want {
	out := []want{}
	for _, f := range r.Findings {
		if judged[f.Rule] {
			out = append(out, want{f.Rule, f.Severity, f.File, f.Line, f.Column})
		}
	}
	return out
}

func fixture(name string) string { return filepath.Join(root, "testdata", "compose", name) }

// TestFindingsNeverEchoValues: no message quotes a placeholder value of the
// compose fixtures. Which findings each fixture gives is stated once, in
// testdata/fixtures/compose (lint/load's TestFixtures).
func TestFindingsNeverEchoValues(t *testing.T) {
	for _, name := range []string{"base", "prod", "env-file", "acme-insecure", "override", "no-token"} {
		t.Run(name, func(t *testing.T) {
			_, r := lintDir(t, compose.Options{}, "2.1.7", fixture(name))
			if len(r.Findings) == 0 {
				t.Fatal("no findings: nothing was checked")
			}
			for _, f := range r.Findings {
				if strings.Contains(f.Message, "change-me-p") || strings.Contains(f.Message, "change-me-a") {
					t.Errorf("message echoes the value: %s", f.Message)
				}
			}
		})
	}
}

func TestNoTokenUnder210IsAWarning(t *testing.T) {
	_, r := lintDir(t, compose.Options{}, "2.1.7", fixture("no-token"))
	if g := got(r); len(g) != 1 || g[0].Rule != "SEC-H1" || g[0].Severity != lint.SeverityWarning {
		t.Fatalf("got %v, want one SEC-H1 warning", g)
	}
}

func TestDemoGlobs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.yml", "services:\n  server:\n    image: ghcr.io/certctl-io/certctl-server:2.1.0\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${T:?}\n")
	write(t, dir, "docker-compose.try.yml", "services:\n  server:\n    environment:\n      POSTGRES_PASSWORD: change-me-pw\n")
	_, r := lintDir(t, compose.Options{Root: dir}, "2.1.0", dir)
	if g := got(r); !slices.Equal(g, []want{{"DEPL-M2", "error", "docker-compose.try.yml", 4, 26}}) {
		t.Fatalf("without demo_globs: %v", g)
	}
	_, r = lintDir(t, compose.Options{Root: dir, DemoGlobs: []string{"*.try.yml"}}, "2.1.0", dir)
	if g := got(r); len(g) != 0 {
		t.Fatalf("with demo_globs: %v", g)
	}
}

// TestShipped: the shipped compose/ directory is clean, base alone and base +
// demo, under both the current and the next release.
func TestShipped(t *testing.T) {
	for _, v := range []string{"2.1.0", "2.2.0"} {
		in, r := lintDir(t, compose.Options{}, v, filepath.Join(root, "compose"))
		if len(r.Findings) != 0 {
			t.Errorf("certctl %s: %v", v, r.Findings)
		}
		var sets []string
		for _, o := range in.Compose {
			sets = append(sets, o.Labels["set"])
		}
		wantSets := []string{"compose/docker-compose.yml", "compose/docker-compose.yml+docker-compose.demo.yml"}
		if !slices.Equal(sets, wantSets) {
			t.Fatalf("file sets %v, want %v", sets, wantSets)
		}
		var servers []string
		for _, e := range in.Envs {
			if e.Role == lint.RoleServer {
				servers = append(servers, e.ID)
			}
		}
		if want := []string{"compose/docker-compose.yml service server", "compose/docker-compose.yml+docker-compose.demo.yml service server"}; !slices.Equal(servers, want) {
			t.Fatalf("server envs %v, want %v", servers, want)
		}
	}
}

func TestEffectiveValues(t *testing.T) {
	in, _ := lintDir(t, compose.Options{}, "2.1.0", filepath.Join(root, "compose"))
	env := findEnv(t, in, "compose/docker-compose.yml+docker-compose.demo.yml service server")
	ack := env.Vars["CERTCTL_DEMO_MODE_ACK"]
	if !ack.Known || ack.Value != "true" || ack.Ref.File != "compose/docker-compose.demo.yml" {
		t.Errorf("CERTCTL_DEMO_MODE_ACK = %+v", ack)
	}
	if ts := env.Vars["CERTCTL_DEMO_MODE_ACK_TS"]; ts.Known || ts.Value != "" {
		t.Errorf("CERTCTL_DEMO_MODE_ACK_TS = %+v, want set but unknown", ts)
	}
	if u := env.Vars["CERTCTL_DATABASE_URL"]; u.Value != "postgres://certctl:$(POSTGRES_PASSWORD)@postgres:5432/certctl?sslmode=disable" || u.Ref.File != "compose/docker-compose.yml" {
		t.Errorf("CERTCTL_DATABASE_URL = %+v", u)
	}
	agent := findEnv(t, in, "compose/docker-compose.yml service agent")
	if agent.Role != lint.RoleAgent || agent.Labels["image"] != "ghcr.io/certctl-io/certctl-agent:2.1.7" {
		t.Errorf("agent env: role %s labels %v", agent.Role, agent.Labels)
	}
	// List form: the ref is the list index of the entry.
	if r := agent.Vars["CERTCTL_AGENT_ID"].Ref; !slices.Equal(r.Path, []any{"services", "agent", "environment", 2}) {
		t.Errorf("CERTCTL_AGENT_ID ref %v", r.Path)
	}
	if pg := findEnv(t, in, "compose/docker-compose.yml service postgres"); pg.Role != lint.RoleOther {
		t.Errorf("postgres role %s", pg.Role)
	}
	var demo lint.Object
	for _, o := range in.Compose {
		if strings.HasSuffix(o.Labels["set"], "demo.yml") {
			demo = o
		}
	}
	svc := demo.Value["services"].(map[string]any)["server"].(map[string]any)
	if svc["role"] != "server" {
		t.Errorf("compose project server role %v", svc["role"])
	}
	cfgEnv := svc["config"].(map[string]any)["environment"].(map[string]any)
	if got := cfgEnv["CERTCTL_DEMO_MODE_ACK_TS"]; got != "${CERTCTL_DEMO_MODE_ACK_TS}" {
		t.Errorf("effective CERTCTL_DEMO_MODE_ACK_TS shown as %q", got)
	}
}

func findEnv(t *testing.T, in *lint.Input, id string) lint.Env {
	t.Helper()
	for _, e := range in.Envs {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no env %q", id)
	return lint.Env{}
}

func TestInterpolation(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.yml", `services:
  certctl:
    image: example/certctl:2.1.0
    environment:
      CERTCTL_MAX_BODY_SIZE: ${BODY}
      CERTCTL_AUTH_TYPE: ${AUTH:-api-key}
      CERTCTL_AUTH_SECRET: pre-${SECRET}-post
      CERTCTL_ACME_INSECURE:
      CERTCTL_RATE_LIMIT_BACKEND: ${FROM_DOTENV}
      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${TOKEN:?}
`)
	write(t, dir, ".env", "FROM_DOTENV=postgres\nBODY=1\n")
	write(t, dir, "vals.env", "BODY=10MB\n")
	t.Setenv("SECRET", "from-the-host")
	t.Setenv("CERTCTL_ACME_INSECURE", "true")
	in, r := lintDir(t, compose.Options{Root: dir, EnvFiles: []string{filepath.Join(dir, "vals.env")}}, "2.1.0", dir)
	env := findEnv(t, in, "docker-compose.yml service certctl")
	if env.Role != lint.RoleServer {
		t.Errorf("role %s", env.Role)
	}
	check := func(name, value string, known bool) {
		t.Helper()
		if v := env.Vars[name]; v.Value != value || v.Known != known {
			t.Errorf("%s = %+v, want %q known=%v", name, v, value, known)
		}
	}
	check("CERTCTL_MAX_BODY_SIZE", "10MB", true) // --env-file wins over .env
	check("CERTCTL_RATE_LIMIT_BACKEND", "postgres", true)
	check("CERTCTL_AUTH_TYPE", "api-key", true) // the default: no file sets AUTH
	if n := env.Vars["CERTCTL_AUTH_TYPE"].Note; n != "default of ${AUTH}; export AUTH to override" {
		t.Errorf("CERTCTL_AUTH_TYPE note %q", n)
	}
	check("CERTCTL_AUTH_SECRET", "", false)
	check("CERTCTL_ACME_INSECURE", "", false) // bare key: inherited, never read from this machine
	if g := got(r); !slices.Equal(g, []want{{"SEC-L3", "error", "docker-compose.yml", 5, 30}}) {
		t.Errorf("findings %v", g)
	}
}

// TestUnknownInTypedFields: unknown values where compose parses the text itself
// (a port, a count, a boolean) load; environment values keep their known-ness.
func TestUnknownInTypedFields(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.yml", `services:
  server:
    image: ghcr.io/certctl-io/certctl-server:${TAG:-2.1.0}
    ports:
      - "${PORT:-8443}:8443"
    read_only: ${RO:-true}
    healthcheck:
      test: ["CMD", "true"]
      retries: ${RETRIES}
    deploy:
      replicas: ${N}
    environment:
      CERTCTL_MAX_BODY_SIZE: ${BODY}
      CERTCTL_AUTH_TYPE: api-key
      CERTCTL_RATE_LIMIT_BACKEND: $$(literal)
      CERTCTL_AGENT_BOOTSTRAP_TOKEN: x-${KNOWN}
`)
	in, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir, EnvFiles: []string{write(t, dir, "v.env", "KNOWN=k\n")}})
	if err != nil {
		t.Fatal(err)
	}
	env := findEnv(t, in, "docker-compose.yml service server")
	for name, want := range map[string]lint.Var{
		"CERTCTL_MAX_BODY_SIZE":         {Known: false},
		"CERTCTL_AUTH_TYPE":             {Value: "api-key", Known: true},
		"CERTCTL_RATE_LIMIT_BACKEND":    {Value: "$(literal)", Known: true},
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN": {Value: "x-k", Known: true},
	} {
		if got := env.Vars[name]; got.Value != want.Value || got.Known != want.Known {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
}

func TestRolesOverride(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "compose.yaml", "services:\n  gw:\n    image: nginx:1.27\n    environment:\n      CERTCTL_ACME_INSECURE: \"true\"\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: ${T:?}\n")
	_, r := lintDir(t, compose.Options{Root: dir}, "2.1.7", dir)
	if g := got(r); len(g) != 1 || g[0].Rule != "SEC-M4" {
		t.Fatalf("detected as server by its keys: %v", g)
	}
	_, r = lintDir(t, compose.Options{Root: dir, Roles: map[string]string{"gw": "other"}}, "2.1.7", dir)
	if g := got(r); len(g) != 0 {
		t.Fatalf("roles: gw: other: %v", g)
	}
}

func TestDetectRole(t *testing.T) {
	cases := []struct {
		service, image string
		vars           []string
		want           string
	}{
		{"server", "x:1", nil, "server"},
		{"certctl-server", "x:1", nil, "server"},
		{"api", "ghcr.io/certctl-io/certctl-server:2.1.0", nil, "server"},
		{"api", "registry.example/certctl:2.1.0", nil, "server"},
		{"api", "x:1", []string{"CERTCTL_DATABASE_URL"}, "server"},
		{"worker", "x:1", []string{"CERTCTL_AGENT_ID"}, "agent"},
		{"worker", "x:1", []string{"CERTCTL_SERVER_URL", "CERTCTL_AGENT_BOOTSTRAP_TOKEN"}, "agent"},
		{"agent", "x:1", nil, "agent"},
		{"db", "postgres:16", []string{"POSTGRES_PASSWORD"}, "other"},
		{"web", "x:1", []string{"CERTCTL_AGENT_BOOTSTRAP_TOKEN"}, "other"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		var b strings.Builder
		fmt.Fprintf(&b, "services:\n  %s:\n    image: %s\n    environment:\n", c.service, c.image)
		for _, v := range c.vars {
			fmt.Fprintf(&b, "      %s: x\n", v)
		}
		if len(c.vars) == 0 {
			b.WriteString("      OTHER: x\n")
		}
		write(t, dir, "docker-compose.yml", b.String())
		in, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir})
		if err != nil {
			t.Fatal(err)
		}
		if got := in.Envs[0].Role; got != c.want {
			t.Errorf("%s %s %v: role %s, want %s", c.service, c.image, c.vars, got, c.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	good := "services:\n  server:\n    image: x:1\n"
	cases := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{"malformed", map[string]string{"docker-compose.yml": "services:\n  server:\n    image: [x\n"}, []string{"docker-compose.yml:3:", "compose file"}},
		{"tab", map[string]string{"docker-compose.yml": "services:\n\tserver:\n    image: x:1\n"}, []string{"docker-compose.yml:2:", "tab"}},
		{"empty", map[string]string{"docker-compose.yml": "# nothing here\n"}, []string{"docker-compose.yml", "empty"}},
		{"not-utf8", map[string]string{"docker-compose.yml": "services:\n  server:\n    image: \xff\xfe\n"}, []string{"docker-compose.yml", "UTF-8"}},
		{"missing-env-file", map[string]string{"docker-compose.yml": good + "    env_file: missing.env\n"}, []string{"docker-compose.yml:4:15", "missing.env", "service server"}},
		{"schema", map[string]string{"docker-compose.yml": "services:\n  server:\n    image: x:1\n    restart: [1]\n"}, []string{"docker-compose.yml", "restart"}},
		{"not-a-mapping", map[string]string{"docker-compose.yml": "- a\n- b\n"}, []string{"docker-compose.yml:1", "mapping"}},
		{"broken-overlay", map[string]string{"docker-compose.yml": good, "docker-compose.prod.yml": "services:\n  server:\n    ports: {a: b}\n"}, []string{"docker-compose.yml+docker-compose.prod.yml", "ports"}},
		{"malformed-overlay", map[string]string{"docker-compose.yml": good, "docker-compose.prod.yml": "services:\n  server:\n    image: x:1\n  bad: [\n"}, []string{"docker-compose.prod.yml:5:"}},
		{"scanner-error", map[string]string{"docker-compose.yml": "services:\n  server:\n    image: x:1\n    a: b: c\n"}, []string{"docker-compose.yml:4:"}},
		{"bad-env-file", map[string]string{"docker-compose.yml": good + "    env_file: s.env\n", "s.env": "A=\xff\n"}, []string{"s.env", "UTF-8"}},
		{"required-empty", map[string]string{"docker-compose.yml": good + "    environment:\n      P: ${P:?set P}\n", ".env": "P=\n"}, []string{"docker-compose.yml", "P"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range c.files {
				write(t, dir, name, body)
			}
			_, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir})
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), dir) {
				t.Errorf("error %q carries the absolute path", err)
			}
		})
	}
}

func TestOverlayWithoutBase(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "docker-compose.prod.yml", "services:\n  server:\n    image: x:1\n")
	_, err := compose.Load(context.Background(), []string{dir}, compose.Options{Root: dir})
	if err == nil || !strings.Contains(err.Error(), "no base file") {
		t.Fatalf("err = %v", err)
	}
	// Named with --compose it is a file of its own.
	in, err := compose.Load(context.Background(), nil, compose.Options{Root: dir, Explicit: []string{filepath.Join(dir, "stack.yml")}})
	if err == nil {
		t.Fatalf("a missing --compose file loaded: %v", in.Files)
	}
	write(t, dir, "stack.yml", "services:\n  server:\n    image: x:1\n")
	in, err = compose.Load(context.Background(), nil, compose.Options{Root: dir, Explicit: []string{filepath.Join(dir, "stack.yml")}})
	if err != nil || len(in.Compose) != 1 || in.Files[0].Role != compose.RoleBase {
		t.Fatalf("--compose stack.yml: %v", err)
	}
}

func TestOverlayGivenAloneFindsItsBase(t *testing.T) {
	in, _ := lintDir(t, compose.Options{}, "2.1.0", filepath.Join(root, "compose", "docker-compose.demo.yml"))
	if len(in.Compose) != 2 {
		t.Fatalf("%d file sets, want base alone and base+demo", len(in.Compose))
	}
}

func TestDetect(t *testing.T) {
	for path, want := range map[string]bool{
		"a/docker-compose.yml": true, "docker-compose.prod.yaml": true, "compose.yaml": true,
		"compose.override.yml": true, "x/stack.yml": false, "docker-compose.json": false, "compose": false,
	} {
		if got := compose.Detect(path, false); got != want {
			t.Errorf("Detect(%s) = %v", path, got)
		}
	}
	if compose.Detect("docker-compose.yml", true) {
		t.Error("a directory is not a compose file")
	}
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func BenchmarkLoadShipped(b *testing.B) {
	ctx := context.Background()
	dir := filepath.Join(root, "compose")
	for b.Loop() {
		if _, err := compose.Load(ctx, []string{dir}, compose.Options{Root: root}); err != nil {
			b.Fatal(err)
		}
	}
}
