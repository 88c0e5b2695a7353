package gcp_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/providers/conformance"
)

func TestZZDump(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "fn"), 0o755)
	os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c):\n  return 1\n"), 0o644)
	for i, c := range conformance.Cases {
		if len(c.WantErrors) > 0 {
			continue
		}
		src := strings.NewReplacer("CLOUD", "gcp", "OTHER", "aws").Replace(c.Blueprint)
		f := filepath.Join(dir, "skyform.yaml")
		os.WriteFile(f, []byte(src), 0o644)
		bp, ds := blueprints.Parse(f, []byte(src))
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		res, cds, err := compiler.New().Compile(bp, blueprints.GCP)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("=====", c.Name)
		for _, d := range cds {
			fmt.Println(d.Error())
		}
		if res == nil {
			continue
		}
		out := filepath.Join("/tmp/gcpconf", fmt.Sprintf("case%d", i))
		for name, data := range res.Files {
			p := filepath.Join(out, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, data, 0o644)
		}
	}
}
