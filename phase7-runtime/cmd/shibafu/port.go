package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

func newPortCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "port CONTAINER [PORT[/PROTO]]",
		Short: "List a container's published ports, or where one of them is published",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client().Inspect(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			var want string
			if len(args) == 2 {
				want = args[1]
				if !strings.Contains(want, "/") {
					want += "/tcp"
				}
			}
			found := false
			for _, p := range c.Ports {
				key := strconv.Itoa(int(p.ContainerPort)) + "/" + p.Proto
				if want != "" && key != want {
					continue
				}
				host := p.HostIP
				if host == "" {
					host = "0.0.0.0"
				}
				fmt.Printf("%s -> %s:%d\n", key, host, p.HostPort)
				found = true
			}
			if want != "" && !found {
				return fmt.Errorf("no public port %s published for %s", want, c.Name)
			}
			return nil
		},
	}
}
