// Package lint is certgate's evaluator: it compiles the Rego catalog once into an
// Engine, evaluates an Input document (files, environments, manifests, compose
// projects) with one prepared query, turns each raw result into a Finding located at
// file:line:column, and returns a deterministic Report.
//
// The package imports only OPA and yaml.v3. Loaders that turn sources into Input
// parts live in sub-packages (lint/envvar, lint/compose, lint/helm, lint/kube) and
// writers in lint/format.
//
// An Engine is safe for concurrent use: each Eval converts its own input.
package lint
