package main

import (
	"errors"

	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newDeleteCmd(m *container.Manager) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "delete [-f] ID...",
		Aliases: []string{"rm"},
		Short:   "Delete containers",
		Long: `delete removes each container ID: its cgroups, its libcontainer state and
its directory, with the root filesystem if shibafu-ctr built it. A running
or paused container is refused unless --force, which kills it first.`,
		Example: `  shibafu-ctr delete web
  shibafu-ctr delete -f web db`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs []error
			for _, id := range args {
				errs = append(errs, m.Delete(cmd.Context(), id, force))
			}
			return errors.Join(errs...)
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "kill a running container first")
	return cmd
}
