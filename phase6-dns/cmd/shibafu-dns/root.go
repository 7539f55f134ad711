package main

import (
	"github.com/spf13/cobra"

	"shibafu.dev/phase6-dns/dns"
)

func newRootCmd() *cobra.Command {
	client := &dns.Client{}
	root := &cobra.Command{
		Use:   "shibafu-dns",
		Short: "DNS for containers: names, services, SRV and PTR records, forwarding",
		Long: `shibafu-dns gives every container a name. A container NAME on network
NET answers as NAME inside NET and as NAME.NET.shibafu.internal; the
replicas of a service answer together as SERVICE, in rotating order; SRV
records name a service's ports and PTR records map addresses back to
names. Names outside shibafu.internal are forwarded to the host's
resolvers and cached. It is phase 6 of Shibafu.

serve runs the server. add, rm and ls talk to a running server through
its HTTP API on --api, so that only the server ever writes the records
file. shibafu-dns's own errors exit with code 125.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&client.Addr, "api", dns.DefaultAPIAddr,
		"address of the registration API (serve listens there, the others call it)")

	root.AddCommand(
		newServeCmd(&client.Addr),
		newAddCmd(client),
		newRemoveCmd(client),
		newListCmd(client),
	)
	return root
}
