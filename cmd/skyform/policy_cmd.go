package main

import (
	"fmt"
	"io"

	"github.com/skyform/skyform/blueprints/policy"
	"github.com/skyform/skyform/internal/diag"
	"github.com/spf13/cobra"
)

type policyCheckArgs struct {
	blueprintArgs
	SARIF bool
}

// policyReport is what policy check produces, for every view.
type policyReport struct {
	Blueprint string `json:"blueprint"`
	Policy    string `json:"policy"`
	File      string `json:"policy_file"`
	// Compliant is true when no rule of severity error is broken.
	Compliant  bool               `json:"compliant"`
	Violations []policy.Violation `json:"violations"`
	// Diagnostics are problems in the blueprint or the policy file that
	// stopped the check.
	Diagnostics diag.Diagnostics `json:"diagnostics"`
	rules       []*policy.Rule
	sources     diag.Sources
}

func newPolicyCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Check blueprints against a platform team's policy",
		Long: `A policy file (docs/policy.md) sets rules every blueprint must follow: allowed
clouds and regions, size and node limits, required labels, encryption, deletion
protection, no public endpoints, allowed runtimes and versions. validate,
compile, plan and apply check it too (--policy FILE, the blueprint's policy key,
or ` + policy.DefaultFile + ` beside the blueprint).`,
	}
	cmd.AddCommand(newPolicyCheckCmd(s), newPolicySchemaCmd(s.out))
	return cmd
}

func newPolicySchemaCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the policy format, for editors",
		Long: `Print a JSON Schema (draft 2020-12) of the policy format. Point your editor's
YAML language server at it, e.g. with a first line
  # yaml-language-server: $schema=./skyform.policy.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, err := policy.JSONSchema()
			if err != nil {
				return failure(exitSystem, err)
			}
			if _, err := stdout.Write(data); err != nil {
				return failure(exitSystem, err)
			}
			return nil
		},
	}
}

func newPolicyCheckCmd(s streams) *cobra.Command {
	var a policyCheckArgs
	cmd := &cobra.Command{
		Use:   "check [-f FILE] [--policy POLICY] [--cloud X|all] [--json|--sarif]",
		Short: "Report every rule of the policy the blueprint breaks",
		Long: `Check the blueprint against its policy alone, without compiling: every
violation names the blueprint field (file:line:column and data path), the rule
and the rule's line in the policy file. Rules of severity warn are reported and
do not fail the check. --cloud checks the blueprint moved there (all: on every
cloud). --json prints the report as JSON, --sarif as a SARIF 2.1.0 log for code
scanning tools.

The policy is --policy, else the blueprint's policy key, else ` + policy.DefaultFile + `
beside the blueprint. Exit code 1 when a rule of severity error is broken or a
file has errors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runPolicyCheck(&a)
			if err != nil {
				return err
			}
			return showPolicy(s, &a, rep)
		},
	}
	a.register(cmd, "aws, gcp, azure or all: check the blueprint moved there (default: as placed)")
	cmd.Flags().StringVar(&a.Policy, "policy", "", "policy file (default: the blueprint's policy key, then "+policy.DefaultFile+" beside the blueprint)")
	cmd.Flags().BoolVar(&a.SARIF, "sarif", false, "print a SARIF 2.1.0 log on stdout")
	return cmd
}

func runPolicyCheck(a *policyCheckArgs) (*policyReport, error) {
	if a.JSON && a.SARIF {
		return nil, failure(exitUsage, fmt.Errorf("--json and --sarif exclude each other"))
	}
	if _, err := a.targets(true); err != nil {
		return nil, err
	}
	bp, ds, err := a.load()
	if err != nil {
		return nil, err
	}
	rep := &policyReport{Blueprint: bp.Name, Violations: []policy.Violation{}}
	p, pds, err := a.findPolicy(bp)
	if err != nil {
		return nil, err
	}
	rep.sources = a.sources(bp)
	rep.Diagnostics = append(ds, pds...)
	if p == nil && !pds.HasErrors() {
		return nil, failure(exitUsage, fmt.Errorf("no policy for %s: give one with --policy FILE, name it with policy: in the blueprint, or put %s beside it", bp.File, policy.DefaultFile))
	}
	if p != nil {
		rep.Policy, rep.File, rep.rules = p.Title(), p.File, p.Rules
	}
	if rep.Diagnostics.HasErrors() {
		return rep, nil
	}
	if rep.Violations, err = a.violations(p, bp); err != nil {
		return nil, err
	}
	rep.Compliant = !policy.Diagnostics(rep.Violations).HasErrors()
	return rep, nil
}

func showPolicy(s streams, a *policyCheckArgs, rep *policyReport) error {
	if rep.Diagnostics == nil {
		rep.Diagnostics = diag.Diagnostics{}
	}
	switch {
	case a.SARIF:
		data, err := policy.SARIF(rep.Violations, rep.rules)
		if err != nil {
			return failure(exitSystem, err)
		}
		if _, err := s.out.Write(data); err != nil {
			return failure(exitSystem, err)
		}
		if rep.Diagnostics.HasErrors() {
			_ = diag.Write(s.errOut, rep.Diagnostics, rep.sources)
		}
	case a.JSON:
		writeJSON(s.out, rep)
	default:
		if rep.Diagnostics.HasErrors() {
			_ = diag.Write(s.errOut, rep.Diagnostics, rep.sources)
			fmt.Fprintf(s.errOut, "%s; the policy was not checked.\n", countErrors(rep.Diagnostics))
			return silent(exitDiagnostics)
		}
		showViolations(s.out, rep)
	}
	if rep.Diagnostics.HasErrors() || !rep.Compliant {
		return silent(exitDiagnostics)
	}
	return nil
}

func showViolations(w io.Writer, rep *policyReport) {
	ds := policy.Diagnostics(rep.Violations)
	_ = diag.Write(w, ds, rep.sources)
	errs, warns := len(ds.Errs()), len(ds.Warnings())
	rules := fmt.Sprintf("%d %s", len(rep.rules), plural(len(rep.rules), "rule", "rules"))
	switch {
	case errs+warns == 0:
		fmt.Fprintf(w, "Blueprint %q follows policy %q (%s).\n", rep.Blueprint, rep.Policy, rules)
	case errs == 0:
		fmt.Fprintf(w, "Blueprint %q follows policy %q (%s) with %d %s.\n", rep.Blueprint, rep.Policy, rules, warns, plural(warns, "warning", "warnings"))
	default:
		fmt.Fprintf(w, "Blueprint %q breaks policy %q (%s): %s, %d %s.\n", rep.Blueprint, rep.Policy, rules, countErrors(ds), warns, plural(warns, "warning", "warnings"))
	}
}
