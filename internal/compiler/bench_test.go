package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
)

// genBlueprint writes a blueprint of n resources of mixed kinds spread over
// the three clouds: queues, functions triggered by them and reading a
// database, databases and clusters, in equal shares.
func genBlueprint(tb testing.TB, n int) (string, []byte) {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("blueprint: bench\nregion: europe-west\nlabels: {team: bench}\nresources:\n")
	clouds := blueprints.Clouds
	for i := 0; i < n; i++ {
		group, c := i/4, clouds[(i/4)%3]
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "  q%d: {kind: queue, cloud: %s, visibility_timeout: 2m, dead_letter: {max_deliveries: 5}}\n", group, c)
		case 1:
			fmt.Fprintf(&b, "  db%d: {kind: database, cloud: %s, engine: postgres, size: medium}\n", group, c)
		case 2:
			fmt.Fprintf(&b, "  f%d: {kind: function, cloud: %s, runtime: python3.12, source: fn, triggers: [{queue: q%d}], env: {DB: '${db%d.host}'}}\n", group, c, group, group)
		case 3:
			fmt.Fprintf(&b, "  k%d: {kind: cluster, cloud: %s, node_pools: {general: {size: medium}, spot: {size: large, spot: true, min: 0}}}\n", group, c)
		}
	}
	return filepath.Join(dir, "skyform.yaml"), []byte(b.String())
}

// BenchmarkCompile measures parse + validate + lower + emit of generated
// blueprints, in memory; out-bytes is the size of the root module written.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			file, src := genBlueprint(b, n)
			var outBytes int
			b.ReportAllocs()
			for b.Loop() {
				bp, ds := blueprints.Parse(file, src)
				if ds.HasErrors() {
					b.Fatalf("generated blueprint does not parse: %v", ds.Errs()[0])
				}
				res, cds, err := New().Compile(bp, "")
				if err != nil || cds.HasErrors() {
					b.Fatalf("compile: %v %v", err, cds.Errs())
				}
				outBytes = 0
				for name, data := range res.Files {
					if !strings.Contains(name, "/") {
						outBytes += len(data)
					}
				}
			}
			b.ReportMetric(float64(outBytes), "out-bytes")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}

// BenchmarkCompileUnits measures parse + compile of n units (a queue and a
// function consuming it, all functions from one source) per cloud, in
// memory: the shape internal/tools/compilebench runs as a whole process.
func BenchmarkCompileUnits(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := b.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		var src strings.Builder
		src.WriteString("blueprint: bench\nregion: europe-west\nresources:\n")
		for i := range n {
			fmt.Fprintf(&src, "  jobs-%d: {kind: queue}\n  worker-%d: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs-%d}]}\n", i, i, i)
		}
		file := filepath.Join(dir, "skyform.yaml")
		for _, cloud := range blueprints.Clouds {
			b.Run(fmt.Sprintf("units=%d/%s", n, cloud), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					bp, ds := blueprints.Parse(file, []byte(src.String()))
					if ds.HasErrors() {
						b.Fatal(ds.Errs()[0])
					}
					if _, cds, err := New().Compile(bp, cloud); err != nil || cds.HasErrors() {
						b.Fatalf("compile: %v %v", err, cds.Errs())
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/unit")
			})
		}
	}
}
