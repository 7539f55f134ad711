package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase3-overlay/image"
)

func newImportCmd(g *globals) *cobra.Command {
	var refs []string
	cmd := &cobra.Command{
		Use:   "import ARCHIVE|LAYOUT-DIR|-",
		Short: "Import images from an OCI layout tar archive or directory",
		Long: `Import the images of an OCI image layout: a tar archive (as export writes;
- reads it from stdin) or a layout directory (as umoci and skopeo write).
Every blob is checked against its digest on the way in.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			images, err := g.images()
			if err != nil {
				return err
			}
			imported, err := importPath(cmd, g, images, args[0], refs)
			if err != nil {
				return err
			}
			for _, img := range imported {
				fmt.Fprintf(cmd.OutOrStdout(), "imported %s %s\n", refName(img.Ref),
					img.Descriptor.Digest)
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&refs, "ref", nil,
		"import only these names from a layout directory")
	return cmd
}

func importPath(cmd *cobra.Command, g *globals, images *image.Store, path string,
	refs []string) ([]*image.Image, error) {
	ctx := cmd.Context()
	if path == "-" {
		return images.Import(ctx, cmd.InOrStdin(), image.ImportOptions{
			Progress: g.progressFunc("import"),
		})
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	opts := image.ImportOptions{Progress: g.progressFunc("import"), Size: info.Size()}
	if info.IsDir() {
		opts.Size = 0
		return images.ImportLayout(ctx, path, opts, refs...)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return images.Import(ctx, f, opts)
}

// refName shows an unnamed image as "<none>", as docker does.
func refName(ref string) string {
	if ref == "" {
		return "<none>"
	}
	return ref
}
