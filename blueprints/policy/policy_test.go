package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/diagtest"
)

// TestErrorPositions parses each bad policy in testdata/errors and checks
// that every error points at the line marked "# ERROR: <summary>".
func TestErrorPositions(t *testing.T) {
	diagtest.CheckFiles(t, "testdata/errors/*.yaml", func(t *testing.T, file string) ([]byte, diag.Diagnostics) {
		p, ds, err := Load(file)
		if err != nil {
			t.Fatal(err)
		}
		return p.Source, ds
	})
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFor checks which policy applies: --policy, then the blueprint's
// policy key (relative to the blueprint), then the default file beside it.
func TestFor(t *testing.T) {
	const pol = "policy: %s\nrules: {queue_encryption: true}\n"
	cases := map[string]struct {
		files    map[string]string
		flag     string
		want     string
		wantDiag string
	}{
		"none":    {files: map[string]string{"bp/skyform.yaml": "blueprint: a\nresources: {q: {kind: queue}}\n"}},
		"default": {files: map[string]string{"bp/skyform.yaml": "blueprint: a\nresources: {q: {kind: queue}}\n", "bp/" + DefaultFile: fmt.Sprintf(pol, "default")}, want: "default"},
		"key": {files: map[string]string{
			"bp/skyform.yaml":  "blueprint: a\npolicy: ../team/policy.yaml\nresources: {q: {kind: queue}}\n",
			"team/policy.yaml": fmt.Sprintf(pol, "team"), "bp/" + DefaultFile: fmt.Sprintf(pol, "default"),
		}, want: "team"},
		"flag": {files: map[string]string{
			"bp/skyform.yaml":  "blueprint: a\npolicy: ../team/policy.yaml\nresources: {q: {kind: queue}}\n",
			"team/policy.yaml": fmt.Sprintf(pol, "team"), "ci.yaml": fmt.Sprintf(pol, "ci"),
		}, flag: "ci.yaml", want: "ci"},
		"key-missing": {files: map[string]string{"bp/skyform.yaml": "blueprint: a\npolicy: nope.yaml\nresources: {q: {kind: queue}}\n"},
			wantDiag: `2:1: error: policy file "nope.yaml" not found`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			bp, ds, err := blueprints.Load(filepath.Join(dir, "bp", "skyform.yaml"))
			if err != nil || ds.HasErrors() {
				t.Fatalf("blueprint: %v %v", err, ds)
			}
			flag := ""
			if tc.flag != "" {
				flag = filepath.Join(dir, tc.flag)
			}
			p, pds, err := For(bp, flag)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantDiag != "" {
				if len(pds) != 1 || !strings.Contains(pds[0].Error(), tc.wantDiag) || p != nil {
					t.Fatalf("want one diagnostic %q, got %v (policy %v)", tc.wantDiag, pds, p)
				}
				return
			}
			if pds.HasErrors() {
				t.Fatal(pds)
			}
			got := ""
			if p != nil {
				got = p.Name
			}
			if got != tc.want {
				t.Errorf("policy %q, want %q", got, tc.want)
			}
		})
	}
}

func TestForMissingFlagFile(t *testing.T) {
	bp, _ := blueprints.Parse("skyform.yaml", []byte("blueprint: a\nresources: {q: {kind: queue}}\n"))
	if _, _, err := For(bp, filepath.Join(t.TempDir(), "nope.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("want a not-exist error, got %v", err)
	}
}

func TestViolationDiagnostic(t *testing.T) {
	v := Violation{Rule: "queue_encryption", Severity: diag.Warning, Summary: "policy rule queue_encryption: queue q is not encrypted at rest",
		Path: "resources.q.encryption", Range: diag.Range{File: "b.yaml", Start: diag.Pos{Line: 3, Column: 5}},
		RuleRange: diag.Range{File: "p.yaml", Start: diag.Pos{Line: 2, Column: 3}}, Policy: "acme"}
	want := &diag.Diagnostic{Severity: diag.Warning, Summary: v.Summary, Path: v.Path, Range: v.Range,
		Related: []diag.Related{{Message: "rule queue_encryption of policy acme", Range: v.RuleRange}}}
	if diff := cmp.Diff(want, v.Diagnostic()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDocs keeps docs/policy.md honest: its example parses without
// errors and its table lists every rule.
func TestDocs(t *testing.T) {
	data, err := os.ReadFile("../../docs/policy.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	start := strings.Index(doc, "```yaml\n")
	end := strings.Index(doc[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("docs/policy.md has no yaml example")
	}
	p, ds := Parse("docs/policy.md", []byte(doc[start+8:start+8+end]))
	if len(ds) > 0 {
		t.Fatalf("the example has problems: %v", ds)
	}
	if len(p.Rules) != len(ruleTable) {
		t.Errorf("the example sets %d rules; there are %d", len(p.Rules), len(ruleTable))
	}
	for _, d := range ruleTable {
		if !strings.Contains(doc, "| `"+d.name+"` |") {
			t.Errorf("docs/policy.md's table has no row for %s", d.name)
		}
	}
}
