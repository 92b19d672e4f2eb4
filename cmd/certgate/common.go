package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
)

// writeRun writes the report in the chosen format to --output or w; run
// describes the run (catalog, version, root, inputs) to the writer.
func (f *evalFlags) writeRun(w io.Writer, r *lint.Report, run format.Run) error {
	return emit(w, f.output, func(w io.Writer) error { return f.render(w, r, run) })
}

// render writes the report in the chosen format.
func (f *evalFlags) render(w io.Writer, r *lint.Report, run format.Run) error {
	wr, err := format.New(f.format, run)
	if err != nil {
		return usageError("--format: %v", err)
	}
	return wr.Write(w, r)
}

// emit writes what render produces to w, or to the file output when it is set.
// The file is written only once rendering succeeded, so a failed run never
// leaves a truncated report behind.
func emit(w io.Writer, output string, render func(io.Writer) error) error {
	if output == "" {
		return render(w)
	}
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
		return inputError(fmt.Errorf("--output: %w", err))
	}
	return nil
}

// exitFor turns a report into the command's result.
func exitFor(r *lint.Report, failOn lint.Severity) error {
	if code := r.ExitCode(failOn); code != lint.ExitOK {
		return &exitError{code: code}
	}
	return nil
}
