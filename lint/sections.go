package lint

import (
	"slices"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Release is one entry of input.releases: a chart rendered for one profile
// (lint/helm).
type Release struct {
	// ID names the render: the chart path with the profile, if any.
	ID        string
	Name      string
	Namespace string
	// Chart is the chart's name (Chart.yaml); ChartPath its directory as
	// displayed.
	Chart     string
	ChartPath string
	Profile   string
	Demo      bool
	// Values are the merged values the chart was rendered with (JSON-shaped).
	Values map[string]any
	// ValueRefs maps a dotted values key (server.replicas) to the ref of the
	// values file and key that set it last.
	ValueRefs map[string]*Ref
}

func (r *Release) term() (*ast.Term, error) {
	values, err := ast.InterfaceToValue(r.Values)
	if err != nil {
		return nil, err
	}
	refs := ast.NewObjectWithCapacity(len(r.ValueRefs))
	for k, ref := range r.ValueRefs {
		refs.Insert(ast.StringTerm(k), ref.term())
	}
	return ast.ObjectTerm(
		item("id", ast.String(r.ID)),
		item("name", ast.String(r.Name)),
		item("namespace", ast.String(r.Namespace)),
		item("chart", ast.String(r.Chart)),
		item("chart_path", ast.String(r.ChartPath)),
		item("profile", ast.String(r.Profile)),
		item("demo", ast.Boolean(r.Demo)),
		item("values", values),
		item("value_refs", refs),
	), nil
}

// CarveoutFact is one entry of input.carveouts: a carve-out in force, for
// the CFG-WAIVER policy to judge its expiry (lint/carveout).
type CarveoutFact struct {
	ID string
	// Kind is waiver or documented.
	Kind string
	// Source says where it is declared (certgate.yaml:12, compose/.env:3).
	Source  string
	Owner   string
	Expires string
	// ExpiresUnix is the first instant it no longer applies.
	ExpiresUnix int64
	// Ref is where it is declared, as a finding about it points there.
	Ref Ref
}

func (c *CarveoutFact) term() *ast.Term {
	return ast.ObjectTerm(
		item("id", ast.String(c.ID)),
		item("kind", ast.String(c.Kind)),
		item("source", ast.String(c.Source)),
		item("owner", ast.String(c.Owner)),
		item("expires", ast.String(c.Expires)),
		item("expires_unix", ast.Number(strconv.FormatInt(c.ExpiresUnix, 10))),
		[2]*ast.Term{ast.StringTerm("ref"), c.Ref.term()},
	)
}

func (s Skipped) term() *ast.Term {
	return ast.ObjectTerm(item("path", ast.String(s.Path)), item("reason", ast.String(s.Reason)))
}

// ProbeFacts are what a live probe of the startup gate found, as the policies
// see them in input.probes.<name>.
type ProbeFacts struct {
	Name string
	// Skipped says why the probe had nothing to check; empty when it ran.
	Skipped   string
	Reachable bool
	// TLS is whether the connection used TLS; nil when unknown.
	TLS       *bool
	LatencyMS float64
	// Error is why the dependency was not reachable (redacted).
	Error string
	// Timeout is the probe's budget as a Go duration ("3s").
	Timeout string
	// Facts are the probe's own findings, JSON-shaped; the fields above win
	// over a fact of the same key, and timed_out is false unless a fact sets it.
	Facts map[string]any
}

// Value is the JSON-shaped document the policies see as input.probes.<name>:
// the facts plus name, ran, skipped, reachable, tls, latency_ms, timeout,
// timed_out and error.
func (p *ProbeFacts) Value() map[string]any {
	v := make(map[string]any, len(p.Facts)+9)
	for k, x := range p.Facts {
		v[k] = x
	}
	v["name"] = p.Name
	v["ran"] = p.Skipped == ""
	v["skipped"] = p.Skipped
	v["reachable"] = p.Reachable
	if p.TLS != nil {
		v["tls"] = *p.TLS
	}
	v["latency_ms"] = p.LatencyMS
	v["error"] = p.Error
	v["timeout"] = p.Timeout
	if _, ok := v["timed_out"]; !ok {
		v["timed_out"] = false
	}
	return v
}

// HostFacts are what the startup gate found on its host about the files and
// settings certctl reads after loading its configuration: input.host. They
// hold no file contents and no key material, only what the policies judge
// (existence, mode, PEM structure, certificate validity, whether a pair
// matches).
type HostFacts struct {
	// Files has one entry per set CERTCTL_*_PATH variable, keyed by name.
	Files map[string]*FileFacts `json:"files"`
	// Pairs has one entry per set *_CERT_PATH variable whose *_KEY_PATH twin
	// is set too, keyed by the certificate variable: whether the two load as
	// tls.LoadX509KeyPair loads them.
	Pairs map[string]*PairFacts `json:"pairs"`
	// OTEL is how the OpenTelemetry SDK reads OTEL_RESOURCE_ATTRIBUTES.
	OTEL OTELFacts `json:"otel"`
}

// FileFacts describe one file named by a variable.
type FileFacts struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	Dir    bool   `json:"dir"`
	// Mode is the permission bits (mode & 0o777), as os.Stat sees them
	// (following symbolic links, as certctl does).
	Mode int64 `json:"mode"`
	Size int64 `json:"size"`
	// Readable says the whole file was read (it exists, is a regular file
	// no larger than the gate's bound and opens).
	Readable bool `json:"readable"`
	// Error says why the file does not exist or was not read.
	Error string `json:"error,omitempty"`
	// Blocks counts the PEM blocks; BlockTypes lists their types in order.
	Blocks     int      `json:"blocks"`
	BlockTypes []string `json:"block_types"`
	// Certs are the CERTIFICATE blocks that parse; CertErrors counts those
	// that do not.
	Certs      []CertFacts `json:"certs"`
	CertErrors int         `json:"cert_errors"`
	// KeyType is the algorithm of the first private key block ("RSA",
	// "ECDSA", "Ed25519", "unknown" when it does not parse); "" without one.
	KeyType string `json:"key_type"`
}

