package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/spf13/cobra"
)

// mvArgs are the arguments of skyform mv.
type mvArgs struct {
	File     string
	JSON     bool
	Old, New string
}

// mvReport is what skyform mv did, for the view.
type mvReport struct {
	Blueprint   string           `json:"blueprint"`
	File        string           `json:"file"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	RenamedFrom []string         `json:"renamed_from,omitempty"`
	References  int              `json:"references"`
	Written     bool             `json:"written"`
	Diagnostics diag.Diagnostics `json:"diagnostics"`
	sources     diag.Sources
}

func newMvCmd(stdout, stderr io.Writer) *cobra.Command {
	a := &mvArgs{}
	cmd := &cobra.Command{
		Use:   "mv OLD NEW",
		Short: "Rename a resource in the blueprint, keeping its cloud resources",
		Long: `mv renames resource OLD to NEW in the blueprint file, in place: only the
resource's key changes, renamed_from: OLD is added to it, and every
${OLD.attribute} reference and queue trigger naming OLD follows. Comments and
layout are kept.

The next plan then moves the resource's Terraform state to its new address
(moved blocks) instead of destroying and creating it, and its cloud objects
keep the names they were created with: the plan shows "moved from OLD" and
nothing to create, update or destroy. Keep renamed_from in the blueprint.

mv refuses, changing nothing, when the blueprint has errors, OLD is not a
resource, NEW is already one, or NEW is one of OLD's former names.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			a.Old, a.New = args[0], args[1]
			rep, err := runMv(a)
			return showMv(stdout, stderr, a.JSON, rep, err)
		},
	}
	cmd.Flags().StringVarP(&a.File, "file", "f", "skyform.yaml", "blueprint file")
	cmd.Flags().BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
	return cmd
}

func runMv(a *mvArgs) (*mvReport, error) {
	path := displayPath(a.File)
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, failure(exitUsage, fmt.Errorf("no blueprint at %s", path))
	}
	if err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot read blueprint: %w", err))
	}
	rep := &mvReport{File: path, From: a.Old, To: a.New, sources: diag.Sources{path: src}}
	res, ds := blueprints.Rename(path, src, a.Old, a.New)
	rep.Diagnostics = ds
	if ds.HasErrors() {
		return rep, nil
	}
	if err := replaceFile(path, res.Source); err != nil {
		return nil, failure(exitSystem, err)
	}
	rep.Written, rep.References, rep.RenamedFrom = true, res.References, res.RenamedFrom
	if bp, _ := blueprints.Parse(path, res.Source); bp != nil {
		rep.Blueprint = bp.Name
	}
	return rep, nil
}

// replaceFile writes data over path through a temporary file in the same
// directory, so a failure leaves the old file whole; the mode is kept.
func replaceFile(path string, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot rewrite blueprint: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".skyform-mv-*")
	if err != nil {
		return fmt.Errorf("cannot rewrite blueprint: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot rewrite blueprint: %w", err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot rewrite blueprint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot rewrite blueprint: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot rewrite blueprint: %w", err)
	}
	return nil
}

func showMv(stdout, stderr io.Writer, asJSON bool, rep *mvReport, err error) error {
	if rep == nil {
		return err
	}
	if rep.Diagnostics == nil {
		rep.Diagnostics = diag.Diagnostics{}
	}
	if asJSON {
		writeJSON(stdout, rep)
	} else {
		if e := diag.Write(stderr, rep.Diagnostics, rep.sources); e != nil {
			return failure(exitSystem, e)
		}
		if rep.Written {
			fmt.Fprintf(stdout, "Renamed %s to %s in %s (renamed_from: %s; %s updated).\n", rep.From, rep.To, rep.File,
				joinNames(rep.RenamedFrom), plural(rep.References, "1 reference", fmt.Sprintf("%d references", rep.References)))
			fmt.Fprintf(stdout, "The next plan moves its state to module.%s; its cloud resources stay as they are.\n", (&blueprints.Resource{Name: rep.To}).ID())
		}
	}
	if rep.Diagnostics.HasErrors() {
		if !asJSON {
			fmt.Fprintf(stderr, "%s; %s was not changed.\n", countErrors(rep.Diagnostics), rep.File)
		}
		return silent(exitDiagnostics)
	}
	return nil
}

func joinNames(ns []string) string {
	if len(ns) == 1 {
		return ns[0]
	}
	return "[" + strings.Join(ns, ", ") + "]"
}
