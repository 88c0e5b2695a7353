package compiler

import (
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

// TestParallelLoweringMatchesSerial compiles a blueprint large enough for
// every cloud to lower its resources in parts side by side, on one core and
// on two: the files and the diagnostics must be the same.
func TestParallelLoweringMatchesSerial(t *testing.T) {
	file, src := genBlueprint(t, 1200) // 100 of each kind on each cloud
	compile := func(procs int) (map[string][]byte, []string) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bp, ds := blueprints.Parse(file, src)
		if ds.HasErrors() {
			t.Fatal(ds.Errs()[0])
		}
		res, cds, err := New().Compile(bp, "")
		if err != nil || cds.HasErrors() {
			t.Fatalf("compile: %v %v", err, cds.Errs())
		}
		var msgs []string
		for _, d := range append(ds, cds...) {
			msgs = append(msgs, d.Error())
		}
		return res.Files, msgs
	}
	serialFiles, serialDs := compile(1)
	parallelFiles, parallelDs := compile(2)
	if d := cmp.Diff(serialDs, parallelDs); d != "" {
		t.Errorf("diagnostics differ (-one core +two):\n%s", d)
	}
	if len(serialDs) == 0 {
		t.Error("no diagnostics to compare")
	}
	if len(serialFiles) != len(parallelFiles) {
		t.Fatalf("%d files on one core, %d on two", len(serialFiles), len(parallelFiles))
	}
	for name, data := range serialFiles {
		if string(parallelFiles[name]) != string(data) {
			t.Errorf("%s differs on two cores", name)
		}
	}
}
