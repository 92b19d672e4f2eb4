package main

import (
	"bytes"
	"encoding/json"
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

// writeWithProbes writes the report like evalFlags.write and adds the probe
// results and notes: "probes" and "notes" keys in JSON, short sections in
// text. Other formats carry the report only; their notes go to notesTo.
func (f *evalFlags) writeWithProbes(w, notesTo io.Writer, r *lint.Report, eng *lint.Engine, results []*server.ProbeResult, notes []string) error {
	run := format.Run{Policies: eng.Policies(), Version: version}
	if f.format != "json" && f.format != "text" {
		writeNotes(notesTo, notes)
		return f.writeRun(w, r, run)
	}
	if len(results) == 0 && len(notes) == 0 {
		return f.writeRun(w, r, run)
	}
	return emit(w, f.output, func(w io.Writer) error {
		var buf bytes.Buffer
		if err := f.render(&buf, r, run); err != nil {
			return err
		}
		if f.format == "json" {
			var doc map[string]any
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				return inputError(fmt.Errorf("add probes to the JSON report: %w", err))
			}
			if len(results) > 0 {
				doc["probes"] = probesJSON(results)
			}
			if len(notes) > 0 {
				doc["notes"] = notes
			}
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(doc); err != nil {
				return inputError(err)
			}
		} else {
			if len(results) > 0 {
				writeProbesText(&buf, results)
			}
			for _, n := range notes {
				fmt.Fprintf(&buf, "note: %s\n", n)
			}
		}
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// probesJSON is the "probes" key: one object per probe, no secret values.
func probesJSON(results []*server.ProbeResult) []map[string]any {
	out := make([]map[string]any, 0, len(results))
	for _, r := range results {
		m := map[string]any{"name": r.Name, "reachable": r.Reachable, "tls": r.TLS, "latency_ms": r.LatencyMS()}
		if r.Skipped != "" {
			m["skipped"] = r.Skipped
		}
		if r.Error != "" {
			m["error"] = r.Error
		}
		if len(r.Facts) > 0 {
			m["facts"] = r.Facts
		}
		out = append(out, m)
	}
	return out
}

// writeProbesText is the text section: name, reachable, TLS, latency.
func writeProbesText(w io.Writer, results []*server.ProbeResult) {
	fmt.Fprintln(w, "\nProbes:")
	for _, r := range results {
		if r.Skipped != "" {
			fmt.Fprintf(w, "  %-5s skipped: %s\n", r.Name, r.Skipped)
			continue
		}
		tls := "-"
		if r.TLS != nil {
			tls = map[bool]string{true: "yes", false: "no"}[*r.TLS]
			if v, ok := r.Facts["tls_verified"].(bool); ok && *r.TLS {
				tls += map[bool]string{true: " (verified)", false: " (not verified)"}[v]
			}
		}
		reach := map[bool]string{true: "yes", false: "no"}[r.Reachable]
		fmt.Fprintf(w, "  %-5s reachable=%s tls=%s latency=%.1fms", r.Name, reach, tls, r.LatencyMS())
		if r.Error != "" {
			fmt.Fprintf(w, " error=%q", r.Error)
		}
		fmt.Fprintln(w)
	}
}

// writeNotes prints notes one per line, for outputs that have no place for them.
func writeNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "certgate: note: %s\n", n)
	}
}
