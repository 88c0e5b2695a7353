package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/migrate"
	"github.com/skyform/skyform/internal/portability"
	"github.com/skyform/skyform/providers"
	"github.com/spf13/cobra"
)

type migrateArgs struct {
	runArgs
	From, To string
	Out      string
}

func newMigrateCmd(s streams) *cobra.Command {
	var a migrateArgs
	cmd := &cobra.Command{
		Use:   "migrate --from CLOUD --to CLOUD [-f FILE] [--offline] [-o RUNBOOK.md] [--json]",
		Short: "Plan a move to another cloud and write the runbook for it",
		Long: `Plan the blueprint on the target cloud and write the runbook for moving the
running deployment there, as Markdown (or --json):

  1. what differs on the target (the portability report's notes for it)
  2. the plan on the target: terraform plan of the blueprint moved there
     (--offline plans it with skyform's offline providers, no credentials)
  3. the steps, in order, each with the commands to run and the check that
     says it worked: check the target, create it beside the source, copy each
     database with the engine's own tools (pg_dump and pg_restore, mysqldump
     and mysql; the target's replication service for a copy without
     downtime), switch producers and callers, drain each queue, move the
     clusters' workloads and verify, make the target the blueprint's cloud,
     and destroy the source.

Every name and address in the commands is read with skyform output, so the
runbook stays right however often it is rerun. Nothing is applied or
destroyed: migrate runs terraform plan on the target only.

The blueprint must place its resources on --from alone. -o writes the
runbook to a file; nothing is written when the blueprint has errors or the
target cannot express it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, to, err := migrateClouds(a.From, a.To, a.Cloud)
			if err != nil {
				return err
			}
			bp, ds, err := a.load()
			if err != nil {
				return err
			}
			if ds.HasErrors() {
				return showDiagnostics(s, a.JSON, ds, a.sources(bp))
			}
			if used := bp.CloudsUsed(); len(used) != 1 || used[0] != from {
				return failure(exitUsage, fmt.Errorf("blueprint %q places its resources on %s, not on %s alone: migrate moves a deployment on one cloud (--from)", bp.Name, joinClouds(used), from))
			}
			fromRegion, _ := providers.Region(bp, from)
			toRegion, _ := providers.Region(bp, to)

			// The plan on the target, exactly as skyform plan --cloud TO.
			a.Cloud = string(to)
			d, err := a.open(cmd.Context(), s, "migrate")
			if err != nil {
				return err
			}
			defer d.Close()
			p, err := d.Plan(cmd.Context(), false, nil)
			if err != nil {
				return runFailure(err)
			}
			rep, err := portability.Analyze(bp, portability.Options{Clouds: []blueprints.Cloud{to}})
			if err != nil {
				return failure(exitSystem, err)
			}
			rb, err := migrate.Build(migrate.Input{
				Blueprint: bp, From: from, To: to, Portability: rep, Plan: p.Summary, Offline: d.Offline(),
				FromRegion: fromRegion, ToRegion: toRegion,
			})
			if err != nil {
				return failure(exitUsage, err)
			}
			if a.JSON {
				writeJSON(s.out, rb)
				return nil
			}
			var md bytes.Buffer
			if err := rb.WriteMarkdown(&md); err != nil {
				return failure(exitSystem, err)
			}
			if a.Out == "" {
				_, err := s.out.Write(md.Bytes())
				return err
			}
			if err := os.WriteFile(a.Out, md.Bytes(), 0o644); err != nil {
				return failure(exitSystem, fmt.Errorf("cannot write the runbook: %w", err))
			}
			fmt.Fprintf(s.errOut, "Wrote the runbook for moving blueprint %q from %s to %s (%d steps) to %s.\n", bp.Name, from, to, len(rb.Steps), a.Out)
			return nil
		},
	}
	a.register(cmd)
	a.registerPolicy(cmd)
	// --to is the cloud planned on; --cloud would say the same twice.
	_ = cmd.Flags().MarkHidden("cloud")
	cmd.Flags().StringVar(&a.From, "from", "", "the cloud the blueprint runs on now: aws, gcp or azure")
	cmd.Flags().StringVar(&a.To, "to", "", "the cloud to move it to: aws, gcp or azure")
	cmd.Flags().StringVarP(&a.Out, "out", "o", "", "write the Markdown runbook to FILE instead of stdout")
	return cmd
}

func migrateClouds(from, to, cloud string) (blueprints.Cloud, blueprints.Cloud, error) {
	if cloud != "" {
		return "", "", failure(exitUsage, fmt.Errorf("migrate takes --to, not --cloud"))
	}
	pick := func(flag, v string) (blueprints.Cloud, error) {
		for _, c := range blueprints.Clouds {
			if string(c) == v {
				return c, nil
			}
		}
		if v == "" {
			return "", failure(exitUsage, fmt.Errorf("migrate needs --%s: aws, gcp or azure", flag))
		}
		return "", failure(exitUsage, fmt.Errorf("unknown cloud %q for --%s; allowed: %s", v, flag, strings.Join([]string{"aws", "gcp", "azure"}, ", ")))
	}
	f, err := pick("from", from)
	if err != nil {
		return "", "", err
	}
	t, err := pick("to", to)
	if err != nil {
		return "", "", err
	}
	if f == t {
		return "", "", failure(exitUsage, fmt.Errorf("--from and --to are both %s", f))
	}
	return f, t, nil
}
