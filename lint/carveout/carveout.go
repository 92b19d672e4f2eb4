// Package carveout applies governed carve-outs to a lint report, in one place
// after evaluation. A carve-out comes from the carveouts register of
// certgate.yaml or from an inline "# certgate:ignore RULE-ID until=YYYY-MM-DD
// reason="..." [owner=...]" comment in a YAML or .env file, on the finding's
// line or the line above.
//
// The flow is Prepare (validate; it returns the Set and what the step adds
// to the input), Prepared.AddTo (hand every carve-out to the CFG-WAIVER policy
// as input.carveouts so the policy judges expiry, and certgate.yaml as a file
// findings can point into), Engine.Eval, then Set.Apply (match findings). A waived finding stays in the report with its
// Waiver set; a finding matched only by an expired carve-out stays unwaived and
// says when the carve-out ended; a carve-out that matches nothing is reported
// as stale. An invalid register (a missing owner, reason or date, a date more
// than a year ahead, a bad glob or regex) is an error: the run must not pass.
//
// A Set is not safe for concurrent use; Apply does not modify its argument.
package carveout

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/config"
)

// RuleID is the catalog entry whose findings report carve-out problems.
const RuleID = "CFG-WAIVER"

// Types of register entries (the kind: key of certgate.yaml keeps its name).
const (
	TypeWaiver     = "waiver"
	TypeDocumented = "documented"
)

// FileConfig is the Input file kind of certgate.yaml when it is added to an
// input for carve-out positions.
const FileConfig = "certgate-config"

// DateLayout is the form of expires and until=.
const DateLayout = "2006-01-02"

// MaxAhead is how far after the report date an end date may be.
const MaxAhead = 1 // year

var idRe = regexp.MustCompile(`^(SEC|DEPL|CFG)-[A-Z0-9]+(-[A-Z0-9]+)*$`)

// Register is the carve-out section of certgate.yaml and where it came from.
type Register struct {
	Carveouts []config.Carveout
	// File is the display path of certgate.yaml (relative to the root).
	File string
	// Source is its text, for line numbers; may be nil.
	Source []byte
}

// FromConfig returns the register of cfg, displayed as file.
func FromConfig(cfg *config.Config, file string) Register {
	if cfg == nil {
		return Register{}
	}
	return Register{Carveouts: cfg.Carveouts, File: file, Source: cfg.Source}
}

