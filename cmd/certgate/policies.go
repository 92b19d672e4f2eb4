package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
)

func (a *app) policiesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policies",
		Short: "Inspect the policy catalog",
	}
	var dirs []string
	list := &cobra.Command{
		Use:     "list",
		Short:   "Print every rule: ID, severity and title",
		Example: "  certgate policies list\n  certgate policies list --policy ./my-policies",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := make([]lint.Option, 0, len(dirs))
			for _, d := range dirs {
				opts = append(opts, lint.WithPolicyDir(d))
			}
			eng, err := lint.New(cmd.Context(), opts...)
			if err != nil {
				return inputError(err)
			}
			tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
			for _, p := range eng.Policies() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", p.ID, p.Severity, p.Title)
			}
			return tw.Flush()
		},
	}
	list.Flags().StringArrayVar(&dirs, "policy", nil, "directory of extra Rego policies (repeatable)")
	cmd.AddCommand(list, a.policiesDocCmd(), a.policiesBundleCmd(), a.policiesGatekeeperCmd(), a.policiesTestCmd())
	return cmd
}
