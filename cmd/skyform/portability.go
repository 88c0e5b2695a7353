package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/portability"
	"github.com/spf13/cobra"
)

type portabilityArgs struct {
	blueprintArgs
	Markdown string
}

func newPortabilityCmd(s streams) *cobra.Command {
	var a portabilityArgs
	cmd := &cobra.Command{
		Use:   "portability [-f FILE] [--cloud all|aws|gcp|azure] [--json] [--markdown FILE]",
		Short: "Report how exactly each cloud expresses every feature of the blueprint",
		Long: `Move the blueprint whole to each cloud, compile it there in memory (nothing is
written), and report every feature it writes, per resource and per cloud:

  exact         the cloud does what the blueprint says
  approximated  the cloud does something close, and the report says how
                (the explanation is the compile's own warning)
  unsupported   the blueprint cannot be compiled for that cloud as written,
                and the report says why

Each trigger, environment variable and node pool is a feature of its own, so
is the blueprint's region; attributes under overrides for one cloud are
reported as not carried to the others. A one-line score per cloud closes the
report.

--markdown FILE also writes the report as Markdown, for a pull request
comment ("-" writes it to stdout instead of the table). --json prints the
report as data. The exit code is 0 whenever the report was made, whatever it
says; 1 when the blueprint itself has errors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPortability(s, &a)
		},
	}
	a.register(cmd, "all, aws, gcp or azure: the clouds to judge (default all)")
	cmd.Flags().StringVar(&a.Markdown, "markdown", "", `write the report as Markdown to FILE ("-" for stdout)`)
	return cmd
}

func runPortability(s streams, a *portabilityArgs) error {
	clouds := blueprints.Clouds
	if a.Cloud != "" && a.Cloud != "all" {
		ts, err := a.targets(false)
		if err != nil {
			return err
		}
		clouds = ts
	}
	bp, ds, err := a.load()
	if err != nil {
		return err
	}
	src := bp.Sources()
	if ds.HasErrors() {
		return refuse(s, a.JSON, ds, src, "no report")
	}
	rep, err := portability.Analyze(bp, portability.Options{Clouds: clouds})
	if err != nil {
		return failure(exitSystem, err)
	}
	var md bytes.Buffer
	if a.Markdown != "" {
		if err := rep.WriteMarkdown(&md); err != nil {
			return failure(exitSystem, err)
		}
	}
	switch {
	case a.JSON:
		writeJSON(s.out, rep)
	case a.Markdown == "-":
		_, _ = s.out.Write(md.Bytes())
	default:
		if err := rep.WriteText(s.out); err != nil {
			return failure(exitSystem, err)
		}
	}
	if a.Markdown != "" && a.Markdown != "-" {
		if err := os.WriteFile(a.Markdown, md.Bytes(), 0o644); err != nil {
			return failure(exitSystem, fmt.Errorf("cannot write the Markdown report: %w", err))
		}
		if !a.JSON {
			fmt.Fprintf(s.errOut, "Wrote the portability report of blueprint %q to %s.\n", bp.Name, a.Markdown)
		}
	}
	return nil
}
