package graph

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", os.Getenv("SKYFORM_UPDATE_GOLDEN") != "", "rewrite golden files")

// drawings returns an example's graph in every text format, plain and
// with detail.
func drawings(t *testing.T, file string) []txtar.File {
	t.Helper()
	bp, ds, err := blueprints.Load(file)
	if err != nil || ds.HasErrors() {
		t.Fatalf("example does not load: %v %v", err, ds)
	}
	res, cds, err := compiler.New().Compile(bp, "")
	if err != nil || cds.HasErrors() {
		t.Fatalf("example does not compile: %v %v", err, cds.Errs())
	}
	plain := Build(bp)
	detailed := Build(bp)
	if err := detailed.Detail(res.Files); err != nil {
		t.Fatal(err)
	}
	return []txtar.File{
		{Name: "graph.mmd", Data: plain.Mermaid()},
		{Name: "graph.dot", Data: plain.DOT()},
		{Name: "detail.mmd", Data: detailed.Mermaid()},
		{Name: "detail.dot", Data: detailed.DOT()},
	}
}

func examples(t *testing.T) []string {
	files, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least four examples, found %d (%v)", len(files), err)
	}
	return files
}

// TestGolden draws every example in Mermaid and DOT, plain and with
// detail, and compares with testdata/golden/<example>.txtar (-update
// rewrites them).
func TestGolden(t *testing.T) {
	for _, file := range examples(t) {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			ar := &txtar.Archive{
				Comment: []byte(fmt.Sprintf("skyform graph of examples/%s: Mermaid and DOT, plain and with --detail.\n", name)),
				Files:   drawings(t, file),
			}
			got := txtar.Format(ar)
			golden := filepath.Join("testdata", "golden", name+".txtar")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/graph -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("graph of %s differs from %s (run go test ./internal/graph -update and review the diff)", name, golden)
			}
			// Same blueprint, same bytes.
			again := txtar.Format(&txtar.Archive{Comment: ar.Comment, Files: drawings(t, file)})
			if !bytes.Equal(got, again) {
				t.Errorf("two drawings of %s differ", name)
			}
		})
	}
}

// TestDOTLaysOut has Graphviz read every DOT drawing, where it is
// installed (make test does not install it; the golden files above always run).
func TestDOTLaysOut(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz dot is not installed")
	}
	nastyDOT := txtar.File{Name: "nasty.dot", Data: nasty().DOT()}
	for _, file := range append(examples(t), "") {
		fs := []txtar.File{nastyDOT}
		if file != "" {
			fs = drawings(t, file)
		}
		for _, f := range fs {
			if !strings.HasSuffix(f.Name, ".dot") {
				continue
			}
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = bytes.NewReader(f.Data)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil || stderr.Len() > 0 || !bytes.Contains(out, []byte("<svg")) {
				t.Errorf("%s %s: dot: %v %s", file, f.Name, err, stderr.String())
			}
		}
	}
}

// nasty is a graph whose labels hold every character the formats read specially.
func nasty() *Graph {
	text := "a \"quoted\" \\N\\G #35; <b>&amp;</b> `code` |pipe| ${x.y}\nnext line"
	return &Graph{
		Blueprint: "odd\"name\\",
		Groups: []Group{{Cloud: "aws", Nodes: []*Node{
			{Name: "end", Kind: "queue", Summary: text, Module: "module.end"},
			{Name: "graph", Kind: "function", Summary: text, Module: "module.graph"},
		}}},
		Edges: []Edge{{From: "end", To: "graph", Kind: Reference, Labels: []string{text}}},
	}
}

func TestEscaping(t *testing.T) {
	for _, tc := range []struct{ in, mermaid, dot string }{
		{"plain", `"plain"`, `"plain"`},
		{`say "hi"`, `"say #34;hi#34;"`, `"say \"hi\""`},
		{`back\slash \N`, `"back#92;slash #92;N"`, `"back\\slash \\N"`},
		{"<b>&#35;</b>", `"#60;b#62;#38;#35;35;#60;/b#62;"`, `"<b>&#35;</b>"`},
		{"two\nlines", `"two<br>lines"`, `"two\nlines"`},
		{"`md` |x|", `"#96;md#96; #124;x#124;"`, "\"`md` |x|\""},
	} {
		if got := mermaidText(tc.in); got != tc.mermaid {
			t.Errorf("mermaidText(%q) = %s, want %s", tc.in, got, tc.mermaid)
		}
		if got := dotLabel([]string{tc.in}, false); got != tc.dot {
			t.Errorf("dotLabel(%q) = %s, want %s", tc.in, got, tc.dot)
		}
	}
	m := string(nasty().Mermaid())
	for _, line := range strings.Split(strings.TrimSpace(m), "\n")[2:] {
		// Every quote on a line opens or closes a label: an even number.
		if strings.Count(line, `"`)%2 != 0 || strings.Contains(line, "<b>") {
			t.Errorf("label not escaped in Mermaid line %q", line)
		}
	}
	if !strings.Contains(m, "r_end[") || !strings.Contains(m, "r_end -.->") {
		t.Errorf("Mermaid keywords as names must be prefixed:\n%s", m)
	}
}
