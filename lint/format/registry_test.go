package format_test

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/format"
)

// TestViewsAreSeparate: each view lists only its own writers, a name of one
// view is unknown to the other, and New is the Findings view.
func TestViewsAreSeparate(t *testing.T) {
	if got, want := format.Names(), []string{"github", "json", "junit", "markdown", "sarif", "text"}; !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	if got := format.ViewNames(format.Findings); !slices.Equal(got, format.Names()) {
		t.Fatalf("ViewNames(Findings) = %v, want Names()", got)
	}
	format.Register("test-view", "plain", func(format.Run) format.Writer { return plain{} })
	if got := format.ViewNames("test-view"); !slices.Equal(got, []string{"plain"}) {
		t.Fatalf("ViewNames(test-view) = %v", got)
	}
	if _, err := format.New("plain", format.Run{}); err == nil {
		t.Fatal("New found a writer of another view")
	}
	w, err := format.NewView("test-view", "plain", format.Run{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := w.Write(&b, lint.NewReport(nil)); err != nil || b.String() != "0 findings\n" {
		t.Fatalf("plain wrote %q, %v", b.String(), err)
	}
	_, err = format.NewView("test-view", "html", format.Run{})
	if err == nil || !strings.Contains(err.Error(), `unknown test-view format "html" (want one of plain)`) {
		t.Fatalf("err = %v", err)
	}
}

// TestAuditViewNeedsItsPackage: without lint/audit linked in, the Audit view
// has no writers and the error says what registers them.
func TestAuditViewNeedsItsPackage(t *testing.T) {
	if names := format.AuditNames(); len(names) != 0 {
		t.Fatalf("audit writers %v registered, yet these tests do not import lint/audit", names)
	}
	_, err := format.NewAudit("html", format.Run{})
	if err == nil || !strings.Contains(err.Error(), "import lint/audit") {
		t.Fatalf("err = %v, want the hint to import lint/audit", err)
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a second text writer in the Findings view was accepted")
		}
	}()
	format.Register(format.Findings, "text", func(format.Run) format.Writer { return plain{} })
}

type plain struct{}

func (plain) Write(w io.Writer, r *lint.Report) error {
	_, err := fmt.Fprintf(w, "%d findings\n", len(r.Findings))
	return err
}
