package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/audit"
	"github.com/certgate/certgate/lint/format"
)

// secretGen makes random secrets and remembers them, to assert that none
// reaches any output.
type secretGen struct {
	rnd     *rand.Rand
	secrets []string
}

const (
	// plainChars fit every file format unquoted (.env, YAML) and every list.
	plainChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"
	// wildChars add what a password may hold and a URL must escape. Characters
	// the output formats rewrite (|, <, >, &, quotes, %, :, ,) are left out, so
	// a leak is seen whatever the format.
	wildChars = plainChars + "!$*+;=@/?#"
)

func (g *secretGen) make(chars string, minLen, maxLen int) string {
	for {
		n := minLen + g.rnd.IntN(maxLen-minLen+1)
		b := make([]byte, n)
		for i := range b {
			b[i] = chars[g.rnd.IntN(len(chars))]
		}
		// A recognisable core keeps secrets distinct from all other text.
		s := string(b[:n/2]) + core + string(b[n/2:])
		dup := false
		for _, o := range g.secrets {
			dup = dup || strings.Contains(o, s) || strings.Contains(s, o)
		}
		if !dup {
			g.secrets = append(g.secrets, s)
			return s
		}
	}
}

func (g *secretGen) plain() string { return g.make(plainChars, 16, 32) }
func (g *secretGen) wild() string  { return g.make(wildChars, 16, 32) }

// forms are the spellings of s a leak could take in some output.
func forms(s string) []string {
	var out []string
	for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s), url.UserPassword("u", s).String()[2:]} {
		j, _ := json.Marshal(f)
		out = append(out, f, string(j[1:len(j)-1]), html.EscapeString(f), strings.ReplaceAll(f, "%", "%25"))
	}
	return out
}

// core is in every secret and every spelling of it (no format rewrites
// letters), so a leak is looked for only where the text holds it.
const core = "Sx"

// leaks returns the secrets (in any form) that text contains.
func leaks(text string, secrets []string) []string {
	var at []int
	for i := 0; ; {
		j := strings.Index(text[i:], core)
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + 1
	}
	if len(at) == 0 {
		return nil
	}
	var out []string
	for _, s := range secrets {
	forms:
		for _, f := range forms(s) {
			for k := strings.Index(f, core); k >= 0; {
				for _, p := range at {
					if p >= k && strings.HasPrefix(text[p-k:], f) {
						out = append(out, fmt.Sprintf("%q (as %q)", s, f))
						break forms
					}
				}
				n := strings.Index(f[k+1:], core)
				if n < 0 {
					break
				}
				k += n + 1
			}
		}
	}
	return out
}

func TestLeakDetector(t *testing.T) {
	// The property below is only as good as this detector.
	s := "ab/c@dSx?e#f=g!h"
	for _, text := range []string{"x ab/c@dSx?e#f=g!h y", "u:ab%2Fc%40dSx%3Fe%23f=g%21h@host", `"ab/c@dSx?e#f=g!h"`, "ab%2Fc%40dSx%3Fe%23f%3Dg%21h", "ab%252Fc%2540dSx%253Fe%2523f%253Dg%2521h"} {
		if len(leaks(text, []string{s})) == 0 {
			t.Errorf("the leak in %q is not detected", text)
		}
	}
	if l := leaks("xxxxx and ab/c@dSx", []string{s}); len(l) != 0 {
		t.Errorf("false leak: %v", l)
	}
}

