package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newLogsCmd(m *container.Manager) *cobra.Command {
	return &cobra.Command{
		Use:   "logs ID",
		Short: "Print a detached container's output",
		Long: `logs prints what detached container ID wrote so far: its standard output
here on standard output, its standard error on standard error. A
foreground container has no logs: its output went to the terminal.`,
		Example: `  shibafu-ctr logs web`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := m.Logs(args[0])
			if err != nil {
				return err
			}
			if err := copyFile(cmd.OutOrStdout(), files.Stdout); err != nil {
				return err
			}
			return copyFile(cmd.ErrOrStderr(), files.Stderr)
		},
	}
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no logs: the container ran in the foreground")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