// CertFacts describe one certificate: never its key, only what policies and
// messages need.
type CertFacts struct {
	Subject   string `json:"subject"`
	NotBefore int64  `json:"not_before"`
	NotAfter  int64  `json:"not_after"`
	KeyType   string `json:"key_type"`
}

// PairFacts say whether a certificate file and a key file form a pair.
type PairFacts struct {
	Key string `json:"key"`
	// Checked is false when either file could not be read (FileFacts say why).
	Checked bool `json:"checked"`
	OK      bool `json:"ok"`
	// Error is crypto/tls's reason (it names no key material).
	Error string `json:"error,omitempty"`
	// KeyType is the private key's algorithm when the pair loads.
	KeyType string `json:"key_type,omitempty"`
}

// OTELFacts are the OpenTelemetry SDK's reading of OTEL_RESOURCE_ATTRIBUTES.
type OTELFacts struct {
	Set bool `json:"set"`
	// Pairs counts the comma-separated items after trimming the value.
	Pairs int `json:"pairs"`
	// MissingValue lists the 1-based positions of items without "=": the SDK
	// returns an error for them (resource.ErrPartialResource).
	MissingValue []int `json:"missing_value"`
	// BadEscape lists the 1-based positions of items whose value is not valid
	// percent-encoding: the SDK keeps the raw value and reports the error to
	// its global handler only.
	BadEscape []int `json:"bad_escape"`
	// EmptyKey lists the 1-based positions of items with an empty key: the
	// SDK drops them silently.
	EmptyKey []int `json:"empty_key"`
}

