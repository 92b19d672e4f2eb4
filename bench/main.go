// Command bench runs certgate against its closest peer, conftest, on the same
// inputs in the same run, and prints the medians of wall time and peak RSS with
// their ratios and the goal of each input.
//
//	go run ./bench                 every input, RUNS (default 5) runs each
//	go run ./bench -runs 9 -only 'env|lint'
//
// It builds certgate once from the working tree (go build ./cmd/certgate),
// generates the manifest streams into a temporary directory (bench/gen's
// generators, seeded: the same bytes on every machine), copies the catalog's
// non-test policies beside bench/conftest/adapter.rego for conftest, and runs
// each tool as a whole process (start, policy compile, load, evaluate), the two
// tools alternately so machine noise hits both alike, after one warm-up run of
// each that is not counted. Exit codes 0 and 1 of a tool are results; any other
// is a failure: its stderr is printed and the driver exits 2.
//
// conftest v0.71.1 must be on PATH or in $(go env GOPATH)/bin
// (go install github.com/open-policy-agent/conftest@v0.71.1).
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/certgate/certgate/bench/internal/workload"
	"github.com/certgate/certgate/internal/gotool"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// sample is one measured run.
type sample struct {
	wall time.Duration
	rss  int64 // bytes
}

// cmdSpec is one command of a case: argv, working directory and environment
// (nil: the driver's).
type cmdSpec struct {
	argv []string
	dir  string
	env  []string
	// pass: exit code 1 is a failure too (the gate must let the command run).
	pass bool
}

// benchCase is one row of the table.
type benchCase struct {
	name string
	// a and b are measured alternately; b may be empty (no peer run).
	a, b cmdSpec
	// aName, bName label the columns (certgate and conftest unless said).
	aName, bName string
	goal         string
	// met judges the medians (and may say why); nil for no goal.
	met func(a, b sample) (bool, string)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("bench", flag.ContinueOnError)
	fl.SetOutput(stderr)
	runs := 5
	if v := os.Getenv("RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "bench: RUNS=%q: want a positive integer\n", v)
			return 2
		}
		runs = n
	}
	fl.IntVar(&runs, "runs", runs, "measured runs of each tool per input (the RUNS variable sets the default)")
	only := fl.String("only", "", "run only the inputs whose name matches this regular expression")
	keep := fl.Bool("keep", false, "keep the temporary directory (binary, generated inputs, peer policies) and print its path")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if runs < 1 {
		fmt.Fprintln(stderr, "bench: -runs: want at least 1")
		return 2
	}
	var filter *regexp.Regexp
	if *only != "" {
		var err error
		if filter, err = regexp.Compile(*only); err != nil {
			fmt.Fprintf(stderr, "bench: -only: %v\n", err)
			return 2
		}
	}
	d := &driver{ctx: ctx, stdout: stdout, stderr: stderr, runs: runs, filter: filter}
	err := d.main()
	if d.work != "" {
		if *keep {
			fmt.Fprintf(stderr, "bench: kept %s\n", d.work)
		} else {
			os.RemoveAll(d.work)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	}
	return 0
}

type driver struct {
	ctx            context.Context
	stdout, stderr io.Writer
	runs           int
	filter         *regexp.Regexp
	root, work     string
}

