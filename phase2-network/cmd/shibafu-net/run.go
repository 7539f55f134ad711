package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase2-network/network"
	"shibafu.dev/phase2-network/sandbox"
)

// runFlags are the flags of run.
type runFlags struct {
	networks []string
	address  string
	name     string
	detach   bool
	rootfs   string
	hostname string
	env      []string
}

func newRunCmd(m *sandbox.Manager) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] COMMAND [ARG...]",
		Short: "Run a container on networks",
		Long: `run starts a phase 1 container (libcontainer, a busybox root filesystem
unless --rootfs) whose network namespace is first joined to each --network:
the first one is eth0 and holds the default route. The default network,
` + network.DefaultName + ` (` + network.DefaultSubnet + `), is created on first use;
--network none leaves the container with loopback only.

In the foreground the container's output streams here, shibafu-net exits
with its exit code, and the container and its networking are deleted when
it ends. With
--detach it runs in the background and its ID is printed; "stop ID"
removes it and its networking.`,
		Example: `  shibafu-net run --network backend ip addr
  shibafu-net run -d --name web --network backend httpd -f -p 80
  shibafu-net run --network backend --network frontend --ip 10.90.0.9 sh`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(args)
			if err != nil {
				return err
			}
			if err := ensureDefault(cmd.Context(), m, cfg); err != nil {
				return err
			}
			if f.detach {
				if _, err := m.RunDetached(cmd.Context(), cfg); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), cfg.Container.ID)
				return nil
			}

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			exit, err := m.Run(ctx, cfg, container.Stdio{Stdout: os.Stdout, Stderr: os.Stderr})
			if err != nil {
				return err
			}
			if exit.Code != 0 {
				return cli.Exit(exit.Code)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	// Flags after the command belong to the command, as in docker run.
	fl.SetInterspersed(false)
	fl.StringArrayVar(&f.networks, "network", []string{network.DefaultName},
		`network to join (repeatable; "none" for no network)`)
	fl.StringVar(&f.address, "ip", "", "static address on the first network")
	fl.StringVar(&f.name, "name", "", "container ID (default: a random one)")
	fl.BoolVarP(&f.detach, "detach", "d", false, "run in the background and print the ID")
	fl.StringVar(&f.rootfs, "rootfs", "", "root filesystem (default: a fresh busybox tree)")
	fl.StringVar(&f.hostname, "hostname", "", `host name inside the container (default "shibafu")`)
	fl.StringArrayVarP(&f.env, "env", "e", nil, "environment variable NAME=value (repeatable)")
	return cmd
}

// config turns the flags and the command line into a sandbox config,
// checking everything before anything is created.
func (f *runFlags) config(args []string) (sandbox.Config, error) {
	spec, err := bundle.Spec(bundle.Options{Args: args, Env: f.env, Hostname: f.hostname})
	if err != nil {
		return sandbox.Config{}, err
	}
	id := f.name
	if id == "" {
		id = randomID()
	}
	if err := bundle.ValidateID(id); err != nil {
		return sandbox.Config{}, fmt.Errorf("--name: %w", err)
	}
	cfg := sandbox.Config{
		Container: container.Config{ID: id, Spec: spec, Rootfs: f.rootfs, AutoRemove: !f.detach},
	}
	if !slices.Equal(f.networks, []string{"none"}) {
		for _, name := range f.networks {
			cfg.Networks = append(cfg.Networks, sandbox.Attachment{Network: name})
		}
	}
	if f.address != "" {
		if len(cfg.Networks) == 0 {
			return cfg, fmt.Errorf("--ip needs a --network")
		}
		if cfg.Networks[0].IP, err = netip.ParseAddr(f.address); err != nil {
			return cfg, fmt.Errorf("--ip: %w", err)
		}
	}
	return cfg, nil
}

// ensureDefault creates the default network if the container asks for it
// and it does not exist yet.
func ensureDefault(ctx context.Context, m *sandbox.Manager, cfg sandbox.Config) error {
	for _, a := range cfg.Networks {
		if a.Network == network.DefaultName {
			_, err := m.Networks().EnsureDefault(ctx)
			return err
		}
	}
	return nil
}

// randomID returns 12 random hex digits, as docker's short IDs look.
func randomID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
