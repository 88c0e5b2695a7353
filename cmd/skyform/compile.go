package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/state"
	"github.com/spf13/cobra"
)

type compileArgs struct {
	blueprintArgs
	Out       string
	Format    string
	Validate  bool
	Terraform string
}

// compiled is one root module built in memory.
type compiled struct {
	// Target is the --cloud retarget, "" for placement as written.
	Target blueprints.Cloud
	Dir    string
	Result *compiler.Result
}

// compileReport is what compile and validate produce, for either view.
type compileReport struct {
	Blueprint   string           `json:"blueprint"`
	Valid       bool             `json:"valid"`
	Diagnostics diag.Diagnostics `json:"diagnostics"`
	Outputs     []outputReport   `json:"outputs,omitempty"`
	sources     diag.Sources
	// policyWarnings counts the warnings that come from the policy.
	policyWarnings int
}

// AppendJSON appends the report as json.Marshal writes it, its
// diagnostics (40,000 for a large blueprint on Azure) without reflection.
func (r *compileReport) AppendJSON(b []byte) ([]byte, error) {
	head, err := json.Marshal(struct {
		Blueprint string `json:"blueprint"`
		Valid     bool   `json:"valid"`
	}{r.Blueprint, r.Valid})
	if err != nil {
		return nil, err
	}
	b = append(b, head[:len(head)-1]...)
	b = append(b, `,"diagnostics":`...)
	b = r.Diagnostics.AppendJSON(b)
	if len(r.Outputs) > 0 {
		outs, err := json.Marshal(r.Outputs)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"outputs":`...)
		b = append(b, outs...)
	}
	return append(b, '}'), nil
}

type outputReport struct {
	Clouds []blueprints.Cloud `json:"clouds"`
	Dir    string             `json:"dir,omitempty"`
	Files  []string           `json:"files"`
	// Written are the files whose bytes changed (created or rewritten);
	// Unchanged counts the others, left alone.
	Written   []string `json:"written,omitempty"`
	Unchanged int      `json:"unchanged,omitempty"`
	Removed   []string `json:"removed,omitempty"`
	Validated bool     `json:"terraform_validated,omitempty"`
}

func newCompileCmd(stdout, stderr io.Writer) *cobra.Command {
	var a compileArgs
	cmd := &cobra.Command{
		Use:   "compile -o DIR [-f FILE] [--cloud aws|gcp|azure|all]",
		Short: "Compile a blueprint into Terraform",
		Long: `Compile a blueprint into a Terraform root module plus the modules it uses.

Without --cloud, every resource goes where the blueprint places it (one root
module with a provider per cloud used). --cloud X moves the whole blueprint to
cloud X; --cloud all writes one root module per cloud into DIR/aws, DIR/gcp and
DIR/azure. Nothing is written when the blueprint has errors. Files skyform
wrote before and no longer generates are removed; nothing else in DIR is
touched (terraform state stays where it is).

--validate runs terraform init and terraform validate on the output through
skyform's offline providers (no network, no credentials) and fails on any
error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runCompile(cmd.Context(), &a, true)
			return show(stdout, stderr, a.JSON, rep, err)
		},
	}
	a.register(cmd, "aws, gcp, azure or all: move every resource there (default: as the blueprint places them)")
	a.registerPolicy(cmd)
	cmd.Flags().StringVar(&a.Terraform, "terraform", "", "terraform binary for --validate (default: $SKYFORM_TERRAFORM, then PATH)")
	cmd.Flags().StringVarP(&a.Out, "out", "o", "", "output directory (required)")
	cmd.Flags().StringVar(&a.Format, "format", "hcl", "hcl or json")
	cmd.Flags().BoolVar(&a.Validate, "validate", false, "run terraform init and validate on the output, offline")
	return cmd
}

