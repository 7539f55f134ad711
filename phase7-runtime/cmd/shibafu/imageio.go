package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
)

func newSaveCmd(g *globals) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "save [-o FILE] IMAGE...",
		Short: "Write images to an OCI archive",
		Long: `save writes the images to a tar archive of an OCI image layout (an "OCI
archive"), to FILE or to standard output. skopeo reads it as
oci-archive:FILE; load reads it back.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			out := os.Stdout
			if output != "" {
				if out, err = os.Create(output); err != nil {
					return fmt.Errorf("save: %w", err)
				}
				defer func() {
					if cerr := out.Close(); err == nil && cerr != nil {
						err = fmt.Errorf("save: %w", cerr)
					}
					if err != nil {
						os.Remove(output) // no half-written archive
					}
				}()
			} else if isTerminal(out) {
				return errors.New("save: refusing to write an archive to a terminal:" +
					" use -o FILE or redirect the output")
			}
			return g.client().SaveImages(cmd.Context(), args, out)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	return cmd
}

func newLoadCmd(g *globals) *cobra.Command {
	var input string
	cmd := &cobra.Command{
		Use:   "load [-i FILE]",
		Short: "Add the images of an OCI archive",
		Long: `load reads a tar archive of an OCI image layout (as save or skopeo copy
oci-archive: write) from FILE or standard input, and adds its images
under the names the archive gives them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := openInput(input)
			if err != nil {
				return fmt.Errorf("load: %w", err)
			}
			defer in.Close()
			imgs, err := g.client().LoadImages(cmd.Context(), in)
			if err != nil {
				return err
			}
			for _, img := range imgs {
				fmt.Println("Loaded image:", img.Ref)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&input, "input", "i", "", "read from FILE instead of stdin")
	return cmd
}

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|- IMAGE",
		Short: "Make an image of a root filesystem tarball",
		Long: `import makes a one-layer image named IMAGE of a root filesystem tarball
(plain or gzip), read from FILE or, with -, from standard input. The
image has no command of its own: give one to run.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if name == "-" {
				name = ""
			}
			in, err := openInput(name)
			if err != nil {
				return fmt.Errorf("import: %w", err)
			}
			defer in.Close()
			img, err := g.client().ImportImage(cmd.Context(), args[1], in)
			if err != nil {
				return err
			}
			fmt.Println(img.Digest)
			return nil
		},
	}
}

// openInput opens path, or standard input if path is empty.
func openInput(path string) (io.ReadCloser, error) {
	if path == "" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(path)
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
