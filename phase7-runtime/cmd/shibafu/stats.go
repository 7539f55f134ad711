package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
	"shibafu.dev/phase7-runtime/client"
)

// clearScreen moves the cursor home and clears the terminal (ANSI), so
// that each table of a live stats view replaces the last.
const clearScreen = "\033[H\033[2J"

func newStatsCmd(g *globals) *cobra.Command {
	var noStream bool
	cmd := &cobra.Command{
		Use:   "stats [flags] [CONTAINER...]",
		Short: "Show containers' live resource use (default: every running one)",
		Long: `stats shows the CPU, memory, process and network use of containers, as the
daemon samples them every few seconds. CPU % is the use since the sample
before, where 100% is one CPU kept busy. It keeps refreshing until
interrupted; with --no-stream it prints one table and returns.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, c := cmd.Context(), g.client()
			ids, err := statsTargets(ctx, c, args)
			if err != nil {
				return err
			}
			if noStream {
				return statsOnce(ctx, c, ids)
			}
			return statsLive(ctx, c, ids)
		},
	}
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one table and return")
	return cmd
}

// statsTargets is the containers named, or every running one.
func statsTargets(ctx context.Context, c *client.Client, args []string) ([]string, error) {
	if len(args) > 0 {
		return args, nil
	}
	list, err := c.List(ctx, false)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, ctr := range list {
		ids = append(ids, ctr.ID)
	}
	return ids, nil
}

func statsOnce(ctx context.Context, c *client.Client, ids []string) error {
	var rows []api.Stats
	for _, id := range ids {
		st, err := c.Stats(ctx, id)
		if err != nil {
			return err
		}
		rows = append(rows, *st)
	}
	return printStats(os.Stdout, rows)
}

// statsLive follows each container's stream of samples and redraws the
// table every second until ctx ends or every container has stopped.
func statsLive(ctx context.Context, c *client.Client, ids []string) error {
	var mu sync.Mutex
	latest := make([]api.Stats, len(ids))
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for i, id := range ids {
		wg.Go(func() {
			errs <- c.StatsStream(ctx, id, func(st api.Stats) {
				mu.Lock()
				latest[i] = st
				mu.Unlock()
			})
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-done:
			close(errs)
			for err := range errs {
				if err != nil {
					return err
				}
			}
			return nil
		case <-t.C:
		}
		mu.Lock()
		rows := append([]api.Stats(nil), latest...)
		mu.Unlock()
		fmt.Print(clearScreen)
		printStats(os.Stdout, rows)
	}
}

func printStats(out io.Writer, rows []api.Stats) error {
	w := tabwriter.NewWriter(out, 0, 4, 3, ' ', 0)
	fmt.Fprintln(w, "CONTAINER ID\tNAME\tCPU %\tMEM USAGE / LIMIT\tPIDS\tNET I/O")
	for _, s := range rows {
		if s.ID == "" {
			continue // no sample yet
		}
		limit := "-"
		if s.MemoryLimit > 0 {
			limit = size(s.MemoryLimit)
		}
		var rx, tx uint64
		for _, n := range s.Networks {
			rx, tx = rx+n.RxBytes, tx+n.TxBytes
		}
		fmt.Fprintf(w, "%s\t%s\t%.2f%%\t%s / %s\t%d\t%s / %s\n", s.ID, s.Name, s.CPUPercent,
			size(s.MemoryBytes), limit, s.Pids, size(rx), size(tx))
	}
	return w.Flush()
}

// size prints a byte count in binary units, as docker stats does.
func size(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f%ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
