package main

import (
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

func newCreateCmd(m *sandbox.Manager) *cobra.Command {
	var subnet, gateway, bridge string
	cmd := &cobra.Command{
		Use:   "create [flags] NAME",
		Short: "Create a network",
		Long: `create makes a network: a Linux bridge (named NAME unless --bridge says
otherwise) holding the gateway address, plus its iptables rules. A subnet
that overlaps another network or a route of the host is refused.

The default network, ` + network.DefaultName + `, needs no --subnet: it uses ` +
			network.DefaultSubnet + `.`,
		Example: `  shibafu-net create --subnet 10.90.0.0/24 backend
  shibafu-net create shibafu0`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := createConfig(args[0], subnet, gateway, bridge)
			if err != nil {
				return err
			}
			n, err := m.Networks().Create(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s bridge %s subnet %s gateway %s\n",
				n.Name, n.Bridge, n.Subnet, n.Gateway)
			return nil
		},
	}
	cmd.Flags().StringVar(&subnet, "subnet", "", "IPv4 subnet in CIDR form, such as 10.90.0.0/24")
	cmd.Flags().StringVar(&gateway, "gateway", "", "bridge address (default: first host address)")
	cmd.Flags().StringVar(&bridge, "bridge", "", "bridge device name (default: NAME)")
	return cmd
}

// createConfig checks the flags of create and turns them into a Config.
func createConfig(name, subnet, gateway, bridge string) (network.Config, error) {
	cfg := network.Config{Name: name, Bridge: bridge}
	if subnet == "" && name == network.DefaultName {
		subnet = network.DefaultSubnet
	}
	if subnet == "" {
		return cfg, fmt.Errorf("--subnet is required (only %s has a default)", network.DefaultName)
	}
	var err error
	if cfg.Subnet, err = network.ParseSubnet(subnet); err != nil {
		return cfg, fmt.Errorf("--subnet: %w", err)
	}
	if gateway != "" {
		if cfg.Gateway, err = netip.ParseAddr(gateway); err != nil {
			return cfg, fmt.Errorf("--gateway: %w", err)
		}
	}
	return cfg, nil
}