func (d *driver) main() error {
	var err error
	if d.root, err = repoRoot(); err != nil {
		return err
	}
	conftest, err := findTool("conftest", "go install github.com/open-policy-agent/conftest@v0.71.1")
	if err != nil {
		return err
	}
	if d.work, err = os.MkdirTemp("", "certgate-bench-"); err != nil {
		return err
	}
	certgate := filepath.Join(d.work, "certgate")
	build := exec.CommandContext(d.ctx, "go", "build", "-o", certgate, "./cmd/certgate")
	build.Dir = d.root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/certgate: %v\n%s", err, out)
	}
	peer := filepath.Join(d.work, "peer")
	if err := d.peerPolicies(peer); err != nil {
		return err
	}

	// The inputs.
	type input struct {
		file, kind string
		n          int
	}
	inputs := []input{{"mixed.yaml", "mixed", 5000}, {"big.yaml", "big", 35112}, {"join-1000.yaml", "join", 1000}, {"join-3000.yaml", "join", 3000}}
	sums := map[string]string{}
	sizes := map[string]int64{}
	for _, in := range inputs {
		s, n, err := generate(filepath.Join(d.work, in.file), in.kind, in.n)
		if err != nil {
			return err
		}
		sums[in.file], sizes[in.file] = s, n
	}
	tls, err := writeTLSPair(d.work)
	if err != nil {
		return err
	}
	env := filepath.Join(d.root, "testdata", "bench", "server.env")
	truePath, err := exec.LookPath("true")
	if err != nil {
		return err
	}
	gateEnv, err := serverEnviron(env, tls)
	if err != nil {
		return err
	}
	gateEnv = append(gateEnv, "PATH="+os.Getenv("PATH"))

	cg := func(dir string, args ...string) cmdSpec {
		return cmdSpec{argv: append([]string{certgate}, args...), dir: dir}
	}
	ct := func(dir string, args ...string) cmdSpec {
		return cmdSpec{argv: append([]string{conftest, "test", "-p", peer}, args...), dir: dir}
	}
	w := d.work
	cases := []benchCase{
		{
			name: fmt.Sprintf("mixed stream (5,000 docs, %.1f MB)", float64(sizes["mixed.yaml"])/1e6),
			a:    cg(w, "lint", "mixed.yaml"), b: ct(w, "--combine", "mixed.yaml"),
			goal: ">= 7x faster, <= 1/4 RSS",
			met: func(a, b sample) (bool, string) {
				return speedup(a, b) >= 7 && a.rss*4 <= b.rss, ""
			},
		},
		{
			name: fmt.Sprintf("50 MiB stream (%.1f MiB)", float64(sizes["big.yaml"])/(1<<20)),
			a:    cg(w, "lint", "big.yaml"), b: ct(w, "--combine", "big.yaml"),
			goal: ">= 6x faster, <= 400 MiB",
			met: func(a, b sample) (bool, string) {
				return speedup(a, b) >= 6 && a.rss <= 400<<20, ""
			},
		},
		{
			name: "join N=1000 vs N=3000 (certgate)",
			a:    cg(w, "lint", "join-1000.yaml"), b: cg(w, "lint", "join-3000.yaml"),
			aName: "N=1000", bName: "N=3000",
			goal: "N=3000 <= 3.5x N=1000",
			met: func(a, b sample) (bool, string) {
				r := float64(b.wall) / float64(a.wall)
				return r <= 3.5, fmt.Sprintf("N=3000/N=1000 = %.2fx", r)
			},
		},
		{
			name: "env --env-file server.env",
			a:    cg(d.root, "env", "--env-file", env), b: ct(d.root, "--parser", "dotenv", env),
			goal: "<= conftest's time",
			met: func(a, b sample) (bool, string) {
				return a.wall <= b.wall, ""
			},
		},
		{
			name: "lint at the repository root",
			a:    cg(d.root, "lint"), b: ct(d.root, "--parser", "dotenv", env),
			bName: "conftest .env",
			goal:  "<= 1.7x conftest .env",
			met: func(a, b sample) (bool, string) {
				r := float64(a.wall) / float64(b.wall)
				return r <= 1.7, fmt.Sprintf("certgate/conftest .env = %.2fx", r)
			},
		},
		{
			name:  "exec -- true (clean server env, no probe)",
			a:     cmdSpec{argv: []string{certgate, "exec", "--", "true"}, dir: w, env: gateEnv, pass: true},
			b:     cmdSpec{argv: []string{truePath}, dir: w, env: gateEnv},
			bName: "true",
			goal:  "adds <= 20 ms",
			met: func(a, b sample) (bool, string) {
				add := a.wall - b.wall
				return add <= 20*time.Millisecond, fmt.Sprintf("adds %.1f ms", ms(add))
			},
		},
		{
			name: "version (process start)",
			a:    cg(w, "version"),
			goal: "reported",
		},
	}

	fmt.Fprintf(d.stdout, "certgate %s against conftest %s; %s %s/%s, %d CPUs, load average %s; %s\n",
		describe(d.root), toolVersion(conftest), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadAverage(), time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(d.stdout, "median of %d runs of each tool per input after 1 warm-up run each, the two alternating\n", d.runs)
	for _, in := range inputs {
		fmt.Fprintf(d.stdout, "input %-15s %9d bytes  sha256 %s  (go run ./bench/gen -kind %s -n %d)\n", in.file, sizes[in.file], sums[in.file][:16], in.kind, in.n)
	}
	fmt.Fprintln(d.stdout)

	tw := tabwriter.NewWriter(d.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "input\tA\tA ms\tA MiB\tB\tB ms\tB MiB\tB/A time\tA/B RSS\tgoal\tresult")
	for _, c := range cases {
		if d.filter != nil && !d.filter.MatchString(c.name) {
			continue
		}
		fmt.Fprintf(d.stderr, "bench: %s ...\n", c.name)
		a, b, err := d.measure(c)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		aName, bName := or(c.aName, "certgate"), or(c.bName, "conftest")
		row := []string{c.name, aName, fmt.Sprintf("%.1f", ms(a.wall)), fmt.Sprintf("%.1f", mib(a.rss))}
		if len(c.b.argv) > 0 {
			row = append(row, bName, fmt.Sprintf("%.1f", ms(b.wall)), fmt.Sprintf("%.1f", mib(b.rss)),
				fmt.Sprintf("%.2fx", speedup(a, b)), fmt.Sprintf("%.2f", float64(a.rss)/float64(b.rss)))
		} else {
			row = append(row, "-", "-", "-", "-", "-")
		}
		result := "-"
		if c.met != nil {
			ok, note := c.met(a, b)
			result = "unmet"
			if ok {
				result = "met"
			}
			if note != "" {
				result += " (" + note + ")"
			}
		}
		row = append(row, c.goal, result)
		fmt.Fprintln(tw, strings.Join(row, "\t"))
		fmt.Fprintf(d.stderr, "bench: %s\n", strings.Join(row, " | "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(d.stdout, "\nB/A time: how many times faster A is than B; A/B RSS: A's peak RSS as a fraction of B's.")
	return nil
}

// measure runs c.a and c.b alternately (one warm-up each, then d.runs each)
// and returns the medians.
func (d *driver) measure(c benchCase) (sample, sample, error) {
	var as, bs []sample
	for i := 0; i <= d.runs; i++ {
		s, err := d.once(c.a)
		if err != nil {
			return sample{}, sample{}, err
		}
		if i > 0 {
			as = append(as, s)
		}
		if len(c.b.argv) == 0 {
			continue
		}
		if s, err = d.once(c.b); err != nil {
			return sample{}, sample{}, err
		}
		if i > 0 {
			bs = append(bs, s)
		}
	}
	return median(as), median(bs), nil
}

// once runs one command and measures its wall time and peak RSS. Exit codes 0
// and 1 are results; anything else is an error carrying the command's stderr.
func (d *driver) once(c cmdSpec) (sample, error) {
	cmd := exec.CommandContext(d.ctx, c.argv[0], c.argv[1:]...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && (c.pass || !errors.As(err, &ee) || ee.ExitCode() != 1) {
		return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(c.argv, " "), err, stderr.String())
	}
	s := sample{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = maxrssBytes(ru.Maxrss)
	}
	return s, nil
}

// maxrssBytes converts getrusage's ru_maxrss (KiB on Linux, bytes on macOS).
func maxrssBytes(v int64) int64 {
	if runtime.GOOS == "darwin" {
		return v
	}
	return v * 1024
}

// median is the median wall time and the median peak RSS of samples (each
// taken separately; the mean of the middle two for an even count).
func median(samples []sample) sample {
	if len(samples) == 0 {
		return sample{}
	}
	walls := make([]time.Duration, len(samples))
	rss := make([]int64, len(samples))
	for i, s := range samples {
		walls[i], rss[i] = s.wall, s.rss
	}
	slices.Sort(walls)
	slices.Sort(rss)
	n := len(samples)
	if n%2 == 1 {
		return sample{wall: walls[n/2], rss: rss[n/2]}
	}
	return sample{wall: (walls[n/2-1] + walls[n/2]) / 2, rss: (rss[n/2-1] + rss[n/2]) / 2}
}

// speedup is b's time over a's: how many times faster a is.
func speedup(a, b sample) float64 {
	if a.wall <= 0 {
		return 0
	}
	return float64(b.wall) / float64(a.wall)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mib(b int64) float64        { return float64(b) / (1 << 20) }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// repoRoot finds the module root of github.com/certgate/certgate from the
// working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(b, []byte("module github.com/certgate/certgate\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the certgate repository (no go.mod of github.com/certgate/certgate above the working directory)")
		}
		dir = parent
	}
}

// findTool finds name with gotool.Find, naming install when it is missing.
func findTool(name, install string) (string, error) {
	p, err := gotool.Find(name)
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, install)
	}
	return p, nil
}

