package main

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

func newConnectCmd(m *sandbox.Manager) *cobra.Command {
	var (
		pid     int
		nsPath  string
		address string
	)
	cmd := &cobra.Command{
		Use:   "connect [flags] NETWORK ID (--pid PID | --netns PATH)",
		Short: "Attach a network namespace to a network",
		Long: `connect joins a container, known to shibafu-net as ID, to NETWORK: a veth
pair from the network's bridge into the container's network namespace,
renamed eth0 (eth1, ... on further networks), with an address, a MAC
derived from it, and a default route if the container has none.

The namespace is given by a process in it (--pid) or by a namespace file
(--netns), such as /run/netns/NAME from "ip netns add NAME".`,
		Example: `  ip netns add demo
  shibafu-net connect backend demo --netns /run/netns/demo
  shibafu-net connect backend web --pid 4242 --ip 10.90.0.80`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := namespaceFlag(pid, nsPath)
			if err != nil {
				return err
			}
			var opts network.AttachOptions
			if address != "" {
				if opts.IP, err = netip.ParseAddr(address); err != nil {
					return fmt.Errorf("--ip: %w", err)
				}
			}
			ep, err := m.Networks().Attach(cmd.Context(), args[0], args[1], path, opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s %s %s\n", ep.ID, ep.Interface, ep.Address, ep.MAC)
			return nil
		},
	}
	cmd.Flags().IntVar(&pid, "pid", 0, "a process in the container's network namespace")
	cmd.Flags().StringVar(&nsPath, "netns", "", "the container's network namespace file")
	cmd.Flags().StringVar(&address, "ip", "", "static address (default: the lowest free one)")
	return cmd
}

// namespaceFlag turns --pid or --netns, exactly one of them, into a path.
func namespaceFlag(pid int, path string) (string, error) {
	switch {
	case pid != 0 && path != "":
		return "", errors.New("give --pid or --netns, not both")
	case pid > 0:
		return network.PIDNamespace(pid), nil
	case pid < 0:
		return "", fmt.Errorf("--pid %d: not a process ID", pid)
	case path != "":
		return path, nil
	}
	return "", errors.New("say which namespace to attach: --pid PID or --netns PATH")
}
