package main

import (
	"github.com/certgate/certgate/lint/carveout"
	"github.com/certgate/certgate/lint/format"
	pipeline "github.com/certgate/certgate/lint/run"
)

// dump writes the Input document a run would judge (certgate lint
// --dump-input) as JSON.
func (a *app) dump(res *pipeline.Result) error {
	b, err := res.Input.MarshalJSON()
	if err != nil {
		return inputError(err)
	}
	_, err = a.out.Write(append(b, '\n'))
	return err
}

// runFor describes the run to the writers: the catalog, the version, the root
// and the files checked.
func runFor(res *pipeline.Result) format.Run {
	desc := format.Run{Policies: res.Engine.Policies(), Version: version, Root: res.Root}
	for _, f := range res.Input.Files {
		if f.Kind != carveout.FileConfig {
			desc.Inputs = append(desc.Inputs, f.Path)
		}
	}
	return desc
}