func newValidateCmd(stdout, stderr io.Writer) *cobra.Command {
	var a compileArgs
	cmd := &cobra.Command{
		Use:   "validate [-f FILE] [--cloud aws|gcp|azure|all]",
		Short: "Check a blueprint and report every problem; write nothing",
		Long: `Check a blueprint: its format, names, references and values, and what each
cloud it is placed on can express (approximations are warnings). Every problem
is reported with file:line:column. Nothing is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runCompile(cmd.Context(), &a, false)
			return show(stdout, stderr, a.JSON, rep, err)
		},
	}
	a.register(cmd, "aws, gcp, azure or all: check the blueprint moved there (default: as placed)")
	a.registerPolicy(cmd)
	return cmd
}

func runCompile(ctx context.Context, a *compileArgs, write bool) (*compileReport, error) {
	format := compiler.Format(a.Format)
	if format == "" {
		format = compiler.HCL
	}
	if format != compiler.HCL && format != compiler.JSON {
		return nil, failure(exitUsage, fmt.Errorf("unknown --format %q; allowed: hcl, json", a.Format))
	}
	if write && a.Out == "" {
		return nil, failure(exitUsage, fmt.Errorf("compile needs an output directory: -o DIR"))
	}
	targets, err := a.targets(true)
	if err != nil {
		return nil, err
	}
	bp, ds, err := a.load()
	if err != nil {
		return nil, err
	}
	rep := &compileReport{Blueprint: bp.Name, sources: a.sources(bp), policyWarnings: a.policyWarnings}
	if ds.HasErrors() {
		rep.Diagnostics = ds
		return rep, nil
	}
	outs, cds, err := compileTargets(bp, targets, format, a.Out)
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	rep.Diagnostics = append(ds, cds...)
	rep.Valid = !rep.Diagnostics.HasErrors()
	if !rep.Valid {
		return rep, nil
	}
	for _, o := range outs {
		or := outputReport{Clouds: o.Result.Clouds, Files: sortedKeys(o.Result.Files)}
		if write {
			or.Dir = o.Dir
			ch, err := state.WriteGeneratedChanges(o.Dir, o.Result.Files)
			if err != nil {
				return nil, failure(exitSystem, err)
			}
			or.Written, or.Unchanged, or.Removed = ch.Written, ch.Unchanged, ch.Removed
		}
		rep.Outputs = append(rep.Outputs, or)
	}
	if write && a.Validate {
		if err := validateOutputs(ctx, a.Terraform, outs, rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// compileTargets compiles the blueprint once per target, in memory, so
// that nothing is written unless every target compiles.
func compileTargets(bp *blueprints.Blueprint, targets []blueprints.Cloud, format compiler.Format, out string) ([]compiled, diag.Diagnostics, error) {
	c := compiler.New(compiler.WithFormat(format))
	var outs []compiled
	var all diag.Diagnostics
	for _, t := range targets {
		res, ds, err := c.Compile(bp, t)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, ds...)
		dir := out
		if len(targets) > 1 {
			dir = filepath.Join(out, string(t))
		}
		if res != nil {
			outs = append(outs, compiled{Target: t, Dir: dir, Result: res})
		}
	}
	return outs, dedupe(all), nil
}

// dedupe drops diagnostics repeated by compiling for several clouds, and
// returns the rest sorted. Sorted by position first, a repeated diagnostic
// sits among those at its own position, so each is compared with those
// alone: a large blueprint has tens of thousands of warnings, and hashing
// each one's text was most of a compile's time after lowering.
func dedupe(ds diag.Diagnostics) diag.Diagnostics {
	sorted := append(diag.Diagnostics(nil), ds...)
	sorted.Sort()
	out := make(diag.Diagnostics, 0, len(sorted))
	var at diag.Range
	start := 0 // where the diagnostics at position at begin in out
	for i, d := range sorted {
		if i == 0 || d.Range.File != at.File || d.Range.Start != at.Start {
			at, start = d.Range, len(out)
		}
		if !slices.ContainsFunc(out[start:], func(o *diag.Diagnostic) bool { return sameDiagnostic(o, d) }) {
			out = append(out, d)
		}
	}
	return out
}

// sameDiagnostic reports whether two diagnostics say the same thing at the
// same place.
func sameDiagnostic(a, b *diag.Diagnostic) bool {
	return a.Severity == b.Severity && a.Summary == b.Summary && a.Detail == b.Detail && a.Path == b.Path &&
		a.Range == b.Range && slices.Equal(a.Related, b.Related)
}

func sortedKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
