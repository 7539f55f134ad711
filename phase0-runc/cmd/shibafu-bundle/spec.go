package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase0-runc/bundle"
)

func newSpecCmd() *cobra.Command {
	var (
		spec  specFlags
		print bool
	)
	cmd := &cobra.Command{
		Use:   "spec DIR [flags] [-- COMMAND [ARG...]]",
		Short: "Write (or print) a bundle's config.json",
		Long: `spec writes DIR/config.json for COMMAND (default: sh) with the given flags,
replacing the one there; the root filesystem is left as it is. With --print
it writes the configuration to standard output instead and changes nothing.`,
		Example: `  shibafu-bundle spec --print -- echo hi | less
  shibafu-bundle spec /tmp/hello --read-only -- touch /file`,
		Args: func(cmd *cobra.Command, args []string) error {
			if !print && len(args) == 0 {
				return fmt.Errorf("give the bundle directory, or --print")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var command []string
			if n := cmd.ArgsLenAtDash(); n >= 0 {
				command = args[n:]
				args = args[:n]
			}
			opts, err := spec.options(command)
			if err != nil {
				return err
			}
			config, err := bundle.Spec(opts)
			if err != nil {
				return err
			}
			if print {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "\t")
				return enc.Encode(config)
			}
			if len(args) != 1 {
				return fmt.Errorf("want exactly one bundle directory, got %d", len(args))
			}
			if info, err := os.Stat(args[0]); err != nil || !info.IsDir() {
				return fmt.Errorf("bundle directory %s does not exist (create it with init)", args[0])
			}
			return bundle.WriteConfig(args[0], config)
		},
	}
	spec.register(cmd)
	cmd.Flags().BoolVar(&print, "print", false, "print the configuration instead of writing it")
	return cmd
}
