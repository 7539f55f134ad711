package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase5-registry/storage"
)

func newGCCmd(g *globals) *cobra.Command {
	var opts storage.GCOptions
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Delete blobs no manifest needs, and stale uploads",
		Long: `gc marks every manifest of every repository and what it points to, and
deletes the other blobs and the uploads left unfinished. It is safe beside a
running server: it locks out manifest pushes while it works, and spares
content younger than --grace, which a push in progress may still name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.registryStore(storage.Options{})
			if err != nil {
				return err
			}
			report, err := st.GC(cmd.Context(), opts)
			if err != nil {
				return err
			}
			verb := "removed"
			if opts.DryRun {
				verb = "would remove"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "kept %d blobs, %s %d blobs and %d uploads\n",
				report.Kept, verb, len(report.Removed), report.Uploads)
			return nil
		},
	}
	cmd.Flags().DurationVar(&opts.Grace, "grace", time.Hour,
		"spare blobs and uploads changed less than this long ago (0 for an idle registry)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "only report what would be removed")
	return cmd
}
