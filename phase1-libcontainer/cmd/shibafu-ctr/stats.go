package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase1-libcontainer/container"
)

func newStatsCmd(m *container.Manager) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats ID",
		Short: "Print a container's resource usage",
		Long: `stats reads the cgroups of running container ID: the CPU time its
processes used, the memory they use and the number of processes, with
their limits.`,
		Example: `  shibafu-ctr stats web
  shibafu-ctr stats --json web`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := m.Stats(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(s)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "CPU\tMEMORY\tPIDS")
			cpu := time.Duration(s.CPUNanos).Round(time.Millisecond)
			fmt.Fprintf(w, "%s\t%s / %s\t%d / %s\n", cpu,
				mebibytes(s.MemoryBytes), limit(s.MemoryLimit, mebibytes), s.Pids,
				limit(s.PidsLimit, func(n uint64) string { return fmt.Sprint(n) }))
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func mebibytes(n uint64) string {
	return fmt.Sprintf("%.1fMiB", float64(n)/(1<<20))
}

// limit formats a limit, where 0 means none.
func limit(n uint64, format func(uint64) string) string {
	if n == 0 {
		return "no limit"
	}
	return format(n)
}
