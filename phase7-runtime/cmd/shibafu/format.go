package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"
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