// closedPort is a local port nothing listens on: probes fail fast.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// secretEnviron is a server environment with a fresh secret in every
// secret-bearing variable and URL form; form picks the URL shapes of a batch.
func secretEnviron(t *testing.T, g *secretGen, form int) []string {
	port := closedPort(t)
	env := []string{
		"CERTCTL_AUTH_SECRET=" + g.wild(),
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN=" + g.wild(),
		"CERTCTL_API_KEY=" + g.wild(),
		"PGPASSWORD=" + g.wild(),
	}
	// The encryption key: too short (a refusal) in odd batches.
	if form%2 == 1 {
		env = append(env, "CERTCTL_CONFIG_ENCRYPTION_KEY="+g.make(plainChars, 10, 20))
	} else {
		env = append(env, "CERTCTL_CONFIG_ENCRYPTION_KEY="+g.make(wildChars, 32, 48))
	}
	// Named API keys, some entries malformed (a refusal that must not quote them).
	var named []string
	for i := range 24 {
		k := g.plain()
		switch i % 4 {
		case 0:
			named = append(named, fmt.Sprintf("key%d:%s", i, k))
		case 1:
			named = append(named, fmt.Sprintf("key%d:%s:admin", i, k))
		case 2:
			named = append(named, fmt.Sprintf("bad name %d:%s:root", i, k))
		default:
			named = append(named, fmt.Sprintf("key%d:%s:admin:extra", i, k))
		}
	}
	env = append(env, "CERTCTL_API_KEYS_NAMED="+strings.Join(named, ","))
	// The database URL: userinfo, a password parameter, a keyword DSN, and
	// $(POSTGRES_PASSWORD), in turn; remote-looking and plaintext in odd batches.
	host := "127.0.0.1"
	sslmode := "disable"
	if form%2 == 1 {
		host, sslmode = "db.certgate.test", "prefer"
	}
	user := g.wild()
	switch form % 4 {
	case 0:
		u := url.URL{Scheme: "postgres", User: url.UserPassword(user, g.wild()), Host: fmt.Sprintf("%s:%d", host, port), Path: "/certctl", RawQuery: "sslmode=" + sslmode}
		env = append(env, "CERTCTL_DATABASE_URL="+u.String())
	case 1:
		q := url.Values{"sslmode": {sslmode}, "password": {g.wild()}, "target_session_attrs": {"read-write"}}
		env = append(env, fmt.Sprintf("CERTCTL_DATABASE_URL=postgres://%s@%s:%d/certctl?%s", url.PathEscape(user), host, port, q.Encode()))
	case 2:
		pw := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(g.wild())
		env = append(env, fmt.Sprintf("CERTCTL_DATABASE_URL=host=%s port=%d user=certctl password='%s' dbname=certctl sslmode=%s", host, port, pw, sslmode))
	default:
		env = append(env, fmt.Sprintf("CERTCTL_DATABASE_URL=postgres://certctl:$(POSTGRES_PASSWORD)@%s:%d/certctl?sslmode=%s", host, port, sslmode),
			"POSTGRES_PASSWORD="+g.plain())
	}
	// The ACME directory: userinfo and every query token; https to a closed
	// port (the probe fails), or http to a remote host (a static refusal).
	acme := url.URL{Scheme: "https", User: url.UserPassword(g.wild(), g.wild()), Host: fmt.Sprintf("127.0.0.1:%d", closedPort(t)), Path: "/dir"}
	if form%2 == 1 {
		acme.Scheme, acme.Host = "http", "acme.certgate.test"
	}
	q := url.Values{}
	for _, k := range []string{"token", "key", "secret", "sig", "access_token", "X-Amz-Signature"} {
		q.Set(k, g.wild())
	}
	acme.RawQuery = q.Encode()
	env = append(env, "CERTCTL_ACME_DIRECTORY_URL="+acme.String(), "CERTCTL_ACME_EMAIL=pki@example.com")
	// SCEP and EST: the legacy password and per-profile passwords, profiles
	// incomplete (refusals that name the profile, never its password).
	env = append(env, "CERTCTL_SCEP_ENABLED=true", "CERTCTL_SCEP_CHALLENGE_PASSWORD="+g.wild(), "CERTCTL_EST_ENABLED=true")
	var scep, est []string
	for i := range 6 {
		name := fmt.Sprintf("p%d", i)
		scep = append(scep, name)
		env = append(env, fmt.Sprintf("CERTCTL_SCEP_PROFILE_P%d_CHALLENGE_PASSWORD=%s", i, g.wild()))
		if i%2 == 0 {
			env = append(env, fmt.Sprintf("CERTCTL_SCEP_PROFILE_P%d_ISSUER_ID=iss-%d", i, i))
		}
	}
	for i := range 6 {
		est = append(est, fmt.Sprintf("e%d", i))
		env = append(env, fmt.Sprintf("CERTCTL_EST_PROFILE_E%d_ENROLLMENT_PASSWORD=%s", i, g.wild()),
			fmt.Sprintf("CERTCTL_EST_PROFILE_E%d_ALLOWED_AUTH_MODES=basic,mtls", i))
	}
	env = append(env, "CERTCTL_SCEP_PROFILES="+strings.Join(scep, ","), "CERTCTL_EST_PROFILES="+strings.Join(est, ","))
	// Everything else an environment certctl boots with, for the variables
	// above to be judged in a realistic setting.
	base := bootingEnviron()
	set := map[string]bool{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	for _, kv := range base {
		if k, _, _ := strings.Cut(kv, "="); !set[k] {
			env = append(env, kv)
		}
	}
	return append(env, "PATH="+os.Getenv("PATH"))
}

// secretFiles writes a compose project (base, demo overlay, .env) and a
// manifest stream holding fresh plain secrets, for lint and audit.
func secretFiles(t *testing.T, g *secretGen) string {
	dir := t.TempDir()
	named := fmt.Sprintf("ops:%s:admin,ci:%s,bad name:%s", g.plain(), g.plain(), g.plain())
	writeFile(t, dir, ".env", fmt.Sprintf("DB_PASSWORD=%s\nCERTCTL_AUTH_SECRET=%s\n", g.plain(), g.plain()))
	writeFile(t, dir, "docker-compose.yml", fmt.Sprintf(`services:
  server:
    image: ghcr.io/certctl-io/certctl-server:2.2.0
    environment:
      CERTCTL_SERVER_HOST: 0.0.0.0
      CERTCTL_SERVER_PORT: "8443"
      CERTCTL_SERVER_TLS_CERT_PATH: /etc/certctl/tls/server.crt
      CERTCTL_SERVER_TLS_KEY_PATH: /etc/certctl/tls/server.key
      CERTCTL_AUTH_SECRET: ${CERTCTL_AUTH_SECRET}
      CERTCTL_AGENT_BOOTSTRAP_TOKEN: %s
      CERTCTL_CONFIG_ENCRYPTION_KEY: %s
      CERTCTL_API_KEYS_NAMED: "%s"
      CERTCTL_DATABASE_URL: postgres://certctl:${DB_PASSWORD}@db:5432/certctl?sslmode=prefer&password=%s
      CERTCTL_ACME_DIRECTORY_URL: http://%s:%s@acme.certgate.test/dir?token=%s&sig=%s
      CERTCTL_SCEP_ENABLED: "true"
      CERTCTL_SCEP_CHALLENGE_PASSWORD: %s
      CERTCTL_EST_ENABLED: "true"
      CERTCTL_EST_PROFILES: corp
      CERTCTL_EST_PROFILE_CORP_ENROLLMENT_PASSWORD: %s
      CERTCTL_EST_PROFILE_CORP_ALLOWED_AUTH_MODES: basic
  agent:
    image: ghcr.io/certctl-io/certctl-agent:2.2.0
    environment:
      CERTCTL_SERVER_URL: https://server:8443
      CERTCTL_API_KEY: %s
`, g.plain(), g.make(plainChars, 10, 20), named, g.plain(), g.plain(), g.plain(), g.plain(), g.plain(), g.plain(), g.plain(), g.plain()))
	writeFile(t, dir, "docker-compose.demo.yml", fmt.Sprintf(`services:
  server:
    environment:
      CERTCTL_DEMO_MODE_ACK: "true"
      CERTCTL_AUTH_SECRET: %s
`, g.plain()))
	writeFile(t, dir, "deploy.yaml", fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: certctl-server
spec:
  replicas: 2
  selector: {matchLabels: {app: certctl}}
  template:
    metadata: {labels: {app: certctl}}
    spec:
      containers:
        - name: server
          image: ghcr.io/certctl-io/certctl-server:2.2.0
          env:
            - {name: CERTCTL_AUTH_SECRET, value: %s}
            - {name: CERTCTL_AGENT_BOOTSTRAP_TOKEN, value: %s}
            - {name: CERTCTL_DATABASE_URL, value: "postgres://certctl:%s@db.certgate.test/certctl?sslmode=allow"}
            - {name: CERTCTL_ACME_DIRECTORY_URL, value: "https://acme.certgate.test/dir?access_token=%s"}
            - {name: CERTCTL_SCEP_PROFILES, value: corp}
            - {name: CERTCTL_SCEP_PROFILE_CORP_CHALLENGE_PASSWORD, value: %s}
            - {name: CERTCTL_ACME_INSECURE, value: "true"}
`, g.plain(), g.plain(), g.plain(), g.plain(), g.plain()))
	return dir
}

// TestNoSecretInAnyOutput is the redaction property: random secrets in every
// secret-bearing variable and URL form, every command and output format, and
// no secret in any byte of stdout or stderr. Each command runs once per batch
// of secrets; the formats it did not print are rendered in-process from its
// JSON report (writers are pure functions of the report and the catalog).
func TestNoSecretInAnyOutput(t *testing.T) {
	// CERTGATE_SEED replays a failed run (its seed is logged).
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("CERTGATE_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d (CERTGATE_SEED=%d replays it)", seed, seed)
	g := &secretGen{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}

	restore := execve
	t.Cleanup(func() { execve = restore })
	execve = func(string, []string, []string) error { return nil }

	engine, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmtRun := format.Run{Policies: engine.Policies(), Version: version}
	// rendered is every report format of a JSON report.
	rendered := func(t *testing.T, what, out string) map[string]string {
		var report lint.Report
		if err := json.Unmarshal([]byte(out), &report); err != nil {
			t.Fatalf("%s: %v\n%s", what, err, out)
		}
		m := map[string]string{}
		for _, f := range format.Names() {
			w, err := format.New(f, fmtRun)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := w.Write(&b, &report); err != nil {
				t.Fatalf("%s %s: %v", what, f, err)
			}
			m[what+" as "+f] = b.String()
		}
		return m
	}

	type run struct {
		what    string
		environ []string
		args    []string
		// json: render every report format from the output; audit: every
		// audit format.
		json, audit bool
	}
	const batches = 3
	var runs []run
	for b := range batches {
		environ := secretEnviron(t, g, b)
		dir := secretFiles(t, g)
		probe := []string{"--probe", "db,acme", "--probe-timeout", "2s"}
		runs = append(runs,
			run{what: "env --probe (text)", environ: environ, args: append([]string{"env"}, probe...)},
			run{what: "env --probe --format json", environ: environ, args: append([]string{"env", "--format", "json"}, probe...), json: true},
			run{what: "env --role agent --format json", environ: environ, args: []string{"env", "--role", "agent", "--format", "json"}, json: true},
			run{what: "exec --probe (stderr)", environ: environ, args: append(append([]string{"exec"}, probe...), "--", "true")},
			run{what: "env --env-file --probe", args: append([]string{"env", "--env-file", filepath.Join(dir, ".env")}, probe...)},
			run{what: "lint --format json", args: []string{"lint", dir, "--format", "json"}, json: true},
			run{what: "audit --format json", args: []string{"audit", dir, "--format", "json"}, audit: true},
		)
	}
	if len(g.secrets) < 200 {
		t.Fatalf("only %d secrets generated; the property wants at least 200 per run", len(g.secrets))
	}
	t.Logf("%d secrets, %d runs", len(g.secrets), len(runs))

	judged := 0
	for _, r := range runs {
		res := runCLI(t, r.environ, "", r.args...)
		if res.code == 2 {
			t.Errorf("%s: exit 2: %s", r.what, res.err)
			continue
		}
		outputs := map[string]string{r.what: res.out + "\n" + res.err}
		switch {
		case r.json:
			maps.Copy(outputs, rendered(t, r.what, res.out))
			judged++
		case r.audit:
			var rep audit.Report
			if err := json.Unmarshal([]byte(res.out), &rep); err != nil {
				t.Fatalf("%s: %v", r.what, err)
			}
			for _, f := range audit.Formats() {
				var b strings.Builder
				if err := audit.Render(&b, f, &rep); err != nil {
					t.Fatal(err)
				}
				outputs["audit as "+f] = b.String()
			}
			if rep.Findings.Errors > 0 {
				judged++
			}
		case res.code == 1:
			judged++
		}
		for what, out := range outputs {
			if l := leaks(out, g.secrets); len(l) > 0 {
				t.Errorf("%s (certgate %s): %d secrets leaked: %s\n%s", what, strings.Join(r.args, " "), len(l), strings.Join(l, ", "), out)
			}
		}
	}
	// The inputs are refused: the secret-bearing variables were judged and
	// findings about them written, so the property was put to the test.
	if judged < len(runs) {
		t.Fatalf("only %d of %d runs judged anything: the inputs do not exercise the rules", judged, len(runs))
	}
}

// TestRuleMessagesAreRedacted: a rule that quotes a URL (here a user policy
// echoing the database and ACME URLs) still prints no credential: the
// evaluator redacts every finding message.
func TestRuleMessagesAreRedacted(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "echo.rego", `# METADATA
# title: Echo the URLs
# description: A careless rule that quotes connection URLs.
# custom:
#   id: CFG-ECHO
#   severity: error
#   remediation: None.
package certgate.user.echo

import data.certgate.lib

deny contains f if {
	some env in lib.server_envs
	some name in ["CERTCTL_DATABASE_URL", "CERTCTL_ACME_DIRECTORY_URL"]
	v := lib.known_value(env, name)
	f := lib.finding(env, name, sprintf("%s is %s", [name, v]))
}
`)
	g := &secretGen{rnd: rand.New(rand.NewPCG(1, 2))}
	environ := bootingEnviron(
		"CERTCTL_DATABASE_URL=postgres://certctl:"+url.QueryEscape(g.wild())+"@db:5432/certctl?sslmode=verify-full&password="+url.QueryEscape(g.wild()),
		"CERTCTL_ACME_DIRECTORY_URL=https://"+url.QueryEscape(g.plain())+"@acme.example.com/dir?token="+url.QueryEscape(g.wild())+"&sig="+g.plain(),
	)
	r := runCLI(t, environ, "", "env", "--policy", dir, "--format", "json")
	if !strings.Contains(r.out, "CERTCTL_DATABASE_URL is postgres://xxxxx@db:5432/certctl?sslmode=verify-full&password=xxxxx") ||
		!strings.Contains(r.out, "CERTCTL_ACME_DIRECTORY_URL is https://xxxxx@acme.example.com/dir?token=xxxxx&sig=xxxxx") {
		t.Fatalf("want both URLs quoted and redacted:\n%s%s", r.out, r.err)
	}
	if l := leaks(r.out+r.err, g.secrets); len(l) > 0 {
		t.Fatalf("leaked: %v", l)
	}
}
