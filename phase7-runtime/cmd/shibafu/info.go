package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newInfoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "Describe the daemon",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			info, err := g.client().Info(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Printf("Server Version:   %s\n", info.Version)
			fmt.Printf("Daemon PID:       %d\n", info.Pid)
			fmt.Printf("State Root:       %s\n", info.Root)
			fmt.Printf("Default Network:  %s\n", info.DefaultNetwork)
			fmt.Printf("iptables Chains:  %s-*\n", info.ChainPrefix)
			fmt.Printf("Containers:       %d (%d running)\n", info.Containers,
				info.ContainersRunning)
			fmt.Printf("Images:           %d\n", info.Images)
			fmt.Printf("Networks:         %d\n", info.Networks)
			return nil
		},
	}
}
