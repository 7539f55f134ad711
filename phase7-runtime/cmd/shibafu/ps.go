package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newPsCmd(g *globals) *cobra.Command {
	var all, quiet bool
	var format string
	var filterArgs []string
	cmd := &cobra.Command{
		Use:   "ps",
		Short: "List containers",
		Long: `ps lists the running containers, or with -a all of them.

--filter KEY=VALUE keeps those that match (repeatable; the values of one
key are alternatives, different keys must all match): id=PREFIX,
name=PART, label=KEY or label=KEY=VALUE, status=created|running|paused|
exited (looks at stopped containers too), health=starting|healthy|
unhealthy|none, ancestor=IMAGE, network=NAME.

--format templates see the API's fields (.ID, .Name, .Image,
.State.Status, .Config.Labels, ...) and docker's names: .Names,
.Status, .Command, .CreatedAt, .RunningFor, .Ports, .Networks,
.Labels, .Label "KEY", .State.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			filters, err := api.ParseContainerFilters(filterArgs)
			if err != nil {
				return err
			}
			list, err := g.client().ListFiltered(cmd.Context(), all, filters)
			if err != nil {
				return err
			}
			if quiet {
				for _, c := range list {
					fmt.Println(c.ID)
				}
				return nil
			}
			if format == "json" {
				return printFormat(os.Stdout, format, list)
			}
			if format != "" {
				return printFormat(os.Stdout, format, newPsItems(list))
			}
			w := tabwriter.NewWriter(os.Stdout, 0, 4, 3, ' ', 0)
			fmt.Fprintln(w, "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES")
			for _, c := range list {
				fmt.Fprintf(w, "%s\t%s\t%q\t%s ago\t%s\t%s\t%s\n", c.ID, c.Image,
					strings.Join(c.Config.Cmd, " "), since(c.Created), status(c.State),
					ports(c.Ports), c.Name)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "show stopped containers too")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print IDs only")
	cmd.Flags().StringVar(&format, "format", "", formatHelp)
	cmd.Flags().StringArrayVarP(&filterArgs, "filter", "f", nil,
		"keep the containers that match KEY=VALUE (repeatable)")
	return cmd
}

// status reads like docker's: "Up", "Exited (137)", "Exited (137, OOM)".
func status(s api.State) string {
	switch s.Status {
	case api.StatusRunning:
		if s.Health != nil {
			return fmt.Sprintf("Up %s (%s)", since(s.StartedAt), s.Health.Status)
		}
		return "Up " + since(s.StartedAt)
	case api.StatusExited:
		if s.OOMKilled {
			return fmt.Sprintf("Exited (%d, OOM killed)", s.ExitCode)
		}
		return fmt.Sprintf("Exited (%d)", s.ExitCode)
	}
	return strings.ToUpper(s.Status[:1]) + s.Status[1:]
}

func ports(ps []api.Port) string {
	var out []string
	for _, p := range ps {
		host := p.HostIP
		if host == "" {
			host = "0.0.0.0"
		}
		out = append(out, fmt.Sprintf("%s:%d->%d/%s", host, p.HostPort, p.ContainerPort, p.Proto))
	}
	return strings.Join(out, ", ")
}

func since(t time.Time) string {
	return time.Since(t).Round(time.Second).String()
}
