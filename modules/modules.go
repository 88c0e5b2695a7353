package modules

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

//go:embed aws gcp azure
var fsys embed.FS

// Exists reports whether the module "<cloud>/<kind>" is embedded.
func Exists(mod string) bool {
	st, err := fs.Stat(fsys, mod)
	return err == nil && st.IsDir()
}

// Files returns the module's files keyed by their path below the module.
func Files(mod string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(fsys, mod, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fsys.ReadFile(p)
		if err != nil {
			return err
		}
		rel := p[len(mod)+1:]
		out[rel] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read embedded module %s: %w", mod, err)
	}
	return out, nil
}

// List returns every embedded module as "<cloud>/<kind>", sorted.
func List() []string {
	var out []string
	clouds, _ := fs.ReadDir(fsys, ".")
	for _, c := range clouds {
		kinds, _ := fs.ReadDir(fsys, c.Name())
		for _, k := range kinds {
			if k.IsDir() {
				out = append(out, path.Join(c.Name(), k.Name()))
			}
		}
	}
	sort.Strings(out)
	return out
}

// Interface is what a module takes and gives: its input variables and its
// outputs, read from its .tf files.
type Interface struct {
	// Variables are sorted by name.
	Variables []Variable
	// Outputs are sorted.
	Outputs []string
}

// Variable is one input variable of a module.
type Variable struct {
	Name string
	// Required is true when the variable has no default.
	Required bool
}

// VariableNames returns the names of the variables, sorted.
func (i *Interface) VariableNames() []string {
	out := make([]string, len(i.Variables))
	for j, v := range i.Variables {
		out[j] = v.Name
	}
	return out
}

var (
	ifaceMu    sync.Mutex
	ifaceCache = map[string]*Interface{}
)

// Describe returns a module's interface. The compiler checks override keys
// against its variables; the conformance suite checks lowering against it.
func Describe(mod string) (*Interface, error) {
	ifaceMu.Lock()
	defer ifaceMu.Unlock()
	if i, ok := ifaceCache[mod]; ok {
		return i, nil
	}
	files, err := Files(mod)
	if err != nil {
		return nil, err
	}
	i := &Interface{}
	for name, data := range files {
		if path.Ext(name) != ".tf" || path.Dir(name) != "." {
			continue
		}
		f, diags := hclsyntax.ParseConfig(data, path.Join(mod, name), hcl.InitialPos)
		if diags.HasErrors() {
			return nil, fmt.Errorf("embedded module %s: %s", mod, diags.Error())
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if len(b.Labels) != 1 {
				continue
			}
			switch b.Type {
			case "variable":
				_, hasDefault := b.Body.Attributes["default"]
				i.Variables = append(i.Variables, Variable{Name: b.Labels[0], Required: !hasDefault})
			case "output":
				i.Outputs = append(i.Outputs, b.Labels[0])
			}
		}
	}
	sort.Slice(i.Variables, func(a, b int) bool { return i.Variables[a].Name < i.Variables[b].Name })
	sort.Strings(i.Outputs)
	ifaceCache[mod] = i
	return i, nil
}
