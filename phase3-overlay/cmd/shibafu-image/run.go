package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/cli"
	"shibafu.dev/phase1-libcontainer/container"
	"shibafu.dev/phase3-overlay/launch"
)

func newRunCmd(g *globals) *cobra.Command {
	var opts launch.Options
	cmd := &cobra.Command{
		Use:   "run [--name NAME] [--keep] IMAGE [-- CMD...]",
		Short: "Run a container on a fresh overlay snapshot of IMAGE",
		Long: `Run a container (phase 1's libcontainer) whose root filesystem is an overlay
snapshot of IMAGE. The snapshot is removed when the container exits, unless
--keep: then it stays, unmounted, for diff, commit or another run --name NAME.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			images, snapshots, err := g.stores()
			if err != nil {
				return err
			}
			opts.Image, opts.Args = args[0], args[1:]
			if opts.ID == "" {
				opts.ID = randomID()
			}
			opts.Stdio = container.Stdio{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
			l := &launch.Launcher{
				Images: images, Snapshots: snapshots,
				Containers: &container.Manager{Root: g.root},
			}
			exit, err := l.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if exit.Code != 0 {
				return cli.Exit(exit.Code)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.ID, "name", "", "container and snapshot name (default random)")
	cmd.Flags().BoolVar(&opts.Keep, "keep", false, "keep the snapshot after the container exits")
	cmd.Flags().StringArrayVarP(&opts.Env, "env", "e", nil, "environment variable NAME=value")
	return cmd
}

// randomID names a container when the user did not, as docker does.
func randomID() string {
	var b [6]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return "sbf-" + hex.EncodeToString(b[:])
}
