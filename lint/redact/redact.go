// Package redact removes credentials from text before it reaches a message, a
// probe result, an error or a log: the userinfo of URLs
// (postgres://user:password@host), password parameters (password=...,
// sslpassword=..., in a URL query or a keyword/value DSN) and query tokens
// (token, access_token, key, api_key, secret, sig, X-Amz-Signature, ...).
// It is the one redaction step of certgate: the evaluator passes every finding
// message through String, and the live probes every error and fact they record.
//
// Redaction is conservative: it replaces the whole userinfo (a user name can be
// a token) and the whole value of a parameter whose name looks like a
// credential, whether or not the text parses as a URL.
package redact

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Mask replaces every redacted credential.
const Mask = "xxxxx"

// userinfo is the authority's credentials: from "//" to the last "@" before
// whitespace or a quote. Not only to the path: a user name may be printed
// unescaped (net/http's errors do), holding "/", "?", "#" or "@" itself, and
// masking a path with an "@" in it costs less than a credential.
var userinfo = regexp.MustCompile("//[^\\s\"'`<>]*@")

// param is a name=value pair: a query parameter, a fragment parameter or a
// keyword/value DSN setting. The name is checked by secretName; the value is
// a quoted value (a DSN's '...' with \' escapes, or "...") or runs to the next
// separator.
var param = regexp.MustCompile(`([A-Za-z0-9_.\-]+)[ \t]*=[ \t]*('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^&#\s"'\x60]*)`)

// secretWords are parameter names, and the last word of longer names
// (access_token, X-Amz-Signature, CERTCTL_AUTH_SECRET), that hold credentials.
var secretWords = []string{
	"password", "passwd", "pwd", "pass", "passphrase", "sslpassword",
	"secret", "token", "key", "apikey", "sig", "signature",
	"credential", "credentials", "auth", "authorization", "session",
}

// notSecret are names ending in a secret word that hold no credential.
var notSecret = []string{"sslkey"}

// secretName reports whether a parameter named name holds a credential.
func secretName(name string) bool {
	n := strings.ToLower(name)
	if slices.Contains(notSecret, n) {
		return false
	}
	for _, w := range secretWords {
		if n == w {
			return true
		}
		if strings.HasSuffix(n, w) && len(n) > len(w) {
			if c := n[len(n)-len(w)-1]; c == '_' || c == '-' || c == '.' {
				return true
			}
		}
	}
	return false
}

// String returns s with URL userinfo and the values of credential parameters
// replaced by Mask.
func String(s string) string {
	if s == "" {
		return s
	}
	if strings.Contains(s, "//") && strings.Contains(s, "@") {
		s = userinfo.ReplaceAllString(s, "//"+Mask+"@")
	}
	if !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	last := 0
	secretParams(s, func(start, end int) {
		b.WriteString(s[last:start])
		b.WriteString(Mask)
		last = end
	})
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// secretParams calls fn with the bounds of the value of every credential
// parameter of s, in order. Scanning resumes after the "=" of any other
// parameter, so the value of an innocent parameter never hides a secret one
// (a user name printed unescaped may hold "x=...?token=...").
func secretParams(s string, fn func(start, end int)) {
	for pos := 0; pos < len(s); {
		m := param.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			return
		}
		for i := range m {
			m[i] += pos
		}
		// The name must start the parameter: at the start of the text or
		// after a separator (?, &, ;, #, space, quote, bracket, comma, ...).
		if (m[2] > 0 && !boundary(s[m[2]-1])) || !secretName(s[m[2]:m[3]]) || m[4] == m[5] {
			pos = m[4]
			continue
		}
		fn(m[4], m[5])
		pos = m[5]
	}
}

func boundary(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return false
	case c == '_' || c == '.' || c == '-' || c == '%':
		return false
	}
	return true
}

// Secrets returns s with every non-empty secret replaced by Mask, longest
// first (so a secret that contains another is masked whole).
func Secrets(s string, secrets ...string) string {
	secrets = slices.DeleteFunc(slices.Clone(secrets), func(x string) bool { return x == "" })
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, Mask)
	}
	return s
}

// URLSecrets are the credentials of a URL or DSN, as written and decoded: the
// user name and password of its userinfo and the values of its credential
// parameters. Callers pass them to Secrets for text that may quote them in
// another form than the URL (a driver's error, a decoded value).
func URLSecrets(raw string) []string {
	var out []string
	add := func(v string) {
		if v == "" {
			return
		}
		out = append(out, v)
		if d, err := url.PathUnescape(v); err == nil && d != v {
			out = append(out, d)
		}
		if d, err := url.QueryUnescape(v); err == nil && d != v {
			out = append(out, d)
		}
		if e := url.QueryEscape(v); e != v {
			out = append(out, e)
		}
	}
	if i := strings.Index(raw, "//"); i >= 0 {
		auth := raw[i+2:]
		if j := strings.IndexAny(auth, "/?#"); j >= 0 {
			auth = auth[:j]
		}
		if at := strings.LastIndex(auth, "@"); at >= 0 {
			user, pass, _ := strings.Cut(auth[:at], ":")
			add(user)
			add(pass)
		}
	}
	secretParams(raw, func(start, end int) {
		v := raw[start:end]
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
			add(strings.ReplaceAll(v[1:len(v)-1], `\`+v[:1], v[:1]))
		}
		add(v)
	})
	return out
}
