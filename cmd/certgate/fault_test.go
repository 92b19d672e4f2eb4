package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/fault"
	"github.com/certgate/certgate/internal/testutil"
)

// policyDir is a directory holding one policy file.
func policyDir(t *testing.T, name, rego string) string {
	dir := t.TempDir()
	writeFile(t, dir, name, rego)
	return dir
}

// stubExec replaces execve for the test and reports whether it was called.
func stubExec(t *testing.T) *bool {
	started := new(bool)
	restore := execve
	t.Cleanup(func() { execve = restore })
	execve = func(string, []string, []string) error { *started = true; return nil }
	return started
}

// runCLIContext is runCLI with the command's context.
func runCLIContext(ctx context.Context, environ []string, args ...string) result {
	var out, errb bytes.Buffer
	a := &app{streams: streams{in: strings.NewReader(""), out: &out, err: &errb}, environ: func() []string { return environ }}
	root := a.rootCmd()
	root.SetArgs(args)
	code := 0
	if err := root.ExecuteContext(ctx); err != nil {
		var ee *exitError
		if !errors.As(err, &ee) {
			return result{-1, out.String(), err.Error()}
		}
		code = ee.code
		if ee.err != nil {
			errb.WriteString("certgate: " + ee.err.Error() + "\n")
		}
	}
	return result{code, out.String(), errb.String()}
}

// hangingDatabase accepts connections and never answers, as a stuck database
// would; it returns its address.
func hangingDatabase(t *testing.T) string {
	return testutil.SilentListener(t).Addr().String()
}

// TestExecRefusesUnderFaults injects each fault the gate must survive into
// certgate exec and checks that the command never starts: exit 2 for a gate
// failure, exit 1 for the rule refusing a failed probe. The same call without
// the fault starts the command, so the refusal is the fault's.
func TestExecRefusesUnderFaults(t *testing.T) {
	environ := bootingEnviron("PATH=" + os.Getenv("PATH"))
	cmd := []string{"--", "sh", "-c", "true"}
	type tc struct {
		name     string
		args     []string
		env      []string // default environ
		control  []string // environment the same call starts with, when checked
		inject   func(t *testing.T)
		ctx      func(t *testing.T) context.Context
		code     int
		contains string
	}
	cases := []tc{
		{name: "policy dir does not compile", args: []string{"--policy", policyDir(t, "bad.rego", testutil.BrokenRego)}, code: 2, contains: "bad.rego"},
		{
			name: "rule errors at evaluation", args: []string{"--policy", policyDir(t, "strict.rego", testutil.StrictRego)},
			env:     bootingEnviron("PATH="+os.Getenv("PATH"), "CERTCTL_MAX_BODY_SIZE=10MB"),
			control: bootingEnviron("PATH="+os.Getenv("PATH"), "CERTCTL_MAX_BODY_SIZE=1048576"),
			code:    2, contains: "to_number",
		},
		{
			name: "loader panics", control: environ, code: 2, contains: "panic: loader bug",
			inject: func(t *testing.T) {
				t.Cleanup(fault.Set(fault.Loader, func(context.Context) error { panic("loader bug") }))
			},
		},
		{
			name: "engine panics", control: environ, code: 2, contains: "panic: evaluator bug",
			inject: func(t *testing.T) {
				t.Cleanup(fault.Set(fault.Engine, func(context.Context) error { panic("evaluator bug") }))
			},
		},
		{
			name: "probe panics", args: []string{"--probe", "db"}, code: 1, contains: "probe panicked: driver bug",
			inject: func(t *testing.T) {
				t.Cleanup(fault.Set(fault.Probe, func(context.Context) error { panic("driver bug") }))
			},
		},
		{
			name: "context cancelled", control: environ, code: 2, contains: "context canceled",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			started := stubExec(t)
			args := append(append([]string{"exec", "--now", now}, c.args...), cmd...)
			if c.control != nil {
				if r := runCLI(t, c.control, "", args...); r.code != 0 || !*started {
					t.Fatalf("without the fault: code=%d started=%v err=%q", r.code, *started, r.err)
				}
				*started = false
			}
			if c.inject != nil {
				c.inject(t)
			}
			ctx := context.Background()
			if c.ctx != nil {
				ctx = c.ctx(t)
			}
			env := c.env
			if env == nil {
				env = environ
			}
			r := runCLIContext(ctx, env, args...)
			if r.code != c.code || *started || !strings.Contains(r.err, c.contains) {
				t.Fatalf("code=%d (want %d) started=%v err=%q (want it to contain %q)", r.code, c.code, *started, r.err, c.contains)
			}
			if strings.Contains(r.err, "goroutine ") {
				t.Fatalf("a stack trace reached the output:\n%s", r.err)
			}
		})
	}
}

// TestExecBinaryRefusesUnderFaults runs the certgate binary as an entrypoint
// would, with faults that need no test hook (a policy dir that does not
// compile, a rule that errors at evaluation, a database that never answers),
// and checks that the command never ran.
func TestExecBinaryRefusesUnderFaults(t *testing.T) {
	bin := testutil.CertgateBinary(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "started")
	base := []string{"PATH=" + os.Getenv("PATH"), "MARKER=" + marker}
	cases := []struct {
		name     string
		args     []string
		env      []string
		code     int
		contains string
		within   time.Duration
	}{
		{"policy dir does not compile", []string{"--policy", policyDir(t, "bad.rego", testutil.BrokenRego)}, nil, 2, "bad.rego", 0},
		{"rule errors at evaluation", []string{"--policy", policyDir(t, "strict.rego", testutil.StrictRego)}, []string{"CERTCTL_MAX_BODY_SIZE=10MB"}, 2, "to_number", 0},
		{
			"database hangs past the probe timeout", []string{"--probe", "db", "--probe-timeout", "300ms"},
			[]string{"CERTCTL_DATABASE_URL=postgres://certctl@" + hangingDatabase(t) + "/certctl?sslmode=disable"},
			1, "CFG-DB-REACH", 10 * time.Second,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(marker)
			args := append(append([]string{"exec"}, c.args...), "--", "sh", "-c", `: > "$MARKER"`)
			cmd := exec.Command(bin, args...)
			cmd.Env = bootingEnviron(append(base, c.env...)...)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Fatalf("want exit %d, got %v\n%s", c.code, err, out)
			}
			if _, err := os.Stat(marker); !os.IsNotExist(err) {
				t.Fatal("CMD started although the gate failed")
			}
			if !strings.Contains(string(out), c.contains) || strings.Contains(string(out), "goroutine ") {
				t.Fatalf("output lacks %q or has a stack trace:\n%s", c.contains, out)
			}
			if c.within > 0 && time.Since(start) > c.within {
				t.Fatalf("the gate took %s", time.Since(start))
			}
		})
	}
	// The same binary starts the command when nothing is wrong.
	cmd := exec.Command(bin, "exec", "--", "sh", "-c", `: > "$MARKER"`)
	cmd.Env = bootingEnviron(base...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("exec failed: %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatal("CMD did not start on a clean environment")
	}
}
