package modules

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
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
	// Outputs are sorted by name.
	Outputs []Output
}

// Variable is one input variable of a module.
type Variable struct {
	Name string
	// Required is true when the variable has no default.
	Required bool
	// Type is the variable's type constraint; cty.DynamicPseudoType when it
	// declares none.
	Type cty.Type
	// TypeExpr is the constraint as written ("map(string)"), for messages.
	TypeExpr string
	// Range is where the variable's name stands.
	Range hcl.Range
}

// Output is one output of a module.
type Output struct {
	Name  string
	Range hcl.Range
}

// VariableNames returns the names of the variables, sorted.
func (i *Interface) VariableNames() []string {
	out := make([]string, len(i.Variables))
	for j, v := range i.Variables {
		out[j] = v.Name
	}
	return out
}

// OutputNames returns the names of the outputs, sorted.
func (i *Interface) OutputNames() []string {
	out := make([]string, len(i.Outputs))
	for j, o := range i.Outputs {
		out[j] = o.Name
	}
	return out
}

// Variable returns the variable of that name, or nil.
func (i *Interface) Variable(name string) *Variable {
	for j := range i.Variables {
		if i.Variables[j].Name == name {
			return &i.Variables[j]
		}
	}
	return nil
}

// Output returns the output of that name, or nil.
func (i *Interface) Output(name string) *Output {
	for j := range i.Outputs {
		if i.Outputs[j].Name == name {
			return &i.Outputs[j]
		}
	}
	return nil
}

var (
	ifaceMu    sync.Mutex
	ifaceCache = map[string]*Interface{}
)

// Describe returns an embedded module's interface. The compiler checks
// override keys and substituted modules against it; the conformance suite
// checks lowering against it.
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
	i, diags := Read(files, mod)
	if diags.HasErrors() {
		return nil, fmt.Errorf("embedded module %s: %s", mod, diags.Error())
	}
	ifaceCache[mod] = i
	return i, nil
}

// Read reads the interface of a module from its files, keyed by path below
// the module; only the .tf files at its top level count, as for terraform.
// dir prefixes the file names in ranges. Syntax errors and type
// constraints terraform would refuse come back as HCL diagnostics.
func Read(files map[string][]byte, dir string) (*Interface, hcl.Diagnostics) {
	i := &Interface{}
	var all hcl.Diagnostics
	names := make([]string, 0, len(files))
	for name := range files {
		if path.Ext(name) == ".tf" && path.Dir(name) == "." {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		f, diags := hclsyntax.ParseConfig(files[name], path.Join(dir, name), hcl.InitialPos)
		all = append(all, diags...)
		if diags.HasErrors() {
			continue
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if len(b.Labels) != 1 {
				continue
			}
			switch b.Type {
			case "variable":
				_, hasDefault := b.Body.Attributes["default"]
				v := Variable{Name: b.Labels[0], Required: !hasDefault, Type: cty.DynamicPseudoType, TypeExpr: "any", Range: b.LabelRanges[0]}
				if a, ok := b.Body.Attributes["type"]; ok {
					t, _, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
					all = append(all, diags...)
					if !diags.HasErrors() {
						v.Type = t
						v.TypeExpr = string(a.Expr.Range().SliceBytes(files[name]))
					}
				}
				i.Variables = append(i.Variables, v)
			case "output":
				i.Outputs = append(i.Outputs, Output{Name: b.Labels[0], Range: b.LabelRanges[0]})
			}
		}
	}
	sort.Slice(i.Variables, func(a, b int) bool { return i.Variables[a].Name < i.Variables[b].Name })
	sort.Slice(i.Outputs, func(a, b int) bool { return i.Outputs[a].Name < i.Outputs[b].Name })
	return i, all
}