// Value is the JSON-shaped document policies see as input.host.
func (h *HostFacts) Value() map[string]any {
	files := make(map[string]any, len(h.Files))
	for name, f := range h.Files {
		certs := make([]any, len(f.Certs))
		for i, c := range f.Certs {
			certs[i] = map[string]any{"subject": c.Subject, "not_before": c.NotBefore, "not_after": c.NotAfter, "key_type": c.KeyType}
		}
		types := make([]any, len(f.BlockTypes))
		for i, t := range f.BlockTypes {
			types[i] = t
		}
		files[name] = map[string]any{
			"path": f.Path, "exists": f.Exists, "dir": f.Dir, "mode": f.Mode, "size": f.Size,
			"readable": f.Readable, "error": f.Error, "blocks": f.Blocks, "block_types": types,
			"certs": certs, "cert_errors": f.CertErrors, "key_type": f.KeyType,
		}
	}
	pairs := make(map[string]any, len(h.Pairs))
	for name, p := range h.Pairs {
		pairs[name] = map[string]any{"key": p.Key, "checked": p.Checked, "ok": p.OK, "error": p.Error, "key_type": p.KeyType}
	}
	ints := func(xs []int) []any {
		out := make([]any, len(xs))
		for i, x := range xs {
			out[i] = x
		}
		return out
	}
	return map[string]any{
		"files": files,
		"pairs": pairs,
		"otel": map[string]any{
			"set": h.OTEL.Set, "pairs": h.OTEL.Pairs, "missing_value": ints(h.OTEL.MissingValue),
			"bad_escape": ints(h.OTEL.BadEscape), "empty_key": ints(h.OTEL.EmptyKey),
		},
	}
}

// sectionTerms are the optional top-level sections: releases, skipped and
// carveouts when set (a nil list is an absent section, an empty one an empty
// section), probes and host when set.
func (in *Input) sectionTerms() ([][2]*ast.Term, error) {
	var out [][2]*ast.Term
	if in.Releases != nil {
		rels := make([]*ast.Term, len(in.Releases))
		for i := range in.Releases {
			t, err := in.Releases[i].term()
			if err != nil {
				return nil, err
			}
			rels[i] = t
		}
		out = append(out, [2]*ast.Term{ast.StringTerm("releases"), ast.ArrayTerm(rels...)})
	}
	if in.Skipped != nil {
		sk := make([]*ast.Term, len(in.Skipped))
		for i, s := range in.Skipped {
			sk[i] = s.term()
		}
		out = append(out, [2]*ast.Term{ast.StringTerm("skipped"), ast.ArrayTerm(sk...)})
	}
	if in.Carveouts != nil {
		cs := make([]*ast.Term, len(in.Carveouts))
		for i := range in.Carveouts {
			cs[i] = in.Carveouts[i].term()
		}
		out = append(out, [2]*ast.Term{ast.StringTerm("carveouts"), ast.ArrayTerm(cs...)})
	}
	if in.Probes != nil {
		probes := ast.NewObjectWithCapacity(len(in.Probes))
		for name, p := range in.Probes {
			v, err := ast.InterfaceToValue(p.Value())
			if err != nil {
				return nil, err
			}
			probes.Insert(ast.StringTerm(name), ast.NewTerm(v))
		}
		out = append(out, [2]*ast.Term{ast.StringTerm("probes"), ast.NewTerm(probes)})
	}
	if in.Host != nil {
		v, err := ast.InterfaceToValue(in.Host.Value())
		if err != nil {
			return nil, err
		}
		out = append(out, [2]*ast.Term{ast.StringTerm("host"), ast.NewTerm(v)})
	}
	return out, nil
}

// ChartDirs are the chart directories rendered for in (input.releases'
// chart_path), sorted and unique: what an audit lists the files of.
func (in *Input) ChartDirs() []string {
	var out []string
	for _, r := range in.Releases {
		if d := r.ChartPath; d != "" {
			out = append(out, strings.TrimSuffix(d, "/"))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
