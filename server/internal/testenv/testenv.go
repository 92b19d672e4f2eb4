// Package testenv starts real servers for the probe tests: a PostgreSQL
// server (initdb + postgres, as the postgres user when running as root) and
// pebble, the ACME test server, each on 127.0.0.1 at a free port in a
// temporary directory, stopped and removed by Stop.
//
// A missing binary is reported as an error wrapping ErrMissing; Require turns
// that into a skip on a developer machine and a failure when CI=true.
package testenv

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/certgate/certgate/internal/gotool"
)

// ErrMissing: a binary the tests need is not installed.
var ErrMissing = errors.New("binary not installed")

// Require fails or skips tb when err is set: a missing binary skips with the
// reason, unless CI=true (CI installs everything), where it fails.
func Require(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, ErrMissing) && os.Getenv("CI") != "true" {
		tb.Skipf("skipping: %v", err)
		return
	}
	tb.Fatal(err)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Postgres is a running PostgreSQL server.
type Postgres struct {
	Port int
	// Admin and AdminPassword are the bootstrap superuser's credentials.
	Admin, AdminPassword string
	// CAFile is the self-signed server certificate when TLS is on.
	CAFile string
	dir    string
	proc   *proc
	asUser string // "postgres" when running as root
}

// PostgresBinDir finds the PostgreSQL server binaries (pg_config --bindir, or
// the Debian path of version 15).
func PostgresBinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	for _, dir := range []string{"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"} {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("PostgreSQL initdb/postgres (apt-get install postgresql): %w", ErrMissing)
}

