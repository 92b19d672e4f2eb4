package lint_test

import (
	"context"
	"testing"

	"github.com/certgate/certgate/lint"
)

// TestCheckedListsSkipped: what a loader lists in Input.Skipped reaches
// Report.Checked.Skipped, sorted and without duplicates.
func TestCheckedListsSkipped(t *testing.T) {
	eng, err := lint.New(context.Background(), lint.WithInputs("manifest"))
	if err != nil {
		t.Fatal(err)
	}
	in := &lint.Input{Meta: lint.Meta{CertctlVersion: lint.DefaultCertctlVersion}, Skipped: []lint.Skipped{
		{Path: "b.yaml", Reason: "no Kubernetes object"},
		{Path: "a.yaml", Reason: "not valid YAML"},
		{Path: "b.yaml", Reason: "no Kubernetes object"},
	}}
	r, err := eng.Eval(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := []lint.Skipped{{Path: "a.yaml", Reason: "not valid YAML"}, {Path: "b.yaml", Reason: "no Kubernetes object"}}
	if len(r.Checked.Skipped) != 2 || r.Checked.Skipped[0] != want[0] || r.Checked.Skipped[1] != want[1] {
		t.Fatalf("skipped %v, want %v", r.Checked.Skipped, want)
	}
}
