package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
	"shibafu.dev/phase0-runc/rootfs"
)

func newInitCmd() *cobra.Command {
	var (
		spec                  specFlags
		fromDir, fromTar, bin string
	)
	cmd := &cobra.Command{
		Use:   "init DIR [flags] [-- COMMAND [ARG...]]",
		Short: "Create a bundle: a root filesystem and a config.json",
		Long: `init creates the OCI bundle DIR: DIR/rootfs, filled from a busybox-static
binary (the default), a directory (--rootfs) or a tarball (--rootfs-tar),
and DIR/config.json describing COMMAND (default: sh) with the given flags.
DIR must not exist yet, or be empty.`,
		Example: `  shibafu-bundle init /tmp/hello -- echo hello from a container
  shibafu-bundle init /tmp/web --memory 64m --pids-limit 50 -- httpd -f -p 8080
  shibafu-bundle init /tmp/deb --rootfs-tar debian.tar.gz -- cat /etc/os-release`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if fromDir != "" && fromTar != "" {
				return errors.New("give at most one of --rootfs and --rootfs-tar")
			}
			opts, err := spec.options(args[1:])
			if err != nil {
				return err
			}
			config, err := bundle.Spec(opts)
			if err != nil {
				return err
			}
			dir := args[0]
			if err := makeEmptyDir(dir); err != nil {
				return err
			}
			if err := fillBundle(dir, fromDir, fromTar, bin, config); err != nil {
				// Leave nothing half-made behind.
				os.RemoveAll(dir)
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "bundle %s ready: run it with shibafu-bundle run %s\n", dir, dir)
			return nil
		},
	}
	spec.register(cmd)
	cmd.Flags().StringVar(&fromDir, "rootfs", "", "copy the root filesystem from this directory")
	cmd.Flags().StringVar(&fromTar, "rootfs-tar", "",
		"unpack the root filesystem from this tarball (.tar or .tar.gz)")
	cmd.Flags().StringVar(&bin, "busybox", rootfs.DefaultBusybox,
		"static busybox binary for the default root filesystem")
	return cmd
}

// makeEmptyDir creates dir, which may exist only if it is empty, so that
// init never mixes a new bundle into someone's files.
func makeEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		return fmt.Errorf("bundle directory %s is not empty", dir)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("bundle directory: %w", err)
	}
	return os.MkdirAll(dir, 0o755)
}

func fillBundle(dir, fromDir, fromTar, busybox string, config *specs.Spec) error {
	root := filepath.Join(dir, bundle.RootfsDir)
	var err error
	switch {
	case fromDir != "":
		err = rootfs.FromDir(fromDir, root)
	case fromTar != "":
		err = rootfs.FromTar(fromTar, root)
	default:
		err = rootfs.Busybox(busybox, root)
	}
	if err != nil {
		return err
	}
	return bundle.WriteConfig(dir, config)
}
