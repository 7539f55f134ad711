package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase4-ports/portmap"
)

func newRootCmd() *cobra.Command {
	m := &portmap.Manager{}
	root := &cobra.Command{
		Use:   "shibafu-ports",
		Short: "Publish container ports with iptables, and balance load with a proxy",
		Long: `shibafu-ports moves traffic from the host to containers in the two ways
a container platform does:

  publish, unpublish, ls, restore   the kernel path: an iptables DNAT rule
                                    per published port, as docker run -p
  proxy                             the user-space path: an HTTP and TCP
                                    load balancer with health checks

It is phase 4 of Shibafu. Its own errors exit with code 125.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&m.Root, "root", portmap.DefaultRoot, "state root directory")
	root.PersistentFlags().StringVar(&m.ChainPrefix, "chain-prefix", portmap.DefaultChainPrefix,
		"prefix of the iptables chains")
	root.AddCommand(
		newPublishCmd(m),
		newUnpublishCmd(m),
		newListCmd(m),
		newRestoreCmd(m),
		newProxyCmd(),
	)
	return root
}
