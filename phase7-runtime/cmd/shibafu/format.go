package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"text/template"

	"github.com/spf13/cobra"
)

// formatHelp documents --format on every listing command.
const formatHelp = "print each item with a Go template, such as '{{.ID}} {{.Name}}', " +
	"or as JSON lines with 'json'"

// printFormat prints items as --format says: "json" writes each as one
// line of JSON (JSON Lines, ready for jq), anything else is a Go
// template (text/template) run for each item, the API's type with its
// field names, followed by a newline. Templates may call json (an
// item's part as JSON) and join (strings.Join).
func printFormat[T any](out io.Writer, format string, items []T) error {
	if format == "json" {
		enc := json.NewEncoder(out)
		for _, it := range items {
			if err := enc.Encode(it); err != nil {
				return err
			}
		}
		return nil
	}
	tmpl, err := template.New("format").Funcs(template.FuncMap{
		"json": func(v any) (string, error) {
			data, err := json.Marshal(v)
			return string(data), err
		},
		"join": strings.Join,
	}).Parse(format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	for _, it := range items {
		if err := tmpl.Execute(out, it); err != nil {
			return fmt.Errorf("--format: %w", err)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// listFlags are the output flags of every listing command.
type listFlags struct {
	quiet  bool
	format string
}

func (f *listFlags) register(cmd *cobra.Command, quietHelp string) {
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, quietHelp)
	cmd.Flags().StringVar(&f.format, "format", "", formatHelp)
}

// printList prints the items of a listing command: through --format if
// given, their names alone with -q, or else as a table with header
// (tab-separated columns) and one row per item.
func printList[T any](f listFlags, items []T, header string, name, row func(T) string) error {
	if f.format != "" && !f.quiet {
		return printFormat(os.Stdout, f.format, items)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 3, ' ', 0)
	if !f.quiet {
		fmt.Fprintln(w, header)
	}
	for _, it := range items {
		if f.quiet {
			fmt.Fprintln(w, name(it))
		} else {
			fmt.Fprintln(w, row(it))
		}
	}
	return w.Flush()
}
