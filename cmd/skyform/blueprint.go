package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/blueprints/policy"
	"github.com/skyform/skyform/internal/diag"
	"github.com/spf13/cobra"
)

// blueprintArgs are the flags every command that reads a blueprint takes.
type blueprintArgs struct {
	File  string
	Cloud string
	JSON  bool
	// Policy is --policy. enforce is set by the commands that check the
	// blueprint against its policy when they load it (registerPolicy).
	Policy  string
	enforce bool
	// policy is the policy load checked the blueprint against, if any, and
	// policyWarnings how many warnings its rules gave.
	policy         *policy.Policy
	policyWarnings int
	// Modules names a module config, replacing the blueprint's modules field.
	Modules string
}

func (a *blueprintArgs) register(cmd *cobra.Command, cloudHelp string) {
	cmd.Flags().StringVarP(&a.File, "file", "f", "skyform.yaml", "blueprint file")
	cmd.Flags().StringVar(&a.Cloud, "cloud", "", cloudHelp)
	cmd.Flags().BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
	cmd.Flags().StringVar(&a.Modules, "modules", "", "module config (skyform.modules.yaml) substituting a platform team's modules; replaces the blueprint's modules field")
}

// registerPolicy makes load check the blueprint against its policy and
// adds --policy.
func (a *blueprintArgs) registerPolicy(cmd *cobra.Command) {
	a.enforce = true
	cmd.Flags().StringVar(&a.Policy, "policy", "", "policy file to check the blueprint against (default: the blueprint's policy key, then "+policy.DefaultFile+" beside the blueprint)")
}

// targets turns --cloud into the clouds to compile for: nil means "as the
// blueprint places its resources".
func (a *blueprintArgs) targets(allowAll bool) ([]blueprints.Cloud, error) {
	switch a.Cloud {
	case "":
		return []blueprints.Cloud{""}, nil
	case "all":
		if !allowAll {
			return nil, failure(exitUsage, fmt.Errorf("--cloud all is only for compile and validate; pick aws, gcp or azure"))
		}
		return blueprints.Clouds, nil
	}
	for _, c := range blueprints.Clouds {
		if string(c) == a.Cloud {
			return []blueprints.Cloud{c}, nil
		}
	}
	return nil, failure(exitUsage, fmt.Errorf("unknown cloud %q for --cloud; allowed: aws, gcp, azure, all", a.Cloud))
}

// displayPath shows a path relative to the working directory when it is
// below it, so diagnostics read file:line:column from where the user stands.
func displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return p
}

// load reads the blueprint; a missing file is a usage error with a hint.
func (a *blueprintArgs) load() (*blueprints.Blueprint, diag.Diagnostics, error) {
	path := displayPath(a.File)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		hint := ""
		if a.File == "skyform.yaml" {
			hint = " (give one with -f FILE)"
		}
		return nil, nil, failure(exitUsage, fmt.Errorf("no blueprint at %s%s", path, hint))
	}
	bp, ds, err := blueprints.Load(path)
	if err != nil {
		return nil, nil, failure(exitSystem, err)
	}
	if a.Modules != "" {
		if _, err := os.Stat(a.Modules); err != nil {
			return nil, nil, failure(exitUsage, fmt.Errorf("no module config at %s", displayPath(a.Modules)))
		}
		bp.Modules, bp.ModulesRange = displayPath(a.Modules), diag.Range{}
	}
	if a.enforce {
		pds, err := a.checkPolicy(bp, ds.HasErrors())
		if err != nil {
			return nil, nil, err
		}
		ds = append(ds, pds...)
	}
	return bp, ds, nil
}

// sources are the files diagnostics may point into: the blueprint and
// the policy checked.
func (a *blueprintArgs) sources(bp *blueprints.Blueprint) diag.Sources {
	src := bp.Sources()
	if a.policy != nil {
		src[a.policy.File] = a.policy.Source
	}
	return src
}

// findPolicy loads the policy that applies to the blueprint (policy.For);
// a --policy file that does not exist is a usage error.
func (a *blueprintArgs) findPolicy(bp *blueprints.Blueprint) (*policy.Policy, diag.Diagnostics, error) {
	file := ""
	if a.Policy != "" {
		file = displayPath(a.Policy)
		if _, err := os.Stat(file); os.IsNotExist(err) {
			return nil, nil, failure(exitUsage, fmt.Errorf("no policy at %s (--policy)", file))
		}
	}
	p, ds, err := policy.For(bp, file)
	if err != nil {
		return nil, nil, failure(exitSystem, err)
	}
	a.policy = p
	return p, ds, nil
}

// violations checks the blueprint against the policy on every target it
// is compiled for (--cloud retargets first).
func (a *blueprintArgs) violations(p *policy.Policy, bp *blueprints.Blueprint) ([]policy.Violation, error) {
	targets, err := a.targets(true)
	if err != nil {
		return nil, err
	}
	var out []policy.Violation
	seen := map[string]bool{}
	for _, t := range targets {
		for _, v := range p.Check(bp, t) {
			if k := v.Diagnostic().Error() + "\x00" + v.Path; !seen[k] {
				seen[k] = true
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// checkPolicy loads the policy and, when neither it nor the blueprint has
// errors, returns its violations as diagnostics.
func (a *blueprintArgs) checkPolicy(bp *blueprints.Blueprint, blueprintErrors bool) (diag.Diagnostics, error) {
	p, ds, err := a.findPolicy(bp)
	if err != nil || p == nil || ds.HasErrors() || blueprintErrors {
		return ds, err
	}
	vs, err := a.violations(p, bp)
	if err != nil {
		return nil, err
	}
	vds := policy.Diagnostics(vs)
	a.policyWarnings = len(vds.Warnings())
	return append(ds, vds...), nil
}

// withFiles adds to src the files diagnostics point at that it does not
// hold yet (a module config, a module's variables.tf), so that their lines
// are shown too.
func withFiles(src diag.Sources, ds diag.Diagnostics) diag.Sources {
	add := func(file string) {
		if _, ok := src[file]; ok || file == "" {
			return
		}
		if data, err := os.ReadFile(file); err == nil {
			src[file] = data
		}
	}
	for _, d := range ds {
		add(d.Range.File)
		for _, r := range d.Related {
			add(r.Range.File)
		}
	}
	return src
}
