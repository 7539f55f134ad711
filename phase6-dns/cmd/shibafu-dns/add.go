package main

import (
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase6-dns/dns"
)

func newAddCmd(client *dns.Client) *cobra.Command {
	var r dns.Record
	var ports []string
	cmd := &cobra.Command{
		Use:   "add [flags] NAME IP...",
		Short: "Add a container's name, or replace it",
		Long: `add registers a container NAME with its addresses on a network: IPv4
ones answer A queries, IPv6 ones AAAA queries, and each gets a PTR
record. With --service the container is also one replica of SERVICE,
and each --port becomes an SRV record _PORT._PROTO.SERVICE.NET.shibafu.internal.`,
		Example: `  shibafu-dns add --network backend db 10.90.0.2
  shibafu-dns add --network backend --service api --port http:8080/tcp api-1 10.90.0.11`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.Name = args[0]
			for _, s := range args[1:] {
				ip, err := netip.ParseAddr(s)
				if err != nil {
					return fmt.Errorf("address %q: %w", s, err)
				}
				r.IPs = append(r.IPs, ip)
			}
			for _, s := range ports {
				p, err := dns.ParsePort(s)
				if err != nil {
					return fmt.Errorf("--port: %w", err)
				}
				r.Ports = append(r.Ports, p)
			}
			if err := client.Put(cmd.Context(), r); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), r.FQDN())
			return nil
		},
	}
	cmd.Flags().StringVar(&r.Network, "network", network.DefaultName, "network of the container")
	cmd.Flags().StringVar(&r.Service, "service", "", "service the container is a replica of")
	cmd.Flags().StringArrayVar(&ports, "port", nil,
		"service port as [NAME:]NUMBER[/PROTO], for SRV (repeatable)")
	return cmd
}
