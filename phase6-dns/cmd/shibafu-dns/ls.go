package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"shibafu.dev/phase6-dns/dns"
)

func newListCmd(client *dns.Client) *cobra.Command {
	var network string
	cmd := &cobra.Command{
		Use:     "ls [flags]",
		Aliases: []string{"list"},
		Short:   "List the registered names",
		Example: `  shibafu-dns ls
  shibafu-dns ls --network backend`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			records, err := client.List(cmd.Context(), network)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NETWORK\tNAME\tSERVICE\tADDRESSES\tPORTS")
			for _, r := range records {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.Network, r.Name, dash(r.Service),
					dash(join(r.IPs)), dash(join(r.Ports)))
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&network, "network", "", "list only this network (default: all)")
	return cmd
}

// join formats a list with commas.
func join[T fmt.Stringer](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = v.String()
	}
	return strings.Join(s, ",")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
