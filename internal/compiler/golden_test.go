package compiler

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", os.Getenv("SKYFORM_UPDATE_GOLDEN") != "", "rewrite golden files")

// target is one way an example is compiled: as written ("") or moved to a cloud.
type target struct {
	name  string
	cloud blueprints.Cloud
}

// targets lists "as-written" when the blueprint spans clouds, then every cloud.
func targets(bp *blueprints.Blueprint) []target {
	var ts []target
	if len(bp.CloudsUsed()) > 1 {
		ts = append(ts, target{"as-written", ""})
	}
	for _, c := range blueprints.Clouds {
		ts = append(ts, target{string(c), c})
	}
	return ts
}

func exampleFiles(t testing.TB) []string {
	files, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least four examples, found %d (%v)", len(files), err)
	}
	return files
}

// compiledCases are the examples plus the blueprints under testdata/cases
// that exercise what the examples do not (renames): each is held to its
// golden file and validated by terraform.
func compiledCases(t testing.TB) []string {
	cases, err := filepath.Glob("testdata/cases/*/skyform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return append(exampleFiles(t), cases...)
}

// TestGolden compiles every example for every target and compares the root
// module (and the diagnostics) with testdata/golden/<example>.txtar. Run
// with -update (or SKYFORM_UPDATE_GOLDEN=1) to rewrite them.
func TestGolden(t *testing.T) {
	for _, file := range compiledCases(t) {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			bp, ds := blueprints.Parse(file, src)
			if ds.HasErrors() {
				t.Fatalf("example does not parse: %v", ds)
			}
			ar := &txtar.Archive{Comment: []byte(fmt.Sprintf("Golden output of %s: the blueprint, then per target the root module and the diagnostics.\n", strings.TrimPrefix(filepath.Dir(file), "../../")))}
			ar.Files = append(ar.Files, txtar.File{Name: "skyform.yaml", Data: src})
			c := New()
			for _, tg := range targets(bp) {
				res, cds, err := c.Compile(bp, tg.cloud)
				if err != nil {
					t.Fatalf("%s: %v", tg.name, err)
				}
				if cds.HasErrors() {
					t.Fatalf("%s: example does not compile: %v", tg.name, cds.Errs())
				}
				ar.Files = append(ar.Files, txtar.File{Name: tg.name + "/diagnostics", Data: renderDiags(cds)})
				for _, f := range goldenFiles(res) {
					ar.Files = append(ar.Files, txtar.File{Name: tg.name + "/" + f, Data: res.Files[f]})
				}
			}
			got := txtar.Format(ar)
			golden := filepath.Join("testdata", "golden", name+".txtar")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("output differs from %s; run go test ./internal/compiler -update and review the diff:\n%s", golden, firstDiff(want, got))
			}
		})
	}
}

// goldenFiles are the root module's .tf files; the embedded modules are
// the same for every blueprint and the zips are binary.
func goldenFiles(res *Result) []string {
	var out []string
	for f := range res.Files {
		if !strings.Contains(f, "/") {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

func renderDiags(ds diag.Diagnostics) []byte {
	var b bytes.Buffer
	for _, d := range ds {
		fmt.Fprintf(&b, "%s\n", strings.ReplaceAll(d.Error(), "../../", ""))
	}
	if b.Len() == 0 {
		b.WriteString("(none)\n")
	}
	return b.Bytes()
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n-%s\n+%s", i+1, x, y)
		}
	}
	return ""
}
