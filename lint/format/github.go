package format

import (
	"fmt"
	"io"
	"strings"

	"github.com/certgate/certgate/lint"
)

// GitHub writes GitHub Actions workflow commands, one annotation per unwaived
// finding: ::error for errors, ::warning for warnings, ::notice for infos,
// with the rule ID as the title and the remediation on a second line.
type GitHub struct{}

var (
	ghData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProp = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func (GitHub) Write(w io.Writer, r *lint.Report) error {
	ew := &ErrWriter{W: w}
	for _, f := range r.Findings {
		if f.Carveout != nil {
			continue // acknowledged: not something to annotate
		}
		cmd := "notice"
		switch f.Severity {
		case lint.SeverityError:
			cmd = "error"
		case lint.SeverityWarning:
			cmd = "warning"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+ghProp.Replace(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
				if f.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", f.Column))
				}
			}
		}
		props = append(props, "title="+ghProp.Replace(f.Rule))
		msg := f.Message
		if f.File == "" && f.Subject != "" {
			msg = f.Subject + ": " + msg
		}
		if f.Remediation != "" {
			msg += "\nFix: " + f.Remediation
		}
		ew.Printf("::%s %s::%s\n", cmd, strings.Join(props, ","), ghData.Replace(msg))
	}
	return ew.Err
}
