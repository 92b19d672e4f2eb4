package image

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/testutil"
	"github.com/certgate/certgate/lint"
)

// The stamps of the test builds.
const (
	testVersion = "v0.0.0-disttest"
	testCommit  = "0123456789abcdef0123456789abcdef01234567"
	testEpoch   = 1767225600 // 2026-01-01T00:00:00Z
)

// installCommands are the command lines of the fenced sh blocks of the
// README's "## Install" section, comments stripped.
func installCommands(t *testing.T) []string {
	t.Helper()
	section := testutil.ReadmeSection(t, "## Install")
	var cmds []string
	inBlock := false
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			if !inBlock && strings.TrimPrefix(line, "```") != "sh" {
				t.Fatalf("README Install: a %q block; want only sh blocks, which this test runs", line)
			}
			inBlock = !inBlock
		case inBlock:
			cmd, _, _ := strings.Cut(line, " #")
			if cmd = strings.TrimSpace(cmd); cmd != "" {
				cmds = append(cmds, cmd)
			}
		}
	}
	if len(cmds) == 0 {
		t.Fatal("README Install: no commands")
	}
	return cmds
}

// copyRepo copies the repository's files (tracked, and untracked but not
// ignored: what a clone with the current changes holds) to dst.
func copyRepo(t *testing.T, root, dst string) {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("list the repository's files with git ls-files: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		st, err := os.Stat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if !st.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// runMake runs make in dir with the given arguments, outside any make that
// runs this test.
func runMake(t *testing.T, dir string, args ...string) time.Duration {
	t.Helper()
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Fatalf("make is not on PATH (apt-get install make): %v", err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "MAKEFLAGS" && k != "MFLAGS" && k != "MAKELEVEL" {
			env = append(env, kv)
		}
	}
	cmd := exec.Command(mk, args...)
	cmd.Dir = dir
	cmd.Env = env
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return time.Since(start)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// versionJSON runs `bin version --format json`.
func versionJSON(t *testing.T, bin string) map[string]string {
	t.Helper()
	out, err := exec.Command(bin, "version", "--format", "json").Output()
	if err != nil {
		t.Fatalf("%s version --format json: %v", bin, err)
	}
	var v map[string]string
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version --format json: %v\n%s", bin, err, out)
	}
	return v
}

// TestInstall runs the README's Install section: `go install` (from this
// checkout: the module proxy does not serve it here) and `certgate version`;
// `make dist` for this machine's linux platform from copies of the repository
// in two different directories, which must give the same bytes; `make image`
// from both copies, which must give the same tarball, whose image is checked
// and whose certgate runs.
func TestInstall(t *testing.T) {
	root := testutil.RepoRoot(t)
	if runtime.GOOS != "linux" {
		t.Fatalf("the dist and image tests run linux binaries; GOOS is %s", runtime.GOOS)
	}
	engine, err := lint.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	modLine := regexp.MustCompile(`(?m)^module (\S+)$`).FindSubmatch(readFile(t, filepath.Join(root, "go.mod")))
	if modLine == nil {
		t.Fatal("go.mod names no module")
	}
	goInstall := regexp.MustCompile(`^go install (\S+)@(latest|v\d+\.\d+\.\d+\S*)$`)

	tmp := t.TempDir()
	copies := []string{filepath.Join(tmp, "a", "certgate"), filepath.Join(tmp, "b", "elsewhere", "src")}
	copied := false
	copyOnce := func() {
		if !copied {
			for _, c := range copies {
				copyRepo(t, root, c)
			}
			copied = true
		}
	}
	platform := "linux/" + runtime.GOARCH
	distName := "certgate_linux_" + runtime.GOARCH
	gobin := filepath.Join(tmp, "gobin")
	stamps := []string{"VERSION=" + testVersion, "COMMIT=" + testCommit}

	seen := map[string]bool{}
	for _, line := range installCommands(t) {
		switch m := goInstall.FindStringSubmatch(line); {
		case m != nil:
			if want := string(modLine[1]) + "/cmd/certgate"; m[1] != want {
				t.Fatalf("README Install: %q installs %s, want %s", line, m[1], want)
			}
			cmd := exec.Command("go", "install", "./cmd/certgate")
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOBIN="+gobin)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go install ./cmd/certgate: %v\n%s", err, out)
			}
			seen["go install"] = true

		case line == "certgate version":
			if !seen["go install"] {
				t.Fatal("README Install: certgate version before go install")
			}
			out, err := exec.Command(filepath.Join(gobin, "certgate"), "version").Output()
			if err != nil {
				t.Fatalf("certgate version: %v", err)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != 5 || !strings.HasPrefix(lines[0], "certgate ") || lines[4] != "catalog_digest  "+engine.Digest() {
				t.Errorf("certgate version:\n%s\nwant five lines, the last naming the catalog digest %s", out, engine.Digest())
			}

		case line == "make dist":
			copyOnce()
			var bins [][]byte
			for _, dir := range copies {
				d := runMake(t, dir, append([]string{"dist", "PLATFORMS=" + platform}, stamps...)...)
				bin := readFile(t, filepath.Join(dir, "dist", distName))
				t.Logf("make dist PLATFORMS=%s in %s: %v, %d bytes", platform, dir, d.Round(time.Millisecond), len(bin))
				for _, p := range append(copies, root) {
					if bytes.Contains(bin, []byte(p)) {
						t.Errorf("%s holds the build directory %s (-trimpath)", distName, p)
					}
				}
				sum := sha256.Sum256(bin)
				if got, want := string(readFile(t, filepath.Join(dir, "dist", "SHA256SUMS"))), hex.EncodeToString(sum[:])+"  "+distName+"\n"; got != want {
					t.Errorf("SHA256SUMS = %q, want %q", got, want)
				}
				bins = append(bins, bin)
			}
			if !bytes.Equal(bins[0], bins[1]) {
				t.Errorf("make dist is not reproducible: %s differs between %s and %s", distName, copies[0], copies[1])
			}
			exe := filepath.Join(copies[0], "dist", distName)
			f, err := elf.Open(exe)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("%s is dynamically linked", distName)
				}
			}
			f.Close()
			v := versionJSON(t, exe)
			if v["version"] != testVersion || v["commit"] != testCommit || v["catalog_digest"] != engine.Digest() {
				t.Errorf("%s version: %v, want version %s, commit %s, catalog %s", distName, v, testVersion, testCommit, engine.Digest())
			}
			seen["make dist"] = true

		case line == "make image":
			copyOnce()
			var tars [][]byte
			for _, dir := range copies {
				d := runMake(t, dir, append([]string{"image", "IMAGE_ARCH=" + runtime.GOARCH, fmt.Sprintf("SOURCE_DATE_EPOCH=%d", testEpoch)}, stamps...)...)
				tar := readFile(t, filepath.Join(dir, "dist", "certgate-image.tar"))
				t.Logf("make image in %s: %v, %d bytes", dir, d.Round(time.Millisecond), len(tar))
				tars = append(tars, tar)
			}
			if !bytes.Equal(tars[0], tars[1]) {
				t.Errorf("make image is not reproducible: certgate-image.tar differs between %s and %s", copies[0], copies[1])
			}
			checkImageTarball(t, filepath.Join(copies[0], "dist", "certgate-image.tar"),
				want{version: testVersion, commit: testCommit, arch: runtime.GOARCH, created: time.Unix(testEpoch, 0).UTC()})
			seen["make image"] = true

		default:
			t.Fatalf("README Install: no test runs %q; add it to TestInstall", line)
		}
	}
	for _, k := range []string{"go install", "make dist", "make image"} {
		if !seen[k] {
			t.Errorf("README Install does not show %s", k)
		}
	}
}
