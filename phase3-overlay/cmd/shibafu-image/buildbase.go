package main

import (
	"fmt"
	"os"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/spf13/cobra"

	"shibafu.dev/phase3-overlay/image"
)

func newBuildBaseCmd(g *globals) *cobra.Command {
	var cfg ocispec.ImageConfig
	cmd := &cobra.Command{
		Use:   "build-base busybox [NAME] | dir DIR NAME | tar FILE NAME [-- CMD...]",
		Short: "Make a one-layer base image from busybox, a directory or a rootfs tarball",
		Long: `Make a base image locally, since there is no registry to pull one from:

  busybox [NAME]   the static busybox of this machine (NAME defaults to busybox)
  dir DIR NAME     the tree at DIR
  tar FILE NAME    a root filesystem tarball, plain or gzip

Words after -- become the image's default command (its Cmd).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				cfg.Cmd, args = args[dash:], args[:dash]
			}
			images, err := g.images()
			if err != nil {
				return err
			}
			img, err := buildBase(cmd, images, args, cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", img.Ref, img.Descriptor.Digest)
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&cfg.Env, "env", "e", nil, "environment variable NAME=value")
	cmd.Flags().StringVarP(&cfg.WorkingDir, "workdir", "w", "", "working directory")
	cmd.Flags().StringVarP(&cfg.User, "user", "u", "", "user as UID[:GID]")
	return cmd
}

func buildBase(cmd *cobra.Command, images *image.Store, args []string,
	cfg ocispec.ImageConfig) (*image.Image, error) {
	ctx := cmd.Context()
	switch {
	case args[0] == "busybox" && len(args) <= 2:
		ref := "busybox"
		if len(args) == 2 {
			ref = args[1]
		}
		return images.Busybox(ctx, ref)
	case args[0] == "dir" && len(args) == 3:
		return images.FromDir(ctx, args[2], args[1], cfg)
	case args[0] == "tar" && len(args) == 3:
		f, err := os.Open(args[1])
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return images.FromTar(ctx, args[2], f, cfg)
	}
	return nil, fmt.Errorf("usage: %s", cmd.Use)
}
