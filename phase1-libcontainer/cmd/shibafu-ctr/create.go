package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newCreateCmd(m *container.Manager) *cobra.Command {
	var f specFlags
	cmd := &cobra.Command{
		Use:   "create [flags] COMMAND [ARG...]",
		Short: "Create a container without starting it",
		Long: `create sets up a container (namespaces, mounts, cgroups) under a shim and
prints its ID. Its init process then waits: start runs COMMAND. This is
the first half of the OCI lifecycle, the equivalent of runc create.`,
		Example: `  id=$(shibafu-ctr create sleep 60)
  shibafu-ctr start "$id"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(args)
			if err != nil {
				return err
			}
			if err := m.Create(cmd.Context(), cfg); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), cfg.ID)
			return nil
		},
	}
	f.register(cmd)
	return cmd
}
