package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newStateCmd(m *container.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "state ID",
		Short: "Print a container's state as JSON",
		Long: `state prints the state of container ID as JSON: status, host PID of its
init, bundle directory, root filesystem, command, creation time and, once
it has stopped, how it exited.`,
		Example: `  shibafu-ctr state web`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := m.State(args[0])
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(st)
		},
	}
}
