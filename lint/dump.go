package lint

import (
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Document returns the input exactly as the policies see it, as a JSON-shaped
// value: the same conversion Engine.Eval evaluates, so a plain OPA given this
// document (certgate lint --dump-input, the OPA bundle) judges what certgate
// judges.
func (in *Input) Document() (any, error) {
	v, err := in.value()
	if err != nil {
		return nil, err
	}
	return ast.JSON(v)
}

// MarshalJSON writes Document as JSON.
func (in *Input) MarshalJSON() ([]byte, error) {
	doc, err := in.Document()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}
