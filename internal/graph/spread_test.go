package graph

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
)

// TestDetailReadsEveryRootFile: a blueprint large enough to have its
// module calls spread over resources-<hex>.tf still gets every resource's
// cloud resources and the implicit modules.
func TestDetailReadsEveryRootFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("blueprint: shop\nresources:\n  db: {kind: database, engine: postgres}\n  worker: {kind: function, runtime: python3.12, source: fn, env: {DB: '${db.host}'}}\n")
	for i := range 300 {
		fmt.Fprintf(&b, "  q%d: {kind: queue}\n", i)
	}
	bp, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), []byte(b.String()))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	res, cds, err := compiler.New().Compile(bp, "")
	if err != nil || cds.HasErrors() {
		t.Fatalf("compile: %v %v", err, cds.Errs())
	}
	if _, spread := res.Files["resources-0.tf"]; !spread {
		t.Fatal("the blueprint is not large enough to spread its module calls")
	}
	g := Build(bp)
	if err := g.Detail(res.Files); err != nil {
		t.Fatal(err)
	}
	implicit, nodes := 0, 0
	for _, grp := range g.Groups {
		for _, n := range grp.Nodes {
			nodes++
			if n.Implicit {
				implicit++
			}
			if len(n.Resources) == 0 {
				t.Errorf("%s has no cloud resources", n.Name)
			}
		}
	}
	if nodes < 82 {
		t.Errorf("%d nodes, want the 82 resources and the implicit modules", nodes)
	}
	if implicit == 0 {
		t.Error("no implicit module (the network the database needs) was read")
	}
}
