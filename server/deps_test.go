package server_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the gate small inside the server binary: no Helm, no
// Kubernetes, and of compose-go only the dotenv parser and its template package.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	allowed := map[string]bool{
		"github.com/compose-spec/compose-go/v2/dotenv":   true,
		"github.com/compose-spec/compose-go/v2/template": true,
	}
	n := 0
	for _, pkg := range strings.Fields(string(out)) {
		n++
		switch {
		case strings.HasPrefix(pkg, "helm.sh/"), strings.HasPrefix(pkg, "k8s.io/"), strings.HasPrefix(pkg, "sigs.k8s.io/"):
			t.Errorf("server depends on %s", pkg)
		case strings.HasPrefix(pkg, "github.com/compose-spec/") && !allowed[pkg]:
			t.Errorf("server depends on %s", pkg)
		}
	}
	if n < 10 {
		t.Fatalf("go list returned %d packages; the check would prove nothing", n)
	}
}
