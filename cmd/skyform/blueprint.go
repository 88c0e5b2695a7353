package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/spf13/cobra"
)

// blueprintArgs are the flags every command that reads a blueprint takes.
type blueprintArgs struct {
	File  string
	Cloud string
	JSON  bool
}

func (a *blueprintArgs) register(cmd *cobra.Command, cloudHelp string) {
	cmd.Flags().StringVarP(&a.File, "file", "f", "skyform.yaml", "blueprint file")
	cmd.Flags().StringVar(&a.Cloud, "cloud", "", cloudHelp)
	cmd.Flags().BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
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
	return bp, ds, nil
}
