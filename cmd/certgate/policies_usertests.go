package main

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/certgate/certgate/lint"
	"github.com/certgate/certgate/lint/policytest"
)

// policiesTestCmd runs the _test.rego files of user policy directories against
// the built-in data.certgate.lib and rules, as `opa test` would.
func (a *app) policiesTestCmd() *cobra.Command {
	var (
		formatName string
		coverage   bool
		run        string
	)
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run the Rego tests of your own policy directories",
		Long: `Run the tests (rules named test_*, usually in *_test.rego files) of the policy
directories that --policy loads, with the built-in catalog and data.certgate.lib
beside them, as opa test does: Rego v1, strict compilation, print() output shown
for failing tests. The directories must also load as --policy does (METADATA with
an ID, a title, a description, a severity and a remediation for every rule package).

Exit codes: 0 every test passed, 1 a test failed or raised an error, 2 a policy
or test that does not parse or compile, invalid METADATA, a directory without
policies, or no test to run (none in the directories, or none matching --run).`,
		Example: "  certgate policies test ./my-policies\n  certgate policies test ./my-policies --coverage --format json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if formatName != "text" && formatName != "json" {
				return usageError("--format %q: use text or json", formatName)
			}
			if run != "" {
				if _, err := regexp.Compile(run); err != nil {
					return usageError("--run: %v", err)
				}
			}
			rep, err := policytest.Run(cmd.Context(), dirs, policytest.Options{Run: run, Coverage: coverage})
			var noTests *policytest.NoTestsError
			switch {
			case errors.As(err, &noTests) && noTests.Run != "":
				return usageError("no test matches --run %q", noTests.Run)
			case err != nil:
				return inputError(err)
			}
			if formatName == "json" {
				err = rep.WriteJSON(a.out)
			} else {
				err = rep.WriteText(a.out)
			}
			if err != nil {
				return inputError(fmt.Errorf("write results: %w", err))
			}
			if rep.Failed() {
				return &exitError{code: lint.ExitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&formatName, "format", "o", "text", "output format: text or json")
	cmd.Flags().BoolVar(&coverage, "coverage", false, "report the share of each policy file the tests evaluated")
	cmd.Flags().StringVar(&run, "run", "", "run only the tests whose full name (data.pkg.test_name) matches this regular expression")
	return cmd
}
