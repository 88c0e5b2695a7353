package main

import (
	"io"

	"github.com/skyform/skyform/blueprints"
	"github.com/spf13/cobra"
)

func newSchemaCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the blueprint format, for editors",
		Long: `Print a JSON Schema (draft 2020-12) of the blueprint format. Point your editor's
YAML language server at it, e.g. with a first line
  # yaml-language-server: $schema=./skyform.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, err := blueprints.JSONSchema()
			if err != nil {
				return failure(exitSystem, err)
			}
			_, err = stdout.Write(data)
			return err
		},
	}
}
