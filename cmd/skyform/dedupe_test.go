package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/internal/diag"
)

// TestDedupe: diagnostics repeated by compiling for several clouds are
// dropped, whatever their order; ones differing in anything (severity,
// summary, detail, path, place, related places) are kept; the result is
// sorted by place, diagnostics at one place in the order first given.
func TestDedupe(t *testing.T) {
	at := func(line, col int) diag.Range {
		return diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: line, Column: col}}
	}
	w := func(line, col int, summary string) *diag.Diagnostic {
		return &diag.Diagnostic{Severity: diag.Warning, Summary: summary, Detail: "d", Path: "resources.x", Range: at(line, col)}
	}
	related := w(3, 3, "related")
	related.Related = []diag.Related{{Message: "declared here", Range: at(1, 1)}}
	otherRelated := w(3, 3, "related")
	otherRelated.Related = []diag.Related{{Message: "declared here", Range: at(2, 1)}}
	asError := w(5, 3, "b")
	asError.Severity = diag.Error
	in := diag.Diagnostics{
		w(9, 1, "late"), w(5, 3, "b"), w(5, 3, "a"), related, w(2, 7, "early"), // aws
		w(5, 3, "a"), w(9, 1, "late"), asError, otherRelated, w(5, 3, "b"), w(2, 7, "early"), related, // gcp
		w(5, 4, "a"), w(5, 3, "c"), // azure
	}
	want := []string{
		"skyform.yaml:2:7: warning: early; d",
		"skyform.yaml:3:3: warning: related; d (declared here at skyform.yaml:1:1)",
		"skyform.yaml:3:3: warning: related; d (declared here at skyform.yaml:2:1)",
		"skyform.yaml:5:3: warning: b; d",
		"skyform.yaml:5:3: warning: a; d",
		"skyform.yaml:5:3: error: b; d",
		"skyform.yaml:5:3: warning: c; d",
		"skyform.yaml:5:4: warning: a; d",
		"skyform.yaml:9:1: warning: late; d",
	}
	var got []string
	for _, d := range dedupe(in) {
		got = append(got, d.Error())
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("dedupe (-want +got):\n%s", d)
	}
}
