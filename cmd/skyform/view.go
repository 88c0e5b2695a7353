package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/jsonindent"
)

// show renders a compile or validate report and turns it into the exit
// code: diagnostics go to stderr for people, everything to stdout as JSON.
func show(stdout, stderr io.Writer, asJSON bool, rep *compileReport, err error) error {
	if rep == nil {
		return err
	}
	if rep.Diagnostics == nil {
		rep.Diagnostics = diag.Diagnostics{}
	}
	if asJSON {
		if e := jsonindent.Write(stdout, rep); e != nil {
			return failure(exitSystem, e)
		}
	} else {
		if e := diag.Write(stderr, rep.Diagnostics, withFiles(rep.sources, rep.Diagnostics)); e != nil {
			return failure(exitSystem, e)
		}
		showHuman(stdout, rep)
	}
	if err != nil {
		return err
	}
	if rep.Diagnostics.HasErrors() {
		if !asJSON {
			fmt.Fprintf(stderr, "%s; nothing was written.\n", countErrors(rep.Diagnostics))
		}
		return silent(exitDiagnostics)
	}
	return nil
}

func showHuman(w io.Writer, rep *compileReport) {
	if !rep.Valid {
		return
	}
	for _, o := range rep.Outputs {
		clouds := joinClouds(o.Clouds)
		switch {
		case o.Dir == "":
			fmt.Fprintf(w, "Blueprint %q is valid for %s.\n", rep.Blueprint, clouds)
		default:
			v := ""
			if o.Unchanged > 0 {
				v = fmt.Sprintf(", %d unchanged", o.Unchanged)
			}
			if o.Validated {
				v += "; terraform validate passed"
			}
			fmt.Fprintf(w, "Compiled blueprint %q for %s into %s (%d files%s).\n", rep.Blueprint, clouds, o.Dir, len(o.Files), v)
		}
	}
	warn := len(rep.Diagnostics.Warnings())
	switch cloud := warn - rep.policyWarnings; {
	case rep.policyWarnings == 0 && warn > 0:
		fmt.Fprintf(w, "%d %s above: where a cloud approximates the blueprint.\n", warn, plural(warn, "warning", "warnings"))
	case cloud == 0 && warn > 0:
		fmt.Fprintf(w, "%d %s above: from the policy's warn rules.\n", warn, plural(warn, "warning", "warnings"))
	case warn > 0:
		fmt.Fprintf(w, "%d warnings above: %d from the policy's warn rules, %d where a cloud approximates the blueprint.\n", warn, rep.policyWarnings, cloud)
	}
}

func joinClouds(cs []blueprints.Cloud) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, "+")
}

func countErrors(ds diag.Diagnostics) string {
	n := len(ds.Errs())
	return fmt.Sprintf("%d %s", n, plural(n, "error", "errors"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// showReport renders a report whose only human output before its
// result is its diagnostics: the report as JSON on stdout, or the
// diagnostics on stderr. It fails with exitDiagnostics when one is an error.
func showReport(stdout, stderr io.Writer, asJSON bool, rep any, ds diag.Diagnostics, src diag.Sources) error {
	if asJSON {
		writeJSON(stdout, rep)
	} else {
		_ = diag.Write(stderr, ds, src)
	}
	if ds.HasErrors() {
		if !asJSON {
			fmt.Fprintf(stderr, "%s; nothing was written.\n", countErrors(ds))
		}
		return silent(exitDiagnostics)
	}
	return nil
}
