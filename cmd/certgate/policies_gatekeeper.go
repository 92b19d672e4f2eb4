package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint/gatekeeper"
)

// policiesGatekeeperCmd writes Gatekeeper ConstraintTemplates, Constraints and
// gator suites for the rules that judge one Kubernetes object at a time.
func (a *app) policiesGatekeeperCmd() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "gatekeeper",
		Short: "Write Gatekeeper ConstraintTemplates and Constraints for the single-object rules",
		Long: `Write OPA Gatekeeper ConstraintTemplates (templates/), Constraints
(constraints/) and gator suites (suites/, each with an object certgate refuses
and one it accepts) for the rules that judge one Kubernetes object at a time:
the environment rules on pod templates, placeholder literals, the demo
acknowledgement and the ACME insecure flag. The templates carry certgate's own
Rego, wrapped. Rules that need several objects, certgate.yaml or the host stay
with certgate lint and the startup gate (see docs/cluster.md).`,
		Example: `  certgate policies gatekeeper --output gatekeeper
  gator verify gatekeeper/...
  kubectl apply -f gatekeeper/templates/ && kubectl apply -f gatekeeper/constraints/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output == "" {
				return usageError("--output DIR is required")
			}
			files, err := gatekeeper.Generate(cmd.Context())
			if err != nil {
				return inputError(err)
			}
			if err := files.Write(output); err != nil {
				return inputError(fmt.Errorf("write gatekeeper files: %w", err))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "directory to write templates/, constraints/ and suites/ into")
	return cmd
}
