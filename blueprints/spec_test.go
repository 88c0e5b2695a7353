package blueprints

import "testing"

// TestFieldTablesHaveUniqueNames guards the field tables against a field
// declared twice (a merge that keeps both sides): decoding would apply the
// stricter copy's rules and the JSON Schema would hold whichever came last.
func TestFieldTablesHaveUniqueNames(t *testing.T) {
	var walk func(path string, f *Field)
	walk = func(path string, f *Field) {
		seen := map[string]bool{}
		for i := range f.Fields {
			c := &f.Fields[i]
			if seen[c.Name] {
				t.Errorf("%s: field %q is declared twice", path, c.Name)
			}
			seen[c.Name] = true
			walk(path+"."+c.Name, c)
		}
		if f.Elem != nil {
			walk(path+"[]", f.Elem)
		}
	}
	walk("blueprint", topSpec)
	for k, spec := range kindSpecs {
		walk("resources.<"+string(k)+">", spec)
	}
}
