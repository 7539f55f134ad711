package main

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase4-ports/portmap"
)

func newUnpublishCmd(m *portmap.Manager) *cobra.Command {
	var owner string
	cmd := &cobra.Command{
		Use:   "unpublish ([HOSTIP:]PORT[/PROTO]... | --owner NAME)",
		Short: "Remove published ports and exactly their rules",
		Example: `  shibafu-ports unpublish 8080
  shibafu-ports unpublish 127.0.0.1:5353/udp
  shibafu-ports unpublish --owner web`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (owner == "") == (len(args) == 0) {
				return fmt.Errorf("name ports or --owner, not both")
			}
			if owner != "" {
				gone, err := m.UnpublishOwner(cmd.Context(), owner)
				for _, mp := range gone {
					fmt.Fprintln(cmd.OutOrStdout(), "removed", mp)
				}
				return err
			}
			for _, arg := range args {
				proto, ip, port, err := parseHostPort(arg)
				if err != nil {
					return err
				}
				mp, err := m.Unpublish(cmd.Context(), proto, ip, port)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "removed", mp)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&owner, "owner", "", "remove every port of this owner")
	return cmd
}

// parseHostPort reads [HOSTIP:]PORT[/PROTO].
func parseHostPort(s string) (portmap.Proto, netip.Addr, uint16, error) {
	rest, protoStr, _ := strings.Cut(s, "/")
	proto, err := portmap.ParseProto(protoStr)
	if err != nil {
		return "", netip.Addr{}, 0, err
	}
	var ip netip.Addr
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		if ip, err = netip.ParseAddr(rest[:i]); err != nil {
			return "", netip.Addr{}, 0, fmt.Errorf("host address in %q: %w", s, err)
		}
		rest = rest[i+1:]
	}
	port, err := strconv.Atoi(rest)
	if err != nil || port < 1 || port > 65535 {
		return "", netip.Addr{}, 0, fmt.Errorf("%w port %q: want 1 to 65535", portmap.ErrInvalid, rest)
	}
	return proto, ip, uint16(port), nil
}
