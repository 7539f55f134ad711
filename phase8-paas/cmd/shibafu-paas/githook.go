package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/client"
)

// zeroCommit is what git reports as the new commit of a deleted branch.
const zeroCommit = "0000000000000000000000000000000000000000"

func newGitHookCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "git-hook APP",
		Short:  "Build and deploy a pushed commit (run by the repository's post-receive hook)",
		Hidden: true,
		Long: `git-hook is the post-receive hook of the PaaS's git repositories. git runs it
after a push with "OLD NEW REF" lines on its stdin; for a push to main or
master it asks the API to build and deploy NEW, and prints the build log,
which git shows the pusher as "remote:" lines.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			commit := ""
			sc := bufio.NewScanner(cmd.InOrStdin())
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				if len(f) == 3 && f[1] != zeroCommit &&
					(f[2] == "refs/heads/main" || f[2] == "refs/heads/master") {
					commit = f[1]
				}
			}
			out := cmd.OutOrStdout()
			if commit == "" {
				fmt.Fprintln(out, "Only a push to main or master deploys; nothing to do.")
				return nil
			}
			c := &client.Client{URL: os.Getenv("SHIBAFU_PAAS_URL"),
				Token:  os.Getenv("SHIBAFU_PAAS_HOOK_TOKEN"),
				Pusher: os.Getenv("SHIBAFU_PAAS_PUSHER")}
			fmt.Fprintf(out, "-----> Building %s of %s\n", commit[:7], args[0])
			rel, err := c.Build(cmd.Context(), args[0], commit, func(line string) {
				fmt.Fprintln(out, "       "+line)
			})
			if err != nil {
				fmt.Fprintf(out, "-----> Deploy failed: %v\n", err)
				return errHookFailed
			}
			fmt.Fprintf(out, "-----> Released v%d\n", rel.Number)
			return nil
		},
	}
}
