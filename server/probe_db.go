package server

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DatabaseProbe connects to the database named by CERTCTL_DATABASE_URL, the way
// certctl does, and records (input.probes.db): configured, parse_error, host,
// port, reachable, sqlstate, error, tls, superuser, server_version, latency_ms.
// The password never appears in any of them.
type DatabaseProbe struct {
	// LookupFunc, when set, resolves host names instead of the system resolver
	// (pgconn.Config.LookupFunc); tests map a remote-looking name to 127.0.0.1.
	LookupFunc pgconn.LookupFunc
}

// Name is "db".
func (*DatabaseProbe) Name() string { return "db" }

// DatabaseURLVar is the variable certctl reads its connection string from.
const DatabaseURLVar = "CERTCTL_DATABASE_URL"

// DatabaseURL returns CERTCTL_DATABASE_URL as certctl uses it: the literal
// $(POSTGRES_PASSWORD) is replaced by POSTGRES_PASSWORD when that is non-empty.
func DatabaseURL(get func(string) string) string {
	u := get(DatabaseURLVar)
	if pw := get("POSTGRES_PASSWORD"); pw != "" {
		u = strings.ReplaceAll(u, "$(POSTGRES_PASSWORD)", pw)
	}
	return u
}

// Probe implements Probe.
func (p *DatabaseProbe) Probe(ctx context.Context, env *ProbeEnv) *ProbeResult {
	facts := map[string]any{"variable": DatabaseURLVar, "configured": false}
	res := &ProbeResult{Facts: facts}
	connString := DatabaseURL(env.Get)
	if connString == "" {
		res.Error = DatabaseURLVar + " is not set (or only known at run time)"
		return res
	}
	facts["configured"] = true
	secrets := []string{env.Get("POSTGRES_PASSWORD")}
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		facts["parse_error"] = parseErrorReason(err, connString, secrets)
		res.Error = DatabaseURLVar + " does not parse"
		return res
	}
	secrets = append(secrets, cfg.Password)
	facts["host"] = cfg.Host
	facts["port"] = int(cfg.Port)
	facts["unix_socket"] = strings.HasPrefix(cfg.Host, "/")
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
		res.Error = oneLine(redact(err.Error(), secrets))
		return res
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res.Reachable = true
	facts["server_version"] = conn.PgConn().ParameterStatus("server_version")
	var ssl, super bool
	// One simple-protocol round trip: no statement to prepare on a probe.
	q := `select coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false), current_setting('is_superuser') = 'on'`
	if err := conn.QueryRow(ctx, q, pgx.QueryExecModeSimpleProtocol).Scan(&ssl, &super); err != nil {
		res.Error = "query pg_stat_ssl and is_superuser: " + redact(err.Error(), secrets)
		res.Reachable = false
		return res
	}
	res.TLS = boolPtr(ssl)
	res.Latency = time.Since(start) // connect and query, as the server's first use
	facts["superuser"] = super
	return res
}

// userinfo matches the credentials part of a URL.
var userinfo = regexp.MustCompile(`//[^/@\s]*@`)

// parseErrorReason is why pgx rejected the connection string, without the
// string itself: pgx's own redaction is best effort on invalid input.
func parseErrorReason(err error, connString string, secrets []string) string {
	for {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
			continue
		}
		var pe *pgconn.ParseConfigError
		if errors.As(err, &pe) && errors.Unwrap(pe) != nil {
			err = errors.Unwrap(pe)
			continue
		}
		break
	}
	msg := err.Error()
	if pe := (*pgconn.ParseConfigError)(nil); errors.As(err, &pe) {
		// No inner error: the message embeds the redacted string; keep only the reason.
		if _, after, ok := strings.Cut(msg, "`: "); ok {
			msg = after
		}
	}
	return redact(strings.ReplaceAll(msg, connString, "<"+DatabaseURLVar+">"), secrets)
}

// redact removes secrets and any URL credentials from s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
	}
	return userinfo.ReplaceAllString(s, "//xxxxx@")
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
