package main

import (
	"github.com/spf13/cobra"
)

func newKillCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "kill ID [SIGNAL]",
		Short: "Send a signal to a container's init process (default TERM)",
		Long: `kill sends SIGNAL (a name such as TERM, KILL, HUP, or a number) to the
container's PID 1. Note that PID 1 ignores signals it has no handler for,
so a plain shell survives TERM: use KILL.`,
		Example: "  shibafu-bundle kill web KILL",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			signal := "TERM"
			if len(args) == 2 {
				signal = args[1]
			}
			return g.runtime.Kill(cmd.Context(), args[0], signal)
		},
	}
}
