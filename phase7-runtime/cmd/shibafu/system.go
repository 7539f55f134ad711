package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

// newSystemCmd groups the commands about the daemon as a whole, as
// `docker system` does.
func newSystemCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "system",
		Short: "Look after the daemon: disk usage, pruning, info",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newSystemDFCmd(g), newSystemPruneCmd(g), newInfoCmd(g))
	return cmd
}

func newSystemDFCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "df",
		Short: "Show the disk space that images, containers and volumes take",
		Long: `df shows, for images, containers and volumes, how many there are, how many
are in use (images a container was made from, running containers,
mounted volumes), the space they take and the part of it that only
unused ones take. Image blobs shared by several images count once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			du, err := g.client().DiskUsage(cmd.Context())
			if err != nil {
				return err
			}
			if format != "" {
				return printFormat(os.Stdout, format, []*api.DiskUsage{du})
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 4, 3, ' ', 0)
			fmt.Fprintln(w, "TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE")
			for _, row := range []struct {
				name string
				u    api.Usage
			}{{"Images", du.Images}, {"Containers", du.Containers}, {"Volumes", du.Volumes}} {
				fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\n", row.name, row.u.Total, row.u.Active,
					size(uint64(row.u.Size)), size(uint64(row.u.Reclaimable)))
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	return cmd
}

func newSystemPruneCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Remove stopped containers, unused networks and unused image data",
		Long: `prune removes every stopped container (exited, or created and never
started), every network no container is on (not the default one), and the
image blobs and unpacked layers that no image nor container uses. Named
images and volumes stay. It asks first, unless -f is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !force && !confirm("This removes all stopped containers, unused networks"+
				" and unused image data.\nAre you sure you want to continue? [y/N] ") {
				return errors.New("prune: not confirmed (use -f to skip the question)")
			}
			report, err := g.client().Prune(cmd.Context())
			if err != nil {
				return err
			}
			for _, id := range report.Containers {
				fmt.Println("Deleted container:", id)
			}
			for _, n := range report.Networks {
				fmt.Println("Deleted network:", n)
			}
			fmt.Printf("Deleted %d image blobs and %d unpacked layers\n", report.Blobs,
				report.Layers)
			fmt.Println("Total reclaimed space:", size(uint64(report.SpaceReclaimed)))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
}

// confirm asks question on stderr and reports whether the answer on
// stdin is yes.
func confirm(question string) bool {
	fmt.Fprint(os.Stderr, question)
	answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}
