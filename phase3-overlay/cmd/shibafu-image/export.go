package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
)

func newExportCmd(g *globals) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export IMAGE... [-o FILE]",
		Short: "Write images as an OCI layout tar archive",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			images, err := g.images()
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err := unix.IoctlGetTermios(int(os.Stdout.Fd()), unix.TCGETS)
				if err == nil {
					return errors.New("refusing to write an archive to a terminal: use -o FILE")
				}
				return images.Export(cmd.Context(), cmd.OutOrStdout(), args...)
			}
			f, err := os.Create(output)
			if err != nil {
				return err
			}
			if err := images.Export(cmd.Context(), f, args...); err != nil {
				f.Close()
				os.Remove(output)
				return err
			}
			return f.Close()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "archive file (default stdout)")
	return cmd
}
