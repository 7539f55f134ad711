package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
)

func newConfigCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "config -a APP",
		Short: "Show or change an app's config vars (its environment)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			vars, err := g.client().Config(cmd.Context(), app)
			if err != nil {
				return err
			}
			return g.print(cmd, vars, func() {
				for _, k := range slices.Sorted(maps.Keys(vars)) {
					fmt.Fprintf(cmd.OutOrStdout(), "%s=%s\n", k, vars[k])
				}
			})
		},
	}
	appFlag(cmd, &app)
	cmd.AddCommand(newConfigGetCmd(g), newConfigSetCmd(g, false), newConfigUnsetCmd(g, false))
	return cmd
}

func newConfigGetCmd(g *globals) *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "get -a APP NAME",
		Short: "Print the value of one config var",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			vars, err := g.client().Config(cmd.Context(), app)
			if err != nil {
				return err
			}
			v, ok := vars[args[0]]
			if !ok {
				return fmt.Errorf("app %s has no config var %s", app, args[0])
			}
			fmt.Fprintln(cmd.OutOrStdout(), v)
			return nil
		},
	}
	appFlag(cmd, &app)
	return cmd
}

// newConfigSetCmd is `config set` or, for secrets, `secrets set`.
func newConfigSetCmd(g *globals, secret bool) *cobra.Command {
	var app string
	what := "config vars"
	if secret {
		what = "secrets (stored encrypted, never shown unless revealed)"
	}
	cmd := &cobra.Command{
		Use:   "set -a APP NAME=VALUE...",
		Short: "Set " + what + " and roll out a release with them",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			change := api.ConfigChange{}
			for _, arg := range args {
				name, value, ok := strings.Cut(arg, "=")
				if !ok {
					return fmt.Errorf("%q: want NAME=VALUE", arg)
				}
				change[name] = &value
			}
			return changeConfig(cmd, g, app, change, secret)
		},
	}
	appFlag(cmd, &app)
	return cmd
}

func newConfigUnsetCmd(g *globals, secret bool) *cobra.Command {
	var app string
	what := "config vars"
	if secret {
		what = "secrets"
	}
	cmd := &cobra.Command{
		Use:   "unset -a APP NAME...",
		Short: "Unset " + what + " and roll out a release without them",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			change := api.ConfigChange{}
			for _, name := range args {
				change[name] = nil
			}
			return changeConfig(cmd, g, app, change, secret)
		},
	}
	appFlag(cmd, &app)
	return cmd
}

func changeConfig(cmd *cobra.Command, g *globals, app string, change api.ConfigChange,
	secret bool) error {
	c := g.client()
	set := c.SetConfig
	if secret {
		set = c.SetSecrets
	}
	rel, err := set(cmd.Context(), app, change, g.logf(cmd))
	if err != nil {
		return err
	}
	return printRelease(cmd, g, rel, "Released")
}

func newSecretsCmd(g *globals) *cobra.Command {
	var app string
	var reveal bool
	cmd := &cobra.Command{
		Use:   "secrets -a APP [--reveal]",
		Short: "List an app's secrets by name, or change them",
		Long: `secrets lists the names of an app's secrets. Their values are stored
encrypted and shown only with --reveal.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			c := g.client()
			if reveal {
				values, err := c.RevealSecrets(cmd.Context(), app)
				if err != nil {
					return err
				}
				return g.print(cmd, values, func() {
					for _, k := range slices.Sorted(maps.Keys(values)) {
						fmt.Fprintf(cmd.OutOrStdout(), "%s=%s\n", k, values[k])
					}
				})
			}
			names, err := c.Secrets(cmd.Context(), app)
			if err != nil {
				return err
			}
			return g.print(cmd, names, func() {
				for _, n := range names {
					fmt.Fprintln(cmd.OutOrStdout(), n)
				}
			})
		},
	}
	appFlag(cmd, &app)
	cmd.Flags().BoolVar(&reveal, "reveal", false, "print the values too")
	var lsApp string
	ls := &cobra.Command{
		Use:   "ls -a APP",
		Short: "List an app's secrets by name",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := needApp(lsApp); err != nil {
				return err
			}
			names, err := g.client().Secrets(c.Context(), lsApp)
			if err != nil {
				return err
			}
			return g.print(c, names, func() {
				for _, n := range names {
					fmt.Fprintln(c.OutOrStdout(), n)
				}
			})
		},
	}
	appFlag(ls, &lsApp)
	cmd.AddCommand(newConfigSetCmd(g, true), newConfigUnsetCmd(g, true), ls)
	return cmd
}
