package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"shibafu.dev/phase8-paas/api"
)

func newAppsTLSCmd(g *globals) *cobra.Command {
	var app string
	var redirect, hsts bool
	cmd := &cobra.Command{
		Use:   "tls -a APP [--redirect[=false]] [--hsts[=false]]",
		Short: "Show or set an app's HTTPS options: redirect HTTP to HTTPS, HSTS",
		Long: `tls sets the app's HTTPS options given, keeping the others, and prints them.

  --redirect  answer plain HTTP with 308 Permanent Redirect to the same URL over
              HTTPS (ACME challenges still get through)
  --hsts      send Strict-Transport-Security: max-age=31536000 over HTTPS, so
              that browsers use only HTTPS for the app's names for a year

Both are off by default; --redirect=false turns one off again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := needApp(app); err != nil {
				return err
			}
			c := g.client()
			a, err := c.App(cmd.Context(), app)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			if f.Changed("redirect") || f.Changed("hsts") {
				s := a.TLS
				if f.Changed("redirect") {
					s.Redirect = redirect
				}
				if f.Changed("hsts") {
					s.HSTS = hsts
				}
				if a, err = c.SetTLS(cmd.Context(), app, s); err != nil {
					return err
				}
			}
			return g.print(cmd, a.TLS, func() {
				fmt.Fprintf(cmd.OutOrStdout(), "HTTPS options of %s: redirect %s, hsts %s\n",
					a.Name, onOff(a.TLS.Redirect), onOff(a.TLS.HSTS))
			})
		},
	}
	appFlag(cmd, &app)
	cmd.Flags().BoolVar(&redirect, "redirect", false, "redirect HTTP to HTTPS")
	cmd.Flags().BoolVar(&hsts, "hsts", false, "send HSTS over HTTPS")
	return cmd
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// printDomains writes an app's host names and their certificates as a
// table.
func printDomains(cmd *cobra.Command, ds []api.Domain) {
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tCERTIFICATE\tEXPIRES\tNEXT\tDETAIL")
	for _, d := range ds {
		detail := d.Issuer
		if d.Error != "" {
			detail = d.Problem + " " + oneLine(d.Error)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Status, day(d.NotAfter),
			day(d.Next), strings.TrimSpace(detail))
	}
	tw.Flush()
}

// day writes t as a date and time to the second, "-" if zero.
func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// oneLine keeps an error message on one line of a table.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
