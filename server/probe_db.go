package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/certgate/certgate/lint/redact"
)

// DatabaseProbe connects to certctl's database with the connection certctl's
// driver, lib/pq v1.10.9, would make: CERTCTL_DATABASE_URL (certctl's default
// postgres://localhost/certctl when empty) and the PG* variables resolved as
// lib/pq resolves them, the same sslmode semantics (no sslmode is require,
// which never falls back to plaintext), every parameter lib/pq does not know
// sent to the server as a setting. It records (input.probes.db): variable,
// default_url, host, port, sslmode, sslmode_from, unix_socket, driver_error,
// panic_vars, tls_refused, reachable, sqlstate, error, tls, superuser,
// server_version, latency_ms. The password never appears in any of them.
type DatabaseProbe struct {
	// LookupFunc, when set, resolves host names instead of the system resolver
	// (pgconn.Config.LookupFunc); tests map a remote-looking name to 127.0.0.1.
	LookupFunc pgconn.LookupFunc
}

// Name is "db".
func (*DatabaseProbe) Name() string { return "db" }

// DatabaseURLVar is the variable certctl reads its connection string from.
const DatabaseURLVar = "CERTCTL_DATABASE_URL"

// DefaultDatabaseURL is what certctl connects to when CERTCTL_DATABASE_URL is
// empty or unset.
const DefaultDatabaseURL = "postgres://localhost/certctl"

// DatabaseURL returns CERTCTL_DATABASE_URL as certctl uses it: the literal
// $(POSTGRES_PASSWORD) is replaced by POSTGRES_PASSWORD when that is non-empty.
// It is "" when the variable is empty or unset (certctl then uses
// DefaultDatabaseURL).
func DatabaseURL(get func(string) string) string {
	u := get(DatabaseURLVar)
	if pw := get("POSTGRES_PASSWORD"); pw != "" {
		u = strings.ReplaceAll(u, "$(POSTGRES_PASSWORD)", pw)
	}
	return u
}

// PQPanicVars are the variables whose mere presence in the environment (even
// empty) makes lib/pq v1.10.9 panic ("setting PGSYSCONFDIR not supported")
// when certctl opens its first connection.
var PQPanicVars = []string{
	"PGHOSTADDR", "PGSERVICE", "PGSERVICEFILE", "PGREALM", "PGREQUIRESSL", "PGSSLCRL",
	"PGREQUIREPEER", "PGKRBSRVNAME", "PGGSSLIB", "PGSYSCONFDIR", "PGLOCALEDIR",
}

// pqEnvKeys are the PG* variables lib/pq v1.10.9 reads as connection defaults
// (below the connection string), and the setting each one feeds.
var pqEnvKeys = map[string]string{
	"PGHOST": "host", "PGPORT": "port", "PGDATABASE": "dbname", "PGUSER": "user",
	"PGPASSWORD": "password", "PGOPTIONS": "options", "PGAPPNAME": "application_name",
	"PGSSLMODE": "sslmode", "PGSSLCERT": "sslcert", "PGSSLKEY": "sslkey",
	"PGSSLROOTCERT": "sslrootcert", "PGSSLSNI": "sslsni", "PGCONNECT_TIMEOUT": "connect_timeout",
	"PGCLIENTENCODING": "client_encoding", "PGDATESTYLE": "datestyle", "PGTZ": "timezone",
	"PGGEQO": "geqo",
}

// pqDriverSetting reports whether lib/pq v1.10.9 keeps a setting for itself
// (isDriverSetting); every other setting goes to the server in the startup
// packet, which rejects names that are not server settings.
func pqDriverSetting(key string) bool {
	switch key {
	case "host", "port", "password", "sslmode", "sslcert", "sslkey", "sslrootcert", "sslinline", "sslsni",
		"fallback_application_name", "connect_timeout", "disable_prepared_binary_result", "binary_parameters",
		"krbsrvname", "krbspn":
		return true
	}
	return false
}

// pqConfig is a connection as lib/pq resolves it: its settings and where each
// came from (the URL variable, a PG* variable, or "default").
type pqConfig struct {
	opts   map[string]string
	source map[string]string
}

// pqError is a refusal of lib/pq before it talks to the server.
type pqError struct{ msg string }

func (e *pqError) Error() string { return e.msg }

func pqErrorf(format string, args ...any) error { return &pqError{fmt.Sprintf(format, args...)} }

