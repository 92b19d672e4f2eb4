package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
	"github.com/certgate/certgate/server"
)

// TestEnvParity runs every case of testdata/parity through `certgate env
// --env-file` as a user would: the JSON report at the oldest and newest release
// of the case's range must hold exactly the expected errors and warnings, the
// exit code must follow them, and no output format may show a secret value.
// Each format renders the command's own report in-process, so a case costs one
// command per release rather than one per format.
func TestEnvParity(t *testing.T) {
	dir := t.TempDir()
	engine, err := lint.New(context.Background(), lint.WithInputs(server.Inputs...))
	if err != nil {
		t.Fatal(err)
	}
	run := format.Run{Policies: engine.Policies(), Version: version}
	for i, c := range testutil.ParityCases(t) {
		path := filepath.Join(dir, fmt.Sprintf("case%d.env", i))
		writeDotenv(t, path, c.Env())
		releases := c.ReleaseList()
		edges := []string{releases[0]}
		if len(releases) > 1 {
			edges = append(edges, releases[len(releases)-1])
		}
		for _, v := range edges {
			t.Run(fmt.Sprintf("%s/%s/%s", c.File, c.Name, v), func(t *testing.T) {
				// --no-host: the cases are about values; the files they name are another host's.
				args := []string{"env", "--no-host", "--env-file", path, "--certctl-version", v, "--now", strconv.FormatInt(c.Now(), 10), "--format", "json"}
				if c.Role == lint.RoleAgent {
					args = append(args, "--role", "agent")
				}
				r := runCLI(t, nil, "", args...)
				var report lint.Report
				if err := json.Unmarshal([]byte(r.out), &report); err != nil {
					t.Fatalf("code=%d: %v\n%s%s", r.code, err, r.out, r.err)
				}
				for _, p := range c.CheckParity(&report) {
					t.Error(p)
				}
				if want := report.ExitCode(lint.SeverityError); r.code != want {
					t.Errorf("exit code %d, want %d", r.code, want)
				}
				if report.Target == nil || report.Target.CertctlVersion != v || report.Target.Source != lint.ReleaseFromFlag {
					t.Errorf("the report does not name the target release %s and its source: %+v", v, report.Target)
				}
				// No output shows a secret value: the command's own output,
				// and every format's rendering of the same report (writers
				// are pure functions of the report and the catalog).
				outputs := map[string]string{"json (certgate env)": r.out + r.err}
				for _, f := range format.Names() {
					w, err := format.New(f, run)
					if err != nil {
						t.Fatal(err)
					}
					var b strings.Builder
					if err := w.Write(&b, &report); err != nil {
						t.Fatalf("%s: %v", f, err)
					}
					outputs[f] = b.String()
				}
				for f, out := range outputs {
					for _, s := range c.Secrets() {
						if strings.Contains(out, s) {
							t.Errorf("%s output shows a secret value of the environment", f)
						}
					}
				}
			})
		}
	}
}

// writeDotenv writes env as a .env file, every value single-quoted (literal).
func writeDotenv(t *testing.T, path string, env map[string]string) {
	t.Helper()
	names := make([]string, 0, len(env))
	for k := range env {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		if strings.ContainsAny(env[k], "'\n") {
			t.Fatalf("%s: parity values cannot hold a quote or newline", k)
		}
		fmt.Fprintf(&b, "%s='%s'\n", k, env[k])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
