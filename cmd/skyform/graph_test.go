package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGraphDetailMatchesPlan holds `graph --detail` to terraform: for
// every example as written, the cloud resources the graph draws are
// exactly the ones an offline terraform plan creates.
func TestGraphDetailMatchesPlan(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	examples, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(examples) < 4 {
		t.Fatalf("want at least four examples, found %d (%v)", len(examples), err)
	}
	for _, ex := range examples {
		name := filepath.Base(filepath.Dir(ex))
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(dir, os.DirFS(filepath.Dir(ex))); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "skyform.yaml")
			var g struct {
				Clouds []struct {
					Nodes []struct {
						Module    string   `json:"module"`
						Resources []string `json:"resources"`
					} `json:"nodes"`
				} `json:"clouds"`
			}
			runJSON(t, &g, "graph", "--detail", "--json", "-f", file)
			var drawn []string
			for _, c := range g.Clouds {
				for _, n := range c.Nodes {
					for _, r := range n.Resources {
						drawn = append(drawn, n.Module+"."+r)
					}
				}
			}
			var p struct {
				Summary struct {
					Resources []struct {
						Changes []struct {
							Address string `json:"address"`
							Action  string `json:"action"`
						} `json:"changes"`
					} `json:"resources"`
				} `json:"summary"`
			}
			runJSON(t, &p, "plan", "--offline", "--json", "-f", file)
			var planned []string
			for _, r := range p.Summary.Resources {
				for _, c := range r.Changes {
					planned = append(planned, c.Address)
				}
			}
			sort.Strings(drawn)
			sort.Strings(planned)
			if len(planned) == 0 {
				t.Fatal("the plan creates nothing")
			}
			if d := cmp.Diff(planned, drawn); d != "" {
				t.Errorf("graph --detail differs from terraform's plan (-plan +graph):\n%s", d)
			}
		})
	}
}

func runJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	if code != exitOK && !(args[0] == "plan" && code == exitChanges) {
		t.Fatalf("skyform %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	if err := json.Unmarshal(out.Bytes(), v); err != nil {
		t.Fatalf("skyform %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}