// peerPolicies copies the catalog's non-test Rego files and the adapter into
// dir, for conftest -p.
func (d *driver) peerPolicies(dir string) error {
	src := filepath.Join(d.root, "policies")
	err := filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		return copyFile(p, filepath.Join(dir, "certgate", rel))
	})
	if err != nil {
		return err
	}
	return copyFile(filepath.Join(d.root, "bench", "conftest", "adapter.rego"), filepath.Join(dir, "adapter.rego"))
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// generate writes a benchmark input and returns its sha256 and size.
func generate(path, kind string, n int) (string, int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	err = workload.Generate(cw, kind, n, workload.Seed)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("generate %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeTLSPair writes a self-signed server certificate and its key (valid for
// a year from now) for the gate's host facts, and returns their paths.
func writeTLSPair(dir string) ([2]string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return [2]string{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "certctl.bench.test"},
		DNSNames:     []string{"certctl.bench.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return [2]string{}, err
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return [2]string{}, err
	}
	paths := [2]string{filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")}
	if err := os.WriteFile(paths[0], pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return paths, err
	}
	return paths, os.WriteFile(paths[1], pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
}

// serverEnviron is the environment of testdata/bench/server.env with the TLS
// paths pointing at a real pair: a clean server environment for the gate.
func serverEnviron(envFile string, tls [2]string) ([]string, error) {
	b, err := os.ReadFile(envFile)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, _, _ := strings.Cut(line, "=")
		switch name {
		case "CERTCTL_SERVER_TLS_CERT_PATH":
			line = name + "=" + tls[0]
		case "CERTCTL_SERVER_TLS_KEY_PATH":
			line = name + "=" + tls[1]
		}
		out = append(out, line)
	}
	return out, nil
}

// loadAverage is the 1-minute load average when the system says (Linux).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// describe names the commit of the working tree (and whether it is dirty).
func describe(root string) string {
	cmd := exec.Command("git", "describe", "--always", "--dirty")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "(unknown commit)"
	}
	return strings.TrimSpace(string(out))
}

// toolVersion is the module version a Go binary was built from (go version -m).
func toolVersion(path string) string {
	out, err := exec.Command("go", "version", "-m", path).Output()
	if err != nil {
		return "(unknown version)"
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "mod" {
			return f[2]
		}
	}
	return "(unknown version)"
}
