// Package diagtest checks diagnostics against expectations written in the
// offending file itself: a comment "# ERROR: <summary>" (or "# WARNING:")
// on the line a diagnostic must point at. Tests then read like the bad
// input they exercise, and a moved position fails them.
package diagtest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/internal/diag"
)

var markRE = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.*?)\s*$`)

// Expected returns the marks of a file as "line: severity: summary" strings.
func Expected(src []byte) []string {
	var out []string
	for i, line := range strings.Split(string(src), "\n") {
		if m := markRE.FindStringSubmatch(line); m != nil {
			out = append(out, fmt.Sprintf("%d: %s: %s", i+1, strings.ToLower(m[1]), m[2]))
		}
	}
	sort.Strings(out)
	return out
}

// Got renders diagnostics in the same form, keeping only those of file and
// only warnings when the file marks any warning.
func Got(file string, ds diag.Diagnostics, withWarnings bool) []string {
	var out []string
	for _, d := range ds {
		if d.Range.File != file || (d.Severity == diag.Warning && !withWarnings) {
			continue
		}
		out = append(out, fmt.Sprintf("%d: %s: %s", d.Range.Start.Line, d.Severity, d.Summary))
	}
	sort.Strings(out)
	return out
}

// Check compares a file's marks with the diagnostics reported for it.
func Check(t *testing.T, file string, src []byte, ds diag.Diagnostics) {
	t.Helper()
	want := Expected(src)
	withWarnings := strings.Contains(strings.Join(want, "\n"), ": warning: ")
	got := Got(file, ds, withWarnings)
	if diff := cmp.Diff(want, got); diff != "" {
		var b strings.Builder
		_ = diag.Write(&b, ds, diag.Sources{file: src})
		t.Errorf("%s: diagnostics differ from the # ERROR marks (-want +got):\n%s\nall diagnostics:\n%s", file, diff, b.String())
	}
}

// CheckFiles runs Check on every file matching pattern, each as a subtest:
// load reads and parses one file and returns its bytes and diagnostics.
// A file without diagnostics fails through its marks like any other.
func CheckFiles(t *testing.T, pattern string, load func(t *testing.T, file string) ([]byte, diag.Diagnostics)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files match %s: %v", pattern, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, ds := load(t, file)
			Check(t, file, src, ds)
		})
	}
}
