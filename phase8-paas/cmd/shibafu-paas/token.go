package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/tokens"
)

// tokenStore is the token file of a state root.
func tokenStore(root string) *tokens.Store {
	return &tokens.Store{Path: filepath.Join(root, "tokens.json")}
}

func newTokenCmd(g *globals) *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Make, list and revoke API tokens (on the server's host, as root)",
		Long: `token works on the state root's token file directly, so it needs to run
where the server runs, as a user who may write the state root. The server
sees a new or revoked token at its next request.`,
	}
	cmd.PersistentFlags().StringVar(&root, "root", defaultRoot, "the server's state root")

	var save bool
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Make a token; it is printed once and only its hash is kept",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			token, t, err := tokenStore(root).Create(args[0])
			if err != nil {
				return err
			}
			if save {
				path := tokenFile()
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					return err
				}
				if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "Saved token %s (%s) to %s\n", t.ID, t.Name, path)
				return nil
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	create.Flags().BoolVar(&save, "save", false, "save it for this user's shibafu-paas"+
		" commands instead of printing it")

	ls := &cobra.Command{
		Use:   "ls",
		Short: "List the tokens (not the tokens themselves: they are not kept)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ts, err := tokenStore(root).List()
			if err != nil {
				return err
			}
			return g.print(cmd, ts, func() {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tCREATED")
				for _, t := range ts {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", t.ID, t.Name,
						t.Created.Local().Format(time.DateTime))
				}
				tw.Flush()
			})
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Delete a token: calls with it are refused from then on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return tokenStore(root).Revoke(args[0])
		},
	}
	cmd.AddCommand(create, ls, revoke)
	return cmd
}
