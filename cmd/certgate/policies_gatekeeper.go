package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) policiesGatekeeperCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "gatekeeper",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("not implemented")
		},
	}
}