// StartPostgres initialises a cluster in a temporary directory and starts it
// on 127.0.0.1 at a free port, with TLS (a self-signed certificate for
// localhost and 127.0.0.1) when tls is true. Password logins over TCP use
// scram-sha-256.
func StartPostgres(ctx context.Context, tls bool) (_ *Postgres, err error) {
	bin, err := PostgresBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "certgate-pg-")
	if err != nil {
		return nil, err
	}
	p := &Postgres{dir: dir, Admin: "certgate_admin", AdminPassword: randomHex(12)}
	defer func() {
		if err != nil {
			p.Stop()
		}
	}()
	uid, gid := -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs a postgres user: %w", ErrMissing)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		p.asUser = "postgres"
	}
	data := filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(p.AdminPassword+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := chownAll(dir, uid, gid); err != nil {
		return nil, err
	}
	if out, err := p.command(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", p.Admin, "--pwfile", pwfile,
		"--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if p.Port, err = FreePort(); err != nil {
		return nil, err
	}
	args := []string{"-D", data, "-c", "listen_addresses=127.0.0.1", "-c", "port=" + strconv.Itoa(p.Port),
		"-c", "unix_socket_directories=" + dir, "-c", "fsync=off", "-c", "logging_collector=off"}
	if tls {
		cert, key, err := selfSigned("localhost")
		if err != nil {
			return nil, err
		}
		p.CAFile = filepath.Join(dir, "server.crt")
		keyFile := filepath.Join(dir, "server.key")
		if err := os.WriteFile(p.CAFile, cert, 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(keyFile, key, 0o600); err != nil {
			return nil, err
		}
		if err := chownAll(dir, uid, gid); err != nil {
			return nil, err
		}
		args = append(args, "-c", "ssl=on", "-c", "ssl_cert_file="+p.CAFile, "-c", "ssl_key_file="+keyFile)
	} else {
		args = append(args, "-c", "ssl=off")
	}
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	// Not bound to ctx: the server outlives the start-up call and Stop ends it.
	cmd := p.command(context.Background(), filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if p.proc, err = start(cmd); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	if err := waitTCP(ctx, p.Port, p.proc.exited); err != nil {
		log, _ := os.ReadFile(logf.Name())
		return nil, fmt.Errorf("postgres did not start: %v: %s", err, log)
	}
	// Accepting TCP is not accepting logins: wait until recovery is done.
	deadline := time.Now().Add(20 * time.Second)
	for exec.CommandContext(ctx, filepath.Join(bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(p.Port)).Run() != nil {
		if time.Now().After(deadline) {
			return nil, errors.New("postgres did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p, nil
}

// URL is a connection URL to this server's postgres database.
func (p *Postgres) URL(user, password, host, params string) string {
	u := fmt.Sprintf("postgres://%s:%s@%s:%d/postgres", user, password, host, p.Port)
	if params != "" {
		u += "?" + params
	}
	return u
}

// SocketDir is the directory of the server's unix socket.
func (p *Postgres) SocketDir() string { return p.dir }

// Stop shuts the server down (fast shutdown) and removes its directory.
func (p *Postgres) Stop() {
	if p == nil {
		return
	}
	p.proc.stop(syscall.SIGINT) // fast shutdown
	_ = os.RemoveAll(p.dir)
}

func (p *Postgres) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	if p.asUser != "" {
		return exec.CommandContext(ctx, "runuser", append([]string{"-u", p.asUser, "--", name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}

func chownAll(dir string, uid, gid int) error {
	if uid < 0 {
		return nil
	}
	return filepath.Walk(dir, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
}

// proc is a started server process; exited closes when it has been reaped.
type proc struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

func start(cmd *exec.Cmd) (*proc, error) {
	// Its own process group, so a signal reaches the server behind runuser.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	return p, nil
}

// stop sends sig and waits up to 10 s before killing.
func (p *proc) stop(sig syscall.Signal) {
	if p == nil {
		return
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, sig)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.exited
	}
}

// waitTCP waits until something accepts on 127.0.0.1:port, or the process exits.
func waitTCP(ctx context.Context, port int, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			return errors.New("process exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// selfSigned returns a PEM certificate and PKCS#8 key for cn, 127.0.0.1 and ::1.
func selfSigned(cn string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     []string{cn},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	k, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k}), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// PebbleVersion is the pebble release the tests run.
const PebbleVersion = "v2.10.3"

// Pebble is a running pebble ACME server.
type Pebble struct {
	// DirectoryURL is https://127.0.0.1:<port>/dir.
	DirectoryURL string
	Port         int
	// CAFile is pebble's test CA (pebble.minica.pem), which signed its
	// listener certificate.
	CAFile string
	dir    string
	proc   *proc
}

// PebbleBinary finds pebble on PATH or in $(go env GOPATH)/bin.
func PebbleBinary() (string, error) {
	if p, err := gotool.Find("pebble"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("pebble (go install github.com/letsencrypt/pebble/v2/cmd/pebble@%s): %w", PebbleVersion, ErrMissing)
}

// pebbleSource is the module directory holding pebble's test certificates.
func pebbleSource(ctx context.Context, tmp string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", "github.com/letsencrypt/pebble/v2@"+PebbleVersion)
	cmd.Dir = tmp // outside any module: never touches a go.mod
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download pebble %s (its test certificates): %v: %w", PebbleVersion, err, ErrMissing)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go mod download pebble: no Dir in %s", out)
	}
	return m.Dir, nil
}

// StartPebble starts pebble on 127.0.0.1 at a free port with its own test
// certificates and waits until it serves.
func StartPebble(ctx context.Context) (_ *Pebble, err error) {
	bin, err := PebbleBinary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "certgate-pebble-")
	if err != nil {
		return nil, err
	}
	p := &Pebble{dir: dir}
	defer func() {
		if err != nil {
			p.Stop()
		}
	}()
	src, err := pebbleSource(ctx, dir)
	if err != nil {
		return nil, err
	}
	p.CAFile = filepath.Join(src, "test", "certs", "pebble.minica.pem")
	mgmt, err := FreePort()
	if err != nil {
		return nil, err
	}
	if p.Port, err = FreePort(); err != nil {
		return nil, err
	}
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  fmt.Sprintf("127.0.0.1:%d", p.Port),
		"managementListenAddress":        fmt.Sprintf("127.0.0.1:%d", mgmt),
		"certificate":                    filepath.Join(src, "test", "certs", "localhost", "cert.pem"),
		"privateKey":                     filepath.Join(src, "test", "certs", "localhost", "key.pem"),
		"httpPort":                       5002,
		"tlsPort":                        5001,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
	}}
	b, _ := json.Marshal(cfg)
	cfgFile := filepath.Join(dir, "pebble-config.json")
	if err := os.WriteFile(cfgFile, b, 0o600); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "pebble.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "-config", cfgFile)
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1")
	cmd.Stdout, cmd.Stderr = logf, logf
	if p.proc, err = start(cmd); err != nil {
		return nil, fmt.Errorf("start pebble: %w", err)
	}
	if err := waitTCP(ctx, p.Port, p.proc.exited); err != nil {
		log, _ := os.ReadFile(logf.Name())
		return nil, fmt.Errorf("pebble did not start: %v: %s", err, log)
	}
	p.DirectoryURL = fmt.Sprintf("https://127.0.0.1:%d/dir", p.Port)
	return p, nil
}

// Stop ends pebble and removes its directory.
func (p *Pebble) Stop() {
	if p == nil {
		return
	}
	p.proc.stop(syscall.SIGTERM)
	_ = os.RemoveAll(p.dir)
}
