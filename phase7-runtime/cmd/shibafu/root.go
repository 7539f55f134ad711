package main

import (
	"os"

	"github.com/spf13/cobra"

	"shibafu.dev/phase7-runtime/client"
)

// globals are the flags every command shares.
type globals struct {
	host string
	tls  tlsFlags // host.go
}

// client returns a client for the daemon named by --host.
func (g *globals) client() *client.Client {
	return g.tls.client(g.host)
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "shibafu",
		Short: "Run containers with the shibafud daemon",
		Long: `shibafu runs and manages containers through the shibafud daemon, with
docker's command names and flags. The daemon must be running (as root).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	host := os.Getenv("SHIBAFU_HOST")
	if host == "" {
		host = client.DefaultSocket
	}
	root.PersistentFlags().StringVarP(&g.host, "host", "H", host,
		"daemon socket, or tcp://HOST:PORT (default $SHIBAFU_HOST, else "+
			client.DefaultSocket+")")
	g.tls.register(root)
	root.AddCommand(
		newRunCmd(g), newPsCmd(g), newLogsCmd(g), newStopCmd(g), newKillCmd(g),
		newRmCmd(g), newInspectCmd(g), newExecCmd(g), newImagesCmd(g),
		newBuildBaseCmd(g), newNetworkCmd(g), newInfoCmd(g), newStatsCmd(g),
		newStartCmd(g), newRestartCmd(g), newWaitCmd(g), newRenameCmd(g), newPortCmd(g),
		newTopCmd(g), newEventsCmd(g), newPullCmd(g), newPushCmd(g), newTagCmd(g),
		newRmiCmd(g), newCreateCmd(g), newCpCmd(g), newCommitCmd(g), newVolumeCmd(g),
		newImageCmd(g), newSystemCmd(g), newSaveCmd(g), newLoadCmd(g), newImportCmd(g),
	)
	return root
}
