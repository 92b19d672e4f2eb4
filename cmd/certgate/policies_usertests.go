package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) policiesTestCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "test",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return errors.New("not implemented")
		},
	}
}