// Carveout is one validated carve-out.
type Carveout struct {
	config.Carveout
	// Source says where it is declared: certgate.yaml:12 or compose/.env:3.
	Source string `json:"source"`
	// Inline is true for certgate:ignore comments; File and Line locate them.
	Inline  bool   `json:"inline,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	OwnLine bool   `json:"-"`
	// End is the first instant the carve-out no longer applies (the day after
	// Expires, 00:00 UTC).
	End time.Time `json:"-"`
	// Matched counts the findings it matched in the last Apply.
	Matched int `json:"matched"`
	// State is what CFG-WAIVER made of it in the last Apply (StateActive,
	// StateExpiring, StateExpired); "" before.
	State string `json:"-"`

	fileID string
	index  int
	re     *regexp.Regexp
}

// Documented reports whether c is an audit entry that waives nothing.
func (c *Carveout) Documented() bool { return c.Kind == TypeDocumented }

// States of a carve-out after Apply, as CFG-WAIVER judged it.
const (
	StateActive   = "active"
	StateExpiring = "expiring" // CFG-WAIVER warns: it ends within 14 days
	StateExpired  = "expired"  // CFG-WAIVER errs: it no longer applies
)

// Set is the carve-outs of one run.
type Set struct {
	now       time.Time
	carveouts []*Carveout
	catalog   map[string]lint.Policy
	register  string
	regLoc    lint.Locator
}

// Carveouts returns every carve-out, register entries first, then inline ones.
func (s *Set) Carveouts() []*Carveout { return s.carveouts }

// Prepared is what the carve-out step adds to an input (Prepared.AddTo).
type Prepared struct {
	// File is certgate.yaml, so findings can point at its lines; nil when the
	// register has no entries.
	File *lint.File
	// Carveouts are input.carveouts, for the CFG-WAIVER policy: never nil
	// (the section is present, possibly empty, once the step ran).
	Carveouts []lint.CarveoutFact
	// Locators are the locators of the files with certgate:ignore comments,
	// by file ID: each resolves the refs of the inline carve-outs and hands
	// every other ref to the file's own locator.
	Locators map[string]lint.Locator
}

// AddTo adds p to in: certgate.yaml to in.Files, in.Carveouts, and each file
// of p.Locators replaced by a copy with that locator (the loaded files stay
// as they were). An input that already carries carve-outs, or another file
// with certgate.yaml's ID, is an error, and in is left unchanged.
func (p *Prepared) AddTo(in *lint.Input) error {
	add := &lint.Input{Carveouts: p.Carveouts}
	if add.Carveouts == nil {
		add.Carveouts = []lint.CarveoutFact{}
	}
	if p.File != nil {
		add.Files = []*lint.File{p.File}
	}
	if err := in.Merge(add); err != nil {
		return fmt.Errorf("carve-outs: %w", err)
	}
	if len(p.Locators) == 0 {
		return nil
	}
	files := slices.Clone(in.Files)
	for i, f := range files {
		if loc, ok := p.Locators[f.ID]; ok {
			cp := *f
			cp.Locator = loc
			files[i] = &cp
		}
	}
	in.Files = files
	return nil
}

// Prepare validates the register and the inline comments of in's files
// against catalog and now. It does not modify in: it returns the Set, which
// applies the carve-outs after evaluation, and what the step adds to the
// input before it (Prepared.AddTo).
func Prepare(in *lint.Input, reg Register, catalog []lint.Policy, now time.Time) (*Set, *Prepared, error) {
	s := &Set{now: now, catalog: map[string]lint.Policy{}, register: reg.File}
	for _, p := range catalog {
		s.catalog[p.ID] = p
	}
	prep := &Prepared{}
	var errs []error
	if len(reg.Carveouts) > 0 {
		s.regLoc = registerLocator(reg.Source)
		sum := sha256.Sum256(reg.Source)
		prep.File = &lint.File{ID: reg.File, Path: reg.File, Kind: FileConfig, Docs: []any{}, SHA256: hex.EncodeToString(sum[:]), Locator: s.regLoc, Source: reg.Source}
	}
	for i, rc := range reg.Carveouts {
		c := registerEntry(reg, s.regLoc, i, rc)
		if err := s.validate(c); err != nil {
			errs = append(errs, err)
		}
		s.carveouts = append(s.carveouts, c)
	}
	for _, f := range in.Files {
		if f.Source == nil || f.Kind == FileConfig {
			continue
		}
		found, err := scanInline(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(found) > 0 {
			if prep.Locators == nil {
				prep.Locators = map[string]lint.Locator{}
			}
			prep.Locators[f.ID] = inlineLocator{base: f.Locator}
		}
		for _, c := range found {
			if err := s.validate(c); err != nil {
				errs = append(errs, err)
			}
			s.carveouts = append(s.carveouts, c)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, fmt.Errorf("carve-outs: %w", err)
	}
	prep.Carveouts = make([]lint.CarveoutFact, 0, len(s.carveouts))
	for _, c := range s.carveouts {
		path := []any{"carveouts", c.index}
		if c.Inline {
			path = []any{inlineKey, c.Line}
		}
		prep.Carveouts = append(prep.Carveouts, lint.CarveoutFact{
			ID: c.ID, Kind: c.kind(), Source: c.Source, Owner: c.Owner,
			Expires: c.Expires, ExpiresUnix: c.End.Unix(),
			Ref: lint.Ref{File: c.fileID, Path: path},
		})
	}
	return s, prep, nil
}

func (c *Carveout) kind() string {
	if c.Kind == "" {
		return TypeWaiver
	}
	return c.Kind
}

// validate checks one carve-out and fills End and the compiled match.
func (s *Set) validate(c *Carveout) error {
	var probs []string
	if !idRe.MatchString(c.ID) {
		probs = append(probs, fmt.Sprintf("id %q is not a rule ID such as SEC-L3", c.ID))
	} else if _, ok := s.catalog[c.ID]; !ok && !c.Documented() {
		probs = append(probs, fmt.Sprintf("id %s is not in the policy catalog (a carve-out for a rule without a policy is kind: documented)", c.ID))
	}
	switch c.Kind {
	case "", TypeWaiver:
		if !c.Inline && len(c.Paths) == 0 {
			probs = append(probs, "paths is empty (list the files it covers, or use kind: documented for an audit entry)")
		}
	case TypeDocumented:
		if c.Match != "" {
			probs = append(probs, "match is set on a documented entry, which waives nothing")
		}
	default:
		probs = append(probs, fmt.Sprintf("kind %q is not waiver or documented", c.Kind))
	}
	for _, g := range c.Paths {
		if !validGlob(g) {
			probs = append(probs, fmt.Sprintf("paths: %q is not a valid glob", g))
		}
	}
	if c.Match != "" {
		re, err := regexp.Compile(c.Match)
		if err != nil {
			probs = append(probs, fmt.Sprintf("match: %v", err))
		}
		c.re = re
	}
	if strings.TrimSpace(c.Reason) == "" {
		probs = append(probs, "reason is missing")
	}
	if !c.Inline && strings.TrimSpace(c.Owner) == "" {
		probs = append(probs, "owner is missing")
	}
	dateKey := "expires"
	if c.Inline {
		dateKey = "until"
	}
	if c.Expires == "" {
		probs = append(probs, dateKey+" is missing (YYYY-MM-DD)")
	} else if d, err := time.Parse(DateLayout, c.Expires); err != nil {
		probs = append(probs, fmt.Sprintf("%s %q is not a date YYYY-MM-DD", dateKey, c.Expires))
	} else {
		c.End = d.AddDate(0, 0, 1)
		today := s.now.UTC().Format(DateLayout)
		limit := s.now.UTC().AddDate(MaxAhead, 0, 0).Format(DateLayout)
		if c.Expires > limit {
			probs = append(probs, fmt.Sprintf("%s %s is more than one year after %s (latest %s)", dateKey, c.Expires, today, limit))
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("%s (%s): %s", c.Source, c.ID, strings.Join(probs, "; "))
}

// matches reports whether carve-out c covers finding f.
func (c *Carveout) matches(f *lint.Finding) bool {
	if c.Documented() || c.ID != f.Rule || f.File == "" {
		return false
	}
	if c.Inline {
		if f.File != c.File {
			return false
		}
		return f.Line == c.Line || (c.OwnLine && f.Line == c.Line+1)
	}
	ok := false
	for _, g := range c.Paths {
		if matchGlob(g, f.File) {
			ok = true
			break
		}
	}
	if ok && c.re != nil {
		ok = c.re.MatchString(f.Path)
	}
	return ok
}

// Apply returns a copy of r with the carve-outs applied: matched findings of an
// active carve-out carry it (Finding.Carveout); those of an expired one say
// when it ended; an active carve-out that matched nothing adds a stale
// CFG-WAIVER warning. Expiry is CFG-WAIVER's judgement, read from r (an error
// about a carve-out: expired; a warning: expiring), never decided again here,
// so the report, the waiving and the audit agree with the policy.
func (s *Set) Apply(r *lint.Report) *lint.Report {
	findings := slices.Clone(r.Findings)
	judged := map[string]string{} // carve-out source -> state CFG-WAIVER gave
	for _, f := range findings {
		if f.Rule != RuleID {
			continue
		}
		switch f.Severity {
		case lint.SeverityError:
			judged[f.Subject] = StateExpired
		case lint.SeverityWarning:
			if judged[f.Subject] == "" {
				judged[f.Subject] = StateExpiring
			}
		}
	}
	for _, c := range s.carveouts {
		c.Matched = 0
		c.State = cmp.Or(judged[c.Source], StateActive)
	}
	for i := range findings {
		f := &findings[i]
		if f.Rule == RuleID {
			continue // a carve-out never hides the findings about carve-outs
		}
		for _, c := range s.carveouts {
			if !c.matches(f) {
				continue
			}
			c.Matched++
			if c.State == StateExpired {
				f.Message += fmt.Sprintf(" (carve-out %s expired after %s)", c.Source, c.Expires)
				continue
			}
			if f.Carveout == nil {
				f.Carveout = &lint.AppliedCarveout{Source: c.Source, Owner: c.Owner, Reason: c.Reason, Expires: c.Expires}
			}
		}
	}
	for _, c := range s.carveouts {
		if c.Documented() || c.Matched > 0 || c.State == StateExpired {
			continue
		}
		findings = append(findings, s.stale(c))
	}
	out := lint.NewReport(findings)
	out.Checked, out.Target = r.Checked, r.Target
	return out
}

func (s *Set) stale(c *Carveout) lint.Finding {
	p, ok := s.catalog[RuleID]
	if !ok {
		p = lint.Policy{Title: "Carve-outs must be current", Remediation: "Delete carve-outs that match nothing."}
	}
	f := lint.Finding{
		Rule: RuleID, Severity: lint.SeverityWarning, Title: p.Title,
		Message:     fmt.Sprintf("carve-out %s for %s matches no finding (stale): delete it, or fix its paths or match", c.Source, c.ID),
		File:        c.File,
		Line:        c.Line,
		Subject:     c.ID + " carve-out",
		Remediation: p.Remediation, Docs: p.Docs,
	}
	if c.Inline {
		f.Column = 1
		f.Path = fmt.Sprintf("%s[%d]", inlineKey, c.Line)
	} else {
		f.Path = fmt.Sprintf("carveouts[%d]", c.index)
		if s.regLoc != nil {
			f.Line, f.Column = s.regLoc.Locate(0, []any{"carveouts", c.index})
		}
		if f.File == "" {
			f.File = s.register
		}
	}
	f.Fingerprint = f.ComputeFingerprint()
	return f
}

// registerLocator parses certgate.yaml for positions; nil when it cannot.
func registerLocator(src []byte) lint.Locator {
	if len(src) == 0 {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil
	}
	return lint.YAMLLocator{Docs: []*yaml.Node{&doc}}
}

// Describe lists the register entries without validating or applying them,
// for reports made with --no-waivers.
func Describe(reg Register) []*Carveout {
	loc := registerLocator(reg.Source)
	out := make([]*Carveout, 0, len(reg.Carveouts))
	for i, rc := range reg.Carveouts {
		c := registerEntry(reg, loc, i, rc)
		if d, err := time.Parse(DateLayout, rc.Expires); err == nil {
			c.End = d.AddDate(0, 0, 1)
		}
		out = append(out, c)
	}
	return out
}

// registerEntry is entry i of the register, named by its line of
// certgate.yaml when loc can place it (certgate.yaml:12), else by its index.
func registerEntry(reg Register, loc lint.Locator, i int, rc config.Carveout) *Carveout {
	c := &Carveout{Carveout: rc, index: i, fileID: reg.File, Source: fmt.Sprintf("%s carveouts[%d]", reg.File, i)}
	if loc != nil {
		if line, _ := loc.Locate(0, []any{"carveouts", i}); line > 0 {
			c.Source, c.File, c.Line = fmt.Sprintf("%s:%d", reg.File, line), reg.File, line
		}
	}
	return c
}
