package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
	"github.com/certgate/certgate/server"
)

// probeFlags are the live-probe flags of certgate env and certgate exec.
type probeFlags struct {
	names   []string
	timeout time.Duration
	caCerts []string
	results []*server.ProbeResult
}

func (p *probeFlags) register(fs *pflag.FlagSet) {
	fs.StringSliceVar(&p.names, "probe", nil, "live probes to run before judging: "+strings.Join(server.ProbeNames(), ", ")+" (comma-separated; results are input.probes.<name>)")
	fs.DurationVar(&p.timeout, "probe-timeout", server.DefaultProbeTimeout, "bound on each probe; a probe that does not finish in time fails")
	fs.StringArrayVar(&p.caCerts, "ca-certificates", nil, "PEM bundle the ACME probe trusts in addition to the server's roots (Go's system roots, SSL_CERT_FILE, SSL_CERT_DIR): an extra for this check, which certctl itself never reads; findings say when only it made the directory verify (repeatable)")
}

// options are the gate options for the flags; an unknown probe is exit 2.
func (p *probeFlags) options() ([]server.Option, error) {
	probes, err := server.ProbesByName(p.names...)
	if err != nil {
		return nil, usageError("--probe: %v", err)
	}
	if p.timeout <= 0 {
		return nil, usageError("--probe-timeout must be positive")
	}
	opts := []server.Option{server.WithProbeResults(func(r []*server.ProbeResult) { p.results = r })}
	if len(probes) > 0 {
		opts = append(opts, server.WithProbes(probes...), server.WithProbeTimeout(p.timeout))
	}
	for _, c := range p.caCerts {
		opts = append(opts, server.WithCACertificates(c))
	}
	return opts, nil
}

// writeWithProbes writes the report through the registry, with the probe
// results and notes in the run: text and JSON carry them; other formats
// carry the report only, and their notes go to notesTo.
func (f *evalFlags) writeWithProbes(w, notesTo io.Writer, r *lint.Report, eng *lint.Engine, results []*server.ProbeResult, notes []string) error {
	run := format.Run{Policies: eng.Policies(), Version: version}
	if f.format != "json" && f.format != "text" {
		writeNotes(notesTo, notes)
		return f.writeRun(w, r, run)
	}
	for _, p := range results {
		run.Probes = append(run.Probes, p.ProbeFacts())
	}
	run.Notes = notes
	return f.writeRun(w, r, run)
}

// writeNotes prints notes one per line, for outputs that have no place for them.
func writeNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "certgate: note: %s\n", n)
	}
}
