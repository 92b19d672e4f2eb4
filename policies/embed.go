// Package policies embeds certgate's built-in Rego catalog.
//
// Every rule lives in its own package under data.certgate (one directory per rule
// ID), carries package-scope METADATA (title, description, custom.id,
// custom.severity, custom.remediation, custom.docs) and has a _test.rego file
// beside it. Helpers shared by the rules live in data.certgate.lib. Test files
// are embedded too so that tooling can run them, but the engine never evaluates
// them.
package policies

import "embed"

// FS holds every .rego file of the catalog, tests included.
//
//go:embed */*.rego
var FS embed.FS
