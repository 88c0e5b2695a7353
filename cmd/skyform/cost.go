package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/cost"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/jsonindent"
	"github.com/spf13/cobra"
)

type costArgs struct {
	blueprintArgs
	Usage   string
	Regions string
}

func newCostCmd(stdout, stderr io.Writer) *cobra.Command {
	var a costArgs
	cmd := &cobra.Command{
		Use:   "cost [-f FILE] [--cloud all|aws|gcp|azure] [--region R,...] [--usage FILE] [--json]",
		Short: "Estimate what the blueprint costs per month on each cloud",
		Long: `Estimate the monthly cost of the blueprint on each cloud, side by side, from the
price table built into skyform. The blueprint is moved whole to each cloud
(--cloud all, the default) and every SKU its Terraform creates is priced:
instance classes and machine types from the clouds' size tables, storage,
high availability, node pools, and the implicit network (interface endpoints,
NAT gateway). Each price row names its source and the date it was read.

Usage the blueprint cannot know has explicit defaults: 1,000,000 invocations a
month of 200ms per function, 1,000,000 messages of 1 KiB per queue, 730 hours a
month, node pools where their modules leave them (GKE and AKS at their min,
EKS node groups at their desired size). Set them per resource in the blueprint
(usage: {requests: 5000000, duration_ms: 120}) or in a usage file:

  resources:
    process-order: {requests: 5000000, duration_ms: 120}
    platform: {nodes: {general: 3}}

Free tiers are computed per account and shown apart from the totals. An item
the table has no price for says "no price", and a total that lacks one is
marked as a lower bound: nothing is silently zero.

--region picks the region columns (neutral regions, comma-separated); the
default is us-east, europe-west and asia-southeast, plus the blueprint's own.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, srcs, ds, err := runCost(&a)
			return showCost(stdout, stderr, a.JSON, rep, srcs, ds, err)
		},
	}
	a.register(cmd, "all, aws, gcp or azure: the clouds to price the whole blueprint on (default all)")
	cmd.Flags().StringVar(&a.Usage, "usage", "", "usage assumptions file (YAML), over the blueprint's usage blocks")
	cmd.Flags().StringVar(&a.Regions, "region", "", "neutral regions to price in, comma-separated (default us-east,europe-west,asia-southeast and the blueprint's)")
	return cmd
}

func runCost(a *costArgs) (*cost.Report, diag.Sources, diag.Diagnostics, error) {
	var clouds []blueprints.Cloud
	if a.Cloud != "" && a.Cloud != "all" {
		ts, err := a.targets(false)
		if err != nil {
			return nil, nil, nil, err
		}
		clouds = ts
	}
	var regions []string
	if a.Regions != "" {
		var keys []string
		for _, nr := range blueprints.NeutralRegions {
			keys = append(keys, nr.Key)
		}
		for _, r := range strings.Split(a.Regions, ",") {
			r = strings.TrimSpace(r)
			if !containsString(keys, r) {
				return nil, nil, nil, failure(exitUsage, fmt.Errorf("unknown region %q for --region; neutral regions: %s", r, strings.Join(keys, ", ")))
			}
			if !containsString(regions, r) {
				regions = append(regions, r)
			}
		}
	}
	bp, ds, err := a.load()
	if err != nil {
		return nil, nil, nil, err
	}
	srcs := diag.Sources{bp.File: bp.Source}
	if ds.HasErrors() {
		return nil, srcs, ds, nil
	}
	opts := cost.Options{Clouds: clouds, Regions: regions}
	if a.Usage != "" {
		path := displayPath(a.Usage)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, srcs, nil, failure(exitUsage, fmt.Errorf("cannot read usage file: %w", err))
		}
		srcs[path] = src
		u, uds := blueprints.ParseUsage(path, src, bp)
		ds = append(ds, uds...)
		if uds.HasErrors() {
			return nil, srcs, ds, nil
		}
		opts.Usage = u
	}
	rep, cds, err := cost.Estimate(bp, opts)
	if err != nil {
		return nil, srcs, nil, failure(exitSystem, err)
	}
	return rep, srcs, append(ds, cds...), nil
}

// showCost renders the estimate, or the diagnostics that prevented it.
func showCost(stdout, stderr io.Writer, asJSON bool, rep *cost.Report, srcs diag.Sources, ds diag.Diagnostics, err error) error {
	if err != nil {
		return err
	}
	if asJSON {
		out := struct {
			*cost.Report
			Diagnostics diag.Diagnostics `json:"diagnostics"`
		}{nil, ds}
		if rep != nil {
			out.Report = rep.Rounded()
		}
		if out.Diagnostics == nil {
			out.Diagnostics = diag.Diagnostics{}
		}
		if e := jsonindent.Write(stdout, out); e != nil {
			return failure(exitSystem, e)
		}
	} else {
		if e := diag.Write(stderr, ds, srcs); e != nil {
			return failure(exitSystem, e)
		}
		if rep != nil {
			if e := rep.WriteText(stdout); e != nil {
				return failure(exitSystem, e)
			}
		}
	}
	if ds.HasErrors() {
		if !asJSON {
			fmt.Fprintf(stderr, "%s; no estimate.\n", countErrors(ds))
		}
		return silent(exitDiagnostics)
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
