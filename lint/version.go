package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// KnownReleases are the certctl releases whose startup the catalog models, oldest
// first. 2.2.0 is the unreleased line; it is the strictest.
var KnownReleases = []string{"2.1.0", "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1.7", "2.2.0"}

// DefaultCertctlVersion is the certctl release judged when nothing names one:
// the newest known release, the strictest.
const DefaultCertctlVersion = "2.2.0"

// Where a target release came from, in the order they are tried.
const (
	ReleaseFromFlag    = "--certctl-version"
	ReleaseFromConfig  = "certgate.yaml certctl_version"
	ReleaseFromDefault = "default: the newest known release"
)

// NormalizeVersion accepts a known release written 2.2.0 or v2.2.0 and rejects
// anything else with the list of known releases.
func NormalizeVersion(v string) (string, error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "v")
	if !slices.Contains(KnownReleases, s) {
		return "", fmt.Errorf("certctl release %q is not known; known releases: %s", v, strings.Join(KnownReleases, ", "))
	}
	return s, nil
}

// ReleaseFromImage reads the certctl release from an image reference's tag
// (ghcr.io/certctl-io/certctl-server:v2.1.4, certctl/server:2.2.0@sha256:...).
// ok is false when there is no tag or the tag is not a known release.
func ReleaseFromImage(image string) (release string, ok bool) {
	ref, _, _ := strings.Cut(image, "@")
	i := strings.LastIndex(ref, ":")
	if i < 0 || strings.Contains(ref[i+1:], "/") {
		return "", false
	}
	v, err := NormalizeVersion(ref[i+1:])
	if err != nil {
		return "", false
	}
	return v, true
}

// ResolveReleases sets the target release of in, in the documented order: an
// explicit release (the --certctl-version flag or certgate.yaml, named by
// source) applies to every environment; otherwise each environment whose
// workload image carries a known release tag runs at that release, and the rest
// at DefaultCertctlVersion. Nothing inside an environment being judged can
// choose its release.
func ResolveReleases(in *Input, explicit, source string) error {
	if explicit != "" {
		v, err := NormalizeVersion(explicit)
		if err != nil {
			return fmt.Errorf("%s: %w", source, err)
		}
		in.Meta.CertctlVersion, in.Meta.CertctlVersionSource = v, source
		for i := range in.Envs {
			in.Envs[i].Release, in.Envs[i].ReleaseSource = "", ""
		}
		return nil
	}
	in.Meta.CertctlVersion, in.Meta.CertctlVersionSource = DefaultCertctlVersion, ReleaseFromDefault
	for i := range in.Envs {
		e := &in.Envs[i]
		e.Release, e.ReleaseSource = "", ""
		if v, ok := ReleaseFromImage(e.Labels["image"]); ok {
			e.Release, e.ReleaseSource = v, "image tag "+e.Labels["image"]
		}
	}
	return nil
}

// ReleaseInRange reports whether release v satisfies rng, a space-separated
// list of constraints that must all hold (">=2.1.1", ">=2.1.1 <2.2.0", "2.2.0");
// "" is every release. It is the Go twin of lib.in_range, for reports and tests.
func ReleaseInRange(v, rng string) bool {
	for _, c := range strings.Fields(rng) {
		op := strings.TrimRight(c, "0123456789.")
		want := c[len(op):]
		d := compareReleases(v, want)
		ok := false
		switch op {
		case "", "=":
			ok = d == 0
		case ">=":
			ok = d >= 0
		case ">":
			ok = d > 0
		case "<=":
			ok = d <= 0
		case "<":
			ok = d < 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// ReleasesIn lists the known releases inside rng, oldest first.
func ReleasesIn(rng string) []string {
	var out []string
	for _, v := range KnownReleases {
		if ReleaseInRange(v, rng) {
			out = append(out, v)
		}
	}
	return out
}

func compareReleases(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(pa), len(pb))
}
