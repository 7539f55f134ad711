package main

import (
	"errors"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase6-dns/dns"
)

func newRemoveCmd(client *dns.Client) *cobra.Command {
	var net string
	cmd := &cobra.Command{
		Use:     "rm [flags] NAME...",
		Aliases: []string{"remove"},
		Short:   "Remove containers' names",
		Long: `rm removes the records of the named containers on a network. Their
names stop resolving at once, although clients may keep an answer they
already have for its TTL.`,
		Example: `  shibafu-dns rm --network backend db`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs []error
			for _, name := range args {
				errs = append(errs, client.Delete(cmd.Context(), net, name))
			}
			return errors.Join(errs...)
		},
	}
	cmd.Flags().StringVar(&net, "network", network.DefaultName, "network of the containers")
	return cmd
}
