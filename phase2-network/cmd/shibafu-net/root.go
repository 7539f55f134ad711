package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

func newRootCmd() *cobra.Command {
	m := &sandbox.Manager{}
	root := &cobra.Command{
		Use:   "shibafu-net",
		Short: "Networks for containers: bridges, veth pairs, IPAM, NAT, isolation",
		Long: `shibafu-net creates container networks the way Docker's bridge driver
does: each network is a Linux bridge with a subnet, containers join it
through veth pairs and get addresses from a pool kept under the state
root, traffic leaving the subnet is masqueraded, and networks cannot
reach each other. It is phase 2 of Shibafu.

Containers are either started here on networks (run, stop), or are any
process's network namespace, joined by PID or namespace file (connect,
disconnect). shibafu-net's own errors exit with code 125.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&m.Root, "root", network.DefaultRoot, "state root directory")
	root.PersistentFlags().StringVar(&m.ChainPrefix, "chain-prefix", network.DefaultChainPrefix,
		"prefix of the iptables chains (networks isolate each other only within one prefix)")

	root.AddCommand(
		newCreateCmd(m),
		newListCmd(m),
		newInspectCmd(m),
		newRemoveCmd(m),
		newConnectCmd(m),
		newDisconnectCmd(m),
		newRunCmd(m),
		newStopCmd(m),
	)
	return root
}