// resolvePQ resolves the connection lib/pq v1.10.9 makes for dsn with the
// variables vars (NewConnector, then the checks of Connector.open that
// precede the first byte to the server). osUser is the operating system user,
// lib/pq's last resort for the user name.
func resolvePQ(dsn string, vars map[string]string, osUser func() (string, error)) (*pqConfig, error) {
	if p := presentPanicVars(vars); len(p) > 0 {
		return nil, pqErrorf("%s set: lib/pq panics (setting %s not supported)", strings.Join(p, ", "), p[0])
	}
	c := &pqConfig{opts: map[string]string{"host": "localhost", "port": "5432", "extra_float_digits": "2"}, source: map[string]string{}}
	for name, key := range pqEnvKeys {
		if v, ok := vars[name]; ok {
			c.opts[key], c.source[key] = v, name
		}
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		kv, err := pqParseURL(dsn)
		if err != nil {
			return nil, err
		}
		dsn = kv
	}
	given := map[string]string{}
	if err := pqParseOpts(dsn, given); err != nil {
		return nil, err
	}
	for k, v := range given {
		c.opts[k], c.source[k] = v, DatabaseURLVar
	}
	o := c.opts
	if fb, ok := o["fallback_application_name"]; ok {
		if _, ok := o["application_name"]; !ok {
			o["application_name"], c.source["application_name"] = fb, c.source["fallback_application_name"]
		}
	}
	if enc, ok := o["client_encoding"]; ok && !pqIsUTF8(enc) {
		return nil, pqErrorf("client_encoding (from %s) must be absent or 'UTF8'", c.source["client_encoding"])
	}
	o["client_encoding"] = "UTF8"
	if ds, ok := o["datestyle"]; ok {
		if ds != "ISO, MDY" {
			return nil, pqErrorf("datestyle (from %s) must be absent or ISO, MDY; got %q", c.source["datestyle"], ds)
		}
	} else {
		o["datestyle"] = "ISO, MDY"
	}
	if _, ok := o["user"]; !ok {
		u, err := osUser()
		if err != nil {
			return nil, pqErrorf("no user in the connection settings and the operating system user is unknown: %v", err)
		}
		o["user"], c.source["user"] = u, "default"
	}
	if strings.HasPrefix(o["host"], "/") {
		o["sslmode"], c.source["sslmode"] = "disable", "default" // lib/pq: no TLS over unix sockets
	}
	for _, key := range []string{"disable_prepared_binary_result", "binary_parameters"} {
		if v, ok := o[key]; ok && v != "yes" && v != "no" {
			return nil, pqErrorf("unrecognized value %q for %s (want yes or no)", v, key)
		}
	}
	if t, ok := o["connect_timeout"]; ok && t != "0" {
		if _, err := strconv.ParseInt(t, 10, 0); err != nil {
			return nil, pqErrorf("invalid value %q for parameter connect_timeout (from %s): not an integer number of seconds", t, c.source["connect_timeout"])
		}
	}
	switch m := o["sslmode"]; m {
	case "", "require", "verify-ca", "verify-full", "disable":
	default:
		return nil, pqErrorf(`unsupported sslmode %q (from %s); only "require" (default), "verify-full", "verify-ca", and "disable" supported`, m, c.source["sslmode"])
	}
	if strings.Contains(o["host"], ",") {
		return nil, pqErrorf("host %q (from %s) is a host list: lib/pq dials it as one name, which never resolves; certctl connects to one host only", o["host"], c.source["host"])
	}
	if !strings.HasPrefix(o["host"], "/") {
		if p, err := strconv.ParseUint(o["port"], 10, 16); err != nil || p == 0 {
			return nil, pqErrorf("port %q (from %s) is not a TCP port", o["port"], c.source["port"])
		}
	}
	return c, nil
}

