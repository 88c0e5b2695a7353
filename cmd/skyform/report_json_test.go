package main

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/jsonindent"
)

// TestCompileReportJSON holds the report's own JSON to what encoding/json
// writes for the same fields, for a report with every exported field set
// (a field added to the report and not to AppendJSON fails here) and for
// an empty one.
func TestCompileReportJSON(t *testing.T) {
	full := &compileReport{
		Blueprint: "orders <&>",
		Valid:     true,
		Diagnostics: diag.Diagnostics{{Severity: diag.Warning, Summary: "memory approximated on azure", Detail: "2048 MB", Path: "resources.w.memory_mb",
			Range: diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: 3, Column: 5}}, Related: []diag.Related{{Message: "m", Range: diag.Range{File: "t.yaml"}}}}},
		Outputs: []outputReport{{Clouds: []blueprints.Cloud{"aws"}, Dir: "out", Files: []string{"main.tf"}, Written: []string{"main.tf"}, Unchanged: 2, Removed: []string{"old.tf"}, Validated: true}},
	}
	v := reflect.ValueOf(*full)
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.IsExported() && v.Field(i).IsZero() {
			t.Fatalf("the full report leaves %s unset", f.Name)
		}
	}
	type plain compileReport // the same fields, without AppendJSON
	for name, rep := range map[string]*compileReport{"full": full, "empty": {}, "no outputs": {Blueprint: "b", Diagnostics: diag.Diagnostics{}}} {
		want, err := json.MarshalIndent((*plain)(rep), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got, err := jsonindent.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: report JSON =\n%s\nwant\n%s", name, got, want)
		}
	}
}
