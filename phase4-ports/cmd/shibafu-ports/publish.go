package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase4-ports/portmap"
)

func newPublishCmd(m *portmap.Manager) *cobra.Command {
	var to, ctr, owner string
	cmd := &cobra.Command{
		Use:   "publish (--to IP | --container ID) [flags] SPEC...",
		Short: "Publish container ports on the host",
		Long: `publish adds iptables DNAT rules so that a host port leads to a container
port, for TCP or UDP, from other hosts, from the host itself (127.0.0.1
included) and from other containers. SPEC is written as for docker run -p:

  [HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|udp]

A SPEC without a host port gets any free one. The container is named by
address (--to) or by its ID on a shibafu-net network under the same
--root (--container). Either every SPEC is published or none is.`,
		Example: `  shibafu-ports publish --container web 8080:80
  shibafu-ports publish --to 10.89.0.2 127.0.0.1:5353:53/udp 9000-9002:9000-9002
  shibafu-ports publish --to 10.89.0.2 80          # any free host port`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ip, err := containerIP(cmd.Context(), m, to, ctr)
			if err != nil {
				return err
			}
			if owner == "" {
				owner = ctr
			}
			var maps []portmap.Mapping
			for _, spec := range args {
				ms, err := portmap.Parse(spec, ip)
				if err != nil {
					return err
				}
				for i := range ms {
					ms[i].Owner = owner
				}
				maps = append(maps, ms...)
			}
			done, err := m.Publish(cmd.Context(), maps...)
			if err != nil {
				return err
			}
			for _, mp := range done {
				fmt.Fprintln(cmd.OutOrStdout(), mp)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "container IPv4 address")
	cmd.Flags().StringVar(&ctr, "container", "", "container ID on a shibafu-net network")
	cmd.Flags().StringVar(&owner, "owner", "", "owner label (default: the container ID)")
	return cmd
}

// containerIP finds the address to publish to: --to, or the address of
// the container's first network (eth0) from shibafu-net's records.
func containerIP(ctx context.Context, m *portmap.Manager, to, ctr string) (netip.Addr, error) {
	switch {
	case to != "" && ctr != "":
		return netip.Addr{}, errors.New("give --to or --container, not both")
	case to != "":
		ip, err := netip.ParseAddr(to)
		if err != nil {
			return netip.Addr{}, fmt.Errorf("--to: %w", err)
		}
		return ip, nil
	case ctr != "":
		nets := &network.Manager{Root: m.Root}
		eps, err := nets.Attachments(ctx, ctr)
		if err != nil {
			return netip.Addr{}, err
		}
		if len(eps) == 0 {
			return netip.Addr{}, fmt.Errorf("container %s is on no network", ctr)
		}
		return eps[0].Address.Addr(), nil
	}
	return netip.Addr{}, errors.New("say where to: --to IP or --container ID")
}
