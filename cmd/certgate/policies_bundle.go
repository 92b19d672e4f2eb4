package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) policiesBundleCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "bundle",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("not implemented")
		},
	}
}
