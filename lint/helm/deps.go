package helm

import (
	"fmt"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
)

// checkDependencies refuses a chart whose Chart.yaml declares dependencies
// that are not vendored under charts/, as helm install and helm template do:
// rendering it anyway would judge a release without them.
func checkDependencies(chrt *chart.Chart, dir string) error {
	have := map[string]bool{}
	for _, d := range chrt.Dependencies() {
		have[d.Name()] = true
	}
	var missing []string
	for _, d := range chrt.Metadata.Dependencies {
		if d == nil || have[d.Name] {
			continue
		}
		desc := d.Name
		var from []string
		if d.Version != "" {
			from = append(from, d.Version)
		}
		if d.Repository != "" {
			from = append(from, "from "+d.Repository)
		}
		if len(from) > 0 {
			desc += " (" + strings.Join(from, ", ") + ")"
		}
		missing = append(missing, desc)
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("chart %s: dependencies declared in Chart.yaml are missing from %s/charts: %s; run helm dependency build %s", dir, dir, strings.Join(missing, ", "), dir)
}