// presentPanicVars are the PQPanicVars present in vars, sorted.
func presentPanicVars(vars map[string]string) []string {
	var out []string
	for _, n := range PQPanicVars {
		if _, ok := vars[n]; ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// pqParseURL is lib/pq v1.10.9's ParseURL: a postgres:// URL as key=value
// settings (empty values dropped, the first value of each query parameter).
// Errors never quote the URL.
func pqParseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", pqErrorf("%s", unquote(err.Error()))
	}
	var kvs []string
	esc := strings.NewReplacer(`'`, `\'`, `\`, `\\`)
	accrue := func(k, v string) {
		if v != "" {
			kvs = append(kvs, k+"='"+esc.Replace(v)+"'")
		}
	}
	if u.User != nil {
		accrue("user", u.User.Username())
		pw, _ := u.User.Password()
		accrue("password", pw)
	}
	if host, port, err := net.SplitHostPort(u.Host); err != nil {
		accrue("host", u.Host)
	} else {
		accrue("host", host)
		accrue("port", port)
	}
	if u.Path != "" {
		accrue("dbname", u.Path[1:])
	}
	q := u.Query()
	for k := range q {
		accrue(k, q.Get(k))
	}
	sort.Strings(kvs)
	return strings.Join(kvs, " "), nil
}

// pqParseOpts is lib/pq v1.10.9's parseOpts (libpq's conninfo_parse):
// key=value pairs, values optionally single-quoted with backslash escapes.
// Errors never quote keys or values (they may be secrets).
func pqParseOpts(name string, o map[string]string) error {
	s := []rune(name)
	i := 0
	next := func() (rune, bool) {
		if i >= len(s) {
			return 0, false
		}
		i++
		return s[i-1], true
	}
	skip := func() (rune, bool) {
		r, ok := next()
		for unicode.IsSpace(r) && ok {
			r, ok = next()
		}
		return r, ok
	}
	for {
		var key, val []rune
		r, ok := skip()
		if !ok {
			return nil
		}
		for !unicode.IsSpace(r) && r != '=' {
			key = append(key, r)
			if r, ok = next(); !ok {
				break
			}
		}
		if r != '=' {
			r, ok = skip()
		}
		if r != '=' || !ok {
			return pqErrorf(`missing "=" after a key in the connection string (key=value form)`)
		}
		if r, ok = skip(); !ok {
			o[string(key)] = ""
			return nil
		}
		if r != '\'' {
			for !unicode.IsSpace(r) {
				if r == '\\' {
					if r, ok = next(); !ok {
						return pqErrorf("missing character after backslash in the connection string")
					}
				}
				val = append(val, r)
				if r, ok = next(); !ok {
					break
				}
			}
		} else {
		quote:
			for {
				if r, ok = next(); !ok {
					return pqErrorf("unterminated quoted string literal in the connection string")
				}
				switch r {
				case '\'':
					break quote
				case '\\':
					r, _ = next()
					fallthrough
				default:
					val = append(val, r)
				}
			}
		}
		o[string(key)] = string(val)
	}
}

func pqIsUTF8(name string) bool {
	s := strings.Map(func(ch rune) rune {
		if 'A' <= ch && ch <= 'Z' {
			return ch + ('a' - 'A')
		}
		if 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' {
			return ch
		}
		return -1
	}, name)
	return s == "utf8" || s == "unicode"
}

// quoted matches a double-quoted fragment of an error message.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// unquote drops quoted fragments from a parser's error: they are pieces of
// the connection string and may hold the password.
func unquote(s string) string { return quoted.ReplaceAllString(s, `"…"`) }

// pqTLS is the TLS configuration lib/pq v1.10.9 uses for o (ssl()); nil for
// sslmode=disable. Like lib/pq it never falls back to plaintext: a server
// without TLS fails the connection.
func pqTLS(o map[string]string, home string) (*tls.Config, error) {
	cfg := &tls.Config{}
	verifyCAOnly := false
	switch o["sslmode"] {
	case "", "require":
		cfg.InsecureSkipVerify = true
		if rc, ok := o["sslrootcert"]; ok {
			if _, err := os.Stat(rc); err == nil {
				verifyCAOnly = true
			} else {
				delete(o, "sslrootcert")
			}
		}
	case "verify-ca":
		cfg.InsecureSkipVerify = true
		verifyCAOnly = true
	case "verify-full":
		cfg.ServerName = o["host"]
	case "disable":
		return nil, nil
	}
	if sni := o["sslsni"]; sni == "" || strings.HasPrefix(sni, "1") {
		cfg.ServerName = o["host"]
	}
	if o["sslinline"] == "true" {
		cert, err := tls.X509KeyPair([]byte(o["sslcert"]), []byte(o["sslkey"]))
		if err != nil {
			return nil, pqErrorf("sslinline: the client certificate and key do not load: %v", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	} else if err := pqClientCert(cfg, o, home); err != nil {
		return nil, err
	}
	if rc := o["sslrootcert"]; rc != "" {
		cfg.RootCAs = x509.NewCertPool()
		pem := []byte(rc)
		if o["sslinline"] != "true" {
			var err error
			if pem, err = os.ReadFile(rc); err != nil {
				return nil, pqErrorf("sslrootcert: %v", err)
			}
		}
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, pqErrorf("couldn't parse pem in sslrootcert")
		}
	}
	cfg.Renegotiation = tls.RenegotiateFreelyAsClient
	if verifyCAOnly {
		roots := cfg.RootCAs
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the server sent no certificate")
			}
			opts := x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: x509.NewCertPool(), Roots: roots}
			for _, c := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(opts)
			return err
		}
	}
	return cfg, nil
}

// pqClientCert loads sslcert/sslkey, defaulting to ~/.postgresql/postgresql.crt
// and .key as lib/pq does; a certificate file that does not exist is ignored.
func pqClientCert(cfg *tls.Config, o map[string]string, home string) error {
	cert := o["sslcert"]
	if cert == "" && home != "" {
		cert = filepath.Join(home, ".postgresql", "postgresql.crt")
	}
	if cert == "" {
		return nil
	}
	if _, err := os.Stat(cert); os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return pqErrorf("sslcert: %v", err)
	}
	key := o["sslkey"]
	if key == "" && home != "" {
		key = filepath.Join(home, ".postgresql", "postgresql.key")
	}
	if key != "" {
		fi, err := os.Stat(key)
		if err != nil {
			return pqErrorf("sslkey: %v", err)
		}
		if !pqKeyPermsOK(fi) {
			return pqErrorf("sslkey %s: private key file has group or world access; permissions should be u=rw (0600) or less (u=rw,g=r (0640) when owned by root)", key)
		}
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return pqErrorf("sslcert/sslkey do not load: %v", err)
	}
	cfg.Certificates = []tls.Certificate{pair}
	return nil
}

// pqKeyPermsOK is lib/pq's hasCorrectPermissions: at most 0600, or 0640 for
// a file owned by root.
func pqKeyPermsOK(fi os.FileInfo) bool {
	perm := fi.Mode().Perm()
	if perm&0o177 == 0 {
		return true
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Uid == 0 && perm&0o137 == 0
}

// pqPassword is the password lib/pq finds in the pgpass file when the
// settings carry none (handlePgpass): PGPASSFILE, else $HOME/.pgpass, ignored
// when its mode has any bit of 0x77 set (lib/pq's mask, as written).
func pqPassword(o map[string]string, vars map[string]string, home string) {
	if _, ok := o["password"]; ok {
		return
	}
	name := vars["PGPASSFILE"]
	if name == "" {
		if home == "" {
			return
		}
		name = filepath.Join(home, ".pgpass")
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Mode()&0x77 != 0 {
		return
	}
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	unix := strings.HasPrefix(o["host"], "/")
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fs := pgpassFields(line)
		if len(fs) != 5 {
			continue
		}
		match := func(f, v string) bool { return f == "*" || f == v }
		if (match(fs[0], o["host"]) || fs[0] == "localhost" && (o["host"] == "" || unix)) &&
			match(fs[1], o["port"]) && match(fs[2], o["dbname"]) && match(fs[3], o["user"]) {
			o["password"] = fs[4]
			return
		}
	}
}

func pgpassFields(s string) []string {
	var fs []string
	var f []rune
	esc := false
	for _, c := range s {
		switch {
		case esc:
			f, esc = append(f, c), false
		case c == '\\':
			esc = true
		case c == ':':
			fs, f = append(fs, string(f)), f[:0]
		default:
			f = append(f, c)
		}
	}
	return append(fs, string(f))
}

// osUserName is lib/pq's userCurrent: the operating system user, else $USER.
func osUserName() (string, error) {
	if u, err := user.Current(); err == nil {
		return u.Username, nil
	}
	if n := os.Getenv("USER"); n != "" {
		return n, nil
	}
	return "", errors.New("could not detect the operating system user name")
}

// homeDir is the home directory lib/pq looks in for client certificates and
// .pgpass.
func homeDir() string {
	if u, err := user.Current(); err == nil {
		return u.HomeDir
	}
	return os.Getenv("HOME")
}

// pgxBase is a configuration built by pgx's parser (pgx insists on it), from
// a string that names every setting the probe then overrides.
func pgxBase() (*pgx.ConnConfig, error) {
	return pgx.ParseConfig("host=localhost port=5432 user=certgate dbname=certgate sslmode=disable")
}

// pgxConfig is the pgx configuration that makes lib/pq's connection: the
// resolved host, port, user, database, password and TLS, no fallbacks, every
// setting lib/pq does not keep for itself sent as a run-time parameter.
func pgxConfig(c *pqConfig, tlsCfg *tls.Config) (*pgx.ConnConfig, error) {
	base, err := pgxBase()
	if err != nil {
		return nil, fmt.Errorf("pgx configuration: %w", err)
	}
	cfg := base.Copy()
	o := c.opts
	cc := &cfg.Config
	cc.Host = o["host"]
	if cc.Host == "" {
		cc.Host = "localhost" // lib/pq dials ":port": this machine
	}
	if !strings.HasPrefix(cc.Host, "/") {
		p, _ := strconv.ParseUint(o["port"], 10, 16)
		cc.Port = uint16(p)
	} else if p, err := strconv.ParseUint(o["port"], 10, 16); err == nil {
		cc.Port = uint16(p)
	}
	cc.User, cc.Database, cc.Password = o["user"], o["dbname"], o["password"]
	cc.TLSConfig = tlsCfg
	cc.Fallbacks = nil
	cc.ValidateConnect, cc.AfterConnect = nil, nil
	cc.ChannelBinding = "disable" // lib/pq speaks SCRAM-SHA-256 without channel binding
	cc.RequireAuth = ""
	cc.KerberosSrvName, cc.KerberosSpn = o["krbsrvname"], o["krbspn"]
	cc.ConnectTimeout = 0
	if t, err := strconv.ParseInt(o["connect_timeout"], 10, 0); err == nil && t > 0 {
		cc.ConnectTimeout = time.Duration(t) * time.Second
	}
	cc.RuntimeParams = map[string]string{}
	for k, v := range o {
		if pqDriverSetting(k) || k == "user" || k == "dbname" {
			continue
		}
		cc.RuntimeParams[k] = v
	}
	return cfg, nil
}

// Probe implements Probe.
func (p *DatabaseProbe) Probe(ctx context.Context, env *ProbeEnv) *ProbeResult {
	facts := map[string]any{"variable": DatabaseURLVar, "configured": true, "default_url": false}
	res := &ProbeResult{Facts: facts}
	dsn := DatabaseURL(env.Get)
	if dsn == "" {
		dsn = DefaultDatabaseURL
		facts["default_url"] = true
	}
	secrets := append([]string{env.Get("POSTGRES_PASSWORD"), env.Get("PGPASSWORD")}, redact.URLSecrets(dsn)...)
	if pv := presentPanicVars(env.Vars); len(pv) > 0 {
		facts["panic_vars"] = pv
	}
	c, err := resolvePQ(dsn, env.Vars, osUserName)
	if err != nil {
		facts["driver_error"] = scrub(err.Error(), secrets)
		res.Error = "lib/pq refuses the connection settings"
		return res
	}
	o := c.opts
	secrets = append(secrets, o["password"])
	facts["host"] = o["host"]
	facts["port"] = o["port"]
	if n, err := strconv.Atoi(o["port"]); err == nil {
		facts["port"] = n
	}
	facts["unix_socket"] = strings.HasPrefix(o["host"], "/")
	mode := o["sslmode"]
	if mode == "" {
		mode = "require"
	}
	facts["sslmode"] = mode
	facts["sslmode_from"] = cmpOr(c.source["sslmode"], "default")
	home := homeDir()
	pqPassword(o, env.Vars, home)
	secrets = append(secrets, o["password"])
	tlsCfg, err := pqTLS(o, home)
	if err != nil {
		facts["driver_error"] = scrub(err.Error(), secrets)
		res.Error = "lib/pq refuses the connection settings"
		return res
	}
	cfg, err := pgxConfig(c, tlsCfg)
	if err != nil {
		res.Error = scrub(err.Error(), secrets)
		return res
	}
	if p.LookupFunc != nil {
		cfg.LookupFunc = p.LookupFunc
	}
	start := time.Now()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	res.Latency = time.Since(start)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			facts["sqlstate"] = pgErr.Code
		}
		if tlsCfg != nil && strings.Contains(err.Error(), "server refused TLS connection") {
			facts["tls_refused"] = true
		}
		res.Error = oneLine(scrub(err.Error(), secrets))
		return res
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res.Reachable = true
	facts["server_version"] = conn.PgConn().ParameterStatus("server_version")
	var ssl, super bool
	// One simple-protocol round trip: no statement to prepare on a probe.
	q := `select coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false), current_setting('is_superuser') = 'on'`
	if err := conn.QueryRow(ctx, q, pgx.QueryExecModeSimpleProtocol).Scan(&ssl, &super); err != nil {
		res.Error = "query pg_stat_ssl and is_superuser: " + scrub(err.Error(), secrets)
		res.Reachable = false
		return res
	}
	res.TLS = boolPtr(ssl)
	res.Latency = time.Since(start) // connect and query, as the server's first use
	facts["superuser"] = super
	return res
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// scrub removes URL credentials, password parameters and secrets from s
// (the shared redaction step).
func scrub(s string, secrets []string) string {
	return redact.Secrets(redact.String(s), secrets...)
}

// oneLine folds pgx's multi-line connect errors (one line per address tried,
// often repeated) into one line without the repeats, for logs and messages.
func oneLine(s string) string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		parts = append(parts, strings.TrimSuffix(l, ":"))
	}
	return strings.Join(parts, ": ")
}
