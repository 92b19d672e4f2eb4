package format

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/certgate/certgate/lint"
)

// probeJSON is a probe's entry under "probes" in the JSON writer: no secret
// value, errors already redacted by the gate.
func probeJSON(p lint.ProbeFacts) map[string]any {
	m := map[string]any{"name": p.Name, "reachable": p.Reachable, "tls": p.TLS, "latency_ms": p.LatencyMS}
	if p.Skipped != "" {
		m["skipped"] = p.Skipped
	}
	if p.Error != "" {
		m["error"] = p.Error
	}
	if len(p.Facts) > 0 {
		m["facts"] = p.Facts
	}
	return m
}

// extras are what the text and JSON writers of the findings view add after
// the report: the probe results and the notes of the run.
type extras struct {
	probes []lint.ProbeFacts
	notes  []string
}

func extrasOf(run Run) extras { return extras{probes: run.Probes, notes: run.Notes} }

func (x extras) empty() bool { return len(x.probes) == 0 && len(x.notes) == 0 }

// addJSON adds "probes" and "notes" to the JSON document doc (the report
// encoded): the keys are then written sorted, as a map's are.
func (x extras) addJSON(doc []byte, w io.Writer) error {
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		return fmt.Errorf("add probes to the JSON report: %w", err)
	}
	if len(x.probes) > 0 {
		list := make([]map[string]any, 0, len(x.probes))
		for _, p := range x.probes {
			list = append(list, probeJSON(p))
		}
		m["probes"] = list
	}
	if len(x.notes) > 0 {
		m["notes"] = x.notes
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(m)
}

// writeText is the text section: name, reachable, TLS, latency; then a line
// per note.
func (x extras) writeText(ew *ErrWriter) {
	if len(x.probes) > 0 {
		ew.Printf("\nProbes:\n")
	}
	for _, p := range x.probes {
		if p.Skipped != "" {
			ew.Printf("  %-5s skipped: %s\n", p.Name, p.Skipped)
			continue
		}
		tls := "-"
		if p.TLS != nil {
			tls = yesNo(*p.TLS)
			if v, ok := p.Facts["tls_verified"].(bool); ok && *p.TLS {
				tls += map[bool]string{true: " (verified)", false: " (not verified)"}[v]
			}
		}
		ew.Printf("  %-5s reachable=%s tls=%s latency=%.1fms", p.Name, yesNo(p.Reachable), tls, p.LatencyMS)
		if p.Error != "" {
			ew.Printf(" error=%q", p.Error)
		}
		ew.Printf("\n")
	}
	for _, n := range x.notes {
		ew.Printf("note: %s\n", n)
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
