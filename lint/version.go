package lint

import (
	"fmt"
	"strings"
)

// DefaultCertctlVersion is the certctl release judged when none is given.
const DefaultCertctlVersion = "2.1.0"

// NormalizeVersion accepts 2.2.0 or v2.2.0 and rejects anything that is not a
// MAJOR.MINOR.PATCH release (policies compare it with semver.compare).
func NormalizeVersion(v string) (string, error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.Split(s, ".")
	bad := len(parts) != 3
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || (len(p) > 1 && p[0] == '0') {
			bad = true
		}
	}
	if bad {
		return "", fmt.Errorf("certctl version %q: want MAJOR.MINOR.PATCH, for example 2.2.0", v)
	}
	return s, nil
}
