package carveout_test

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/carveout"
)

// composeInput is a compose file whose server environment sets
// CERTCTL_MAX_BODY_SIZE=10MB (an SEC-L3 error at that key's line).
func composeInput(t *testing.T, src string) *lint.Input {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Meta: lint.Meta{CertctlVersion: "2.1.0"}}
	in.AddFile(&lint.File{ID: "compose.yml", Path: "compose.yml", Kind: lint.FileCompose, Docs: []any{map[string]any{}}, Locator: lint.YAMLLocator{Docs: []*yaml.Node{&doc}}, Source: []byte(src)})
	ref := func(k string) *lint.Ref {
		return &lint.Ref{File: "compose.yml", Path: []any{"services", "server", "environment", k}}
	}
	in.Envs = []lint.Env{{ID: "server", Origin: lint.OriginComposeService, Role: lint.RoleServer, Vars: map[string]lint.Var{
		"CERTCTL_MAX_BODY_SIZE":         {Value: "10MB", Known: true, Ref: ref("CERTCTL_MAX_BODY_SIZE")},
		"CERTCTL_AGENT_BOOTSTRAP_TOKEN": {Value: "abcdefabcdefabcdefabcdefabcdef12", Known: true, Ref: ref("CERTCTL_AGENT_BOOTSTRAP_TOKEN")},
	}}}
	return in
}

const composeHead = "services:\n  server:\n    environment:\n      CERTCTL_AGENT_BOOTSTRAP_TOKEN: abcdefabcdefabcdefabcdefabcdef12\n"

// TestInlineIgnoreInYAMLString: "# certgate:ignore" written inside a YAML
// string (quoted or block scalar, on the line of the finding or on its own
// line above it) is text, not a comment: it waives nothing and is no
// carve-out. A comment beside or after such strings still counts.
func TestInlineIgnoreInYAMLString(t *testing.T) {
	const ign = "# certgate:ignore SEC-L3 until=2027-01-31 reason=x"
	inString := map[string]string{
		"double-quoted":           "      CERTCTL_MAX_BODY_SIZE: \"10MB " + ign + "\"\n",
		"single-quoted":           "      CERTCTL_MAX_BODY_SIZE: '10MB " + ign + "'\n",
		"tagged":                  "      CERTCTL_MAX_BODY_SIZE: !!str '10MB " + ign + "'\n",
		"double-quoted-multiline": "      CERTCTL_NOTE: \"see\n        " + ign + "\"\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"single-quoted-multiline": "      CERTCTL_NOTE: 'it''s\n        " + ign + "'\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"escaped-quote":           "      CERTCTL_NOTE: \"a \\\"quote\\\"\n        " + ign + "\"\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"literal":                 "      CERTCTL_NOTE: |\n        text\n        " + ign + "\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"folded":                  "      CERTCTL_NOTE: >-\n        " + ign + "\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"literal-blank-lines":     "      CERTCTL_NOTE: |\n        text\n\n        " + ign + "\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
	}
	for name, body := range inString {
		t.Run(name, func(t *testing.T) {
			r, set, err := run(t, composeInput(t, composeHead+body), carveout.Register{}, now)
			if err != nil {
				t.Fatal(err)
			}
			l3 := byRule(r, "SEC-L3")
			if len(l3) != 1 || l3[0].Carveout != nil || len(set.Carveouts()) != 0 || r.ExitCode(lint.SeverityError) != 1 {
				t.Fatalf("a string waived: SEC-L3 = %+v, carve-outs %+v", l3, set.Carveouts())
			}
		})
	}
	comments := map[string]string{
		"after-quoted":         "      CERTCTL_MAX_BODY_SIZE: \"10MB\" " + ign + "\n",
		"after-hash-in-string": "      CERTCTL_MAX_BODY_SIZE: '10MB # not a comment' " + ign + "\n",
		"block-header":         "      CERTCTL_NOTE: | " + ign + "\n        text\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"after-block":          "      CERTCTL_NOTE: |\n        text\n      " + ign + "\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
		"after-multiline":      "      CERTCTL_NOTE: \"a\n        b\" \n      " + ign + "\n      CERTCTL_MAX_BODY_SIZE: 10MB\n",
	}
	for name, body := range comments {
		t.Run(name, func(t *testing.T) {
			r, set, err := run(t, composeInput(t, composeHead+body), carveout.Register{}, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Carveouts()) != 1 {
				t.Fatalf("carve-outs %+v, want the comment", set.Carveouts())
			}
			if name == "block-header" {
				return // the comment is on the line of CERTCTL_NOTE, not of the finding
			}
			if l3 := byRule(r, "SEC-L3"); len(l3) != 1 || l3[0].Carveout == nil || r.ExitCode(lint.SeverityError) != 0 {
				t.Fatalf("the comment did not waive: SEC-L3 = %+v", l3)
			}
		})
	}
}
