package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newPsCmd(m *container.Manager) *cobra.Command {
	var quiet bool
	cmd := &cobra.Command{
		Use:     "ps",
		Aliases: []string{"list", "ls"},
		Short:   "List containers",
		Long: `ps lists every container under the state root, running or not, oldest
first: its ID, status (with the exit code once stopped), the host PID of
its init, its age and its command.`,
		Example: `  shibafu-ctr ps
  shibafu-ctr ps -q`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			states, err := m.List()
			if err != nil {
				return err
			}
			if quiet {
				for _, st := range states {
					fmt.Fprintln(cmd.OutOrStdout(), st.ID)
				}
				return nil
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tSTATUS\tPID\tCREATED\tCOMMAND")
			for _, st := range states {
				fmt.Fprintf(w, "%s\t%s\t%d\t%s ago\t%s\n", st.ID, status(st),
					st.Pid, time.Since(st.Created).Round(time.Second), strings.Join(st.Command, " "))
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print IDs only")
	return cmd
}

// status reads like docker's: "running", "stopped (137, oom-killed)".
func status(st container.State) string {
	if st.Exit == nil {
		return string(st.Status)
	}
	detail := fmt.Sprint(st.Exit.Code)
	if st.Exit.OOMKilled {
		detail += ", oom-killed"
	}
	return fmt.Sprintf("%s (%s)", st.Status, detail)
}
