package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/client"
)

// globals are the flags every client command shares.
type globals struct {
	url   string
	token string
	json  bool
}

// tokenFile is where `token create --save` keeps a token for the CLI.
func tokenFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "shibafu-paas", "token")
}

// client returns a client of the server at --url with the token of
// --token, else $SHIBAFU_PAAS_TOKEN, else the saved one.
func (g *globals) client() *client.Client {
	token := g.token
	if token == "" {
		token = os.Getenv("SHIBAFU_PAAS_TOKEN")
	}
	if token == "" {
		if data, err := os.ReadFile(tokenFile()); err == nil {
			token = strings.TrimSpace(string(data))
		}
	}
	return &client.Client{URL: g.url, Token: token}
}

// print writes v as JSON with --json, else calls human.
func (g *globals) print(cmd *cobra.Command, v any, human func()) error {
	if g.json {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human()
	return nil
}

// logf returns what prints a streamed log line: to stderr with --json,
// so that stdout holds only the JSON answer.
func (g *globals) logf(cmd *cobra.Command) func(string) {
	w := cmd.OutOrStdout()
	if g.json {
		w = cmd.ErrOrStderr()
	}
	return func(line string) { fmt.Fprintln(w, "       "+line) }
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "shibafu-paas",
		Short: "Deploy apps from source with Shibafu's PaaS",
		Long: `shibafu-paas is a Heroku-like PaaS on the Shibafu runtime. "serve" runs the
server (as root, beside shibafud); every other command talks to its API,
with a token made by "token create".`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	url := os.Getenv("SHIBAFU_PAAS_URL")
	if url == "" {
		url = client.DefaultURL
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.url, "url", url, "the API's URL (default $SHIBAFU_PAAS_URL, else "+
		client.DefaultURL+")")
	pf.StringVar(&g.token, "token", "", "API token (default $SHIBAFU_PAAS_TOKEN, else the"+
		" one saved by `token create --save`)")
	pf.BoolVar(&g.json, "json", false, "print the answer as JSON")
	root.AddCommand(
		newServeCmd(), newTokenCmd(g), newAppsCmd(g), newDeployCmd(g), newReleasesCmd(g),
		newRollbackCmd(g), newConfigCmd(g), newSecretsCmd(g), newPsCmd(g), newScaleCmd(g),
		newRunCmd(g), newRestartCmd(g), newDomainsCmd(g), newGitHookCmd(),
		newLogsCmd(g), newMetricsCmd(g), newEventsCmd(g), newAutoscaleCmd(g),
	)
	return root
}

// appFlag adds the -a/--app flag that names the app a command acts on.
func appFlag(cmd *cobra.Command, app *string) {
	cmd.Flags().StringVarP(app, "app", "a", os.Getenv("SHIBAFU_APP"),
		"the app (default $SHIBAFU_APP)")
}

// needApp fails unless an app was named.
func needApp(app string) error {
	if app == "" {
		return errors.New("no app named: give -a APP (or set SHIBAFU_APP)")
	}
	return nil
}
