package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/api"
)

func newVolumeLsCmd(g *globals) *cobra.Command {
	var out listFlags
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List named volumes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := g.client().Volumes(cmd.Context())
			if err != nil {
				return err
			}
			return printList(out, list, "NAME\tUSED BY\tPATH",
				func(v api.Volume) string { return v.Name },
				func(v api.Volume) string {
					return fmt.Sprintf("%s\t%s\t%s", v.Name, strings.Join(v.UsedBy, ","), v.Path)
				})
		},
	}
	out.register(cmd, "print names only")
	return cmd
}
