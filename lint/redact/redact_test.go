package redact_test

import (
	"strings"
	"testing"

	"github.com/certgate/certgate/lint/redact"
)

func TestString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"no credentials here", "no credentials here"},
		{"https://acme.example.com/directory", "https://acme.example.com/directory"},
		{"https://user:pa55@acme.example.com/dir", "https://xxxxx@acme.example.com/dir"},
		{"https://tok3n@acme.example.com/dir", "https://xxxxx@acme.example.com/dir"},
		{"postgres://u:p@ss:w@rd@db:5432/certctl?sslmode=require", "postgres://xxxxx@db:5432/certctl?sslmode=require"},
		{`Get "https://user:***@h/dir": dial tcp`, `Get "https://xxxxx@h/dir": dial tcp`},
		{"https://h/dir?token=abc&x=1", "https://h/dir?token=xxxxx&x=1"},
		{"https://h/dir?x=1&access_token=abc#f", "https://h/dir?x=1&access_token=xxxxx#f"},
		{"https://h/dir?X-Amz-Signature=abc&X-Amz-Credential=def", "https://h/dir?X-Amz-Signature=xxxxx&X-Amz-Credential=xxxxx"},
		{"https://h/dir?sig=abc;key=def", "https://h/dir?sig=xxxxx"}, // ; is no separator: the rest goes too
		{"https://h/cb#access_token=abc&state=s", "https://h/cb#access_token=xxxxx&state=s"},
		{"postgres://db/certctl?password=abc&sslmode=require", "postgres://db/certctl?password=xxxxx&sslmode=require"},
		{"host=db user=certctl password=abc sslmode=require", "host=db user=certctl password=xxxxx sslmode=require"},
		{"host=db password='a b\\'c' port=5432", "host=db password=xxxxx port=5432"},
		{"host=db password = abc", "host=db password = xxxxx"},
		{`password="a b" x`, `password=xxxxx x`},
		{"CERTCTL_AUTH_SECRET=abc is set", "CERTCTL_AUTH_SECRET=xxxxx is set"},
		{"sslkey=/etc/key.pem sslmode=verify-full", "sslkey=/etc/key.pem sslmode=verify-full"},
		{"CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true", "CERTCTL_AGENT_BOOTSTRAP_TOKEN_DENY_EMPTY=true"},
		{"monkey=banana keyring=x", "monkey=banana keyring=x"},
		{"a user@example.com mail", "a user@example.com mail"},
		// net/http prints the user name unescaped: it may hold @, #, ? and =.
		{`Get "https://ab@#Vg=!T?x=M;k:***@127.0.0.1:1/dir?sig=X%2436": refused`, `Get "https://xxxxx@127.0.0.1:1/dir?sig=xxxxx": refused`},
		// An innocent parameter's value never hides a secret one.
		{"note=see?token=abc&x=1", "note=see?token=xxxxx&x=1"},
		{"https://h/p@q?token=abc", "https://xxxxx@q?token=xxxxx"},
	}
	for _, c := range cases {
		if got := redact.String(c.in); got != c.want {
			t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestSecretsAndURLSecrets(t *testing.T) {
	raw := "https://al%40ce:p%2Fss@h/dir?token=t%26k&x=1"
	secrets := redact.URLSecrets(raw)
	for _, want := range []string{"al%40ce", "al@ce", "p%2Fss", "p/ss", "t%26k", "t&k"} {
		found := false
		for _, s := range secrets {
			found = found || s == want
		}
		if !found {
			t.Errorf("URLSecrets(%q) = %q: lacks %q", raw, secrets, want)
		}
	}
	msg := "user al@ce with p/ss and t&k failed"
	got := redact.Secrets(msg, secrets...)
	for _, s := range []string{"al@ce", "p/ss", "t&k"} {
		if strings.Contains(got, s) {
			t.Errorf("Secrets(%q) = %q: %q left", msg, got, s)
		}
	}
	if got := redact.Secrets("abcdef abc", "abc", "abcdef", ""); got != "xxxxx xxxxx" {
		t.Errorf("longest first: got %q", got)
	}
	if s := redact.URLSecrets("host=db password='it\\'s'"); len(s) == 0 || s[0] != "it's" {
		t.Errorf("quoted DSN password: %q", s)
	}
}
