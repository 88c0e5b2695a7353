package blueprints

import (
	"fmt"

	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// Decoder reads YAML documents that stand beside blueprints (a policy
// file) with the blueprint's own machinery, so they get the same positions,
// messages and limits: syntax errors located by goccy/go-yaml, duplicate
// keys, merge keys, the alias budget, unknown fields with "did you mean",
// and typed fields checked against a field table.
type Decoder struct {
	d *decoder
}

// NewDecoder returns a decoder for file. doc names the kind of document in
// messages ("policy"), needs says which keys an empty one lacks.
func NewDecoder(file, doc, needs string) *Decoder {
	return &Decoder{d: &decoder{file: file, doc: doc, needs: needs}}
}

// Parse reads the one YAML document src holds and returns its root node,
// or nil when it holds none or is malformed (the diagnostics say where).
func (x *Decoder) Parse(src []byte) *yaml.Node {
	root, ok := x.d.parseYAML(src)
	if !ok {
		return nil
	}
	count, _ := countNodes(root)
	x.d.maxNodes = visitsPerNode*count + aliasSlack
	return root
}

// Diagnostics returns everything reported so far, sorted by position.
func (x *Decoder) Diagnostics() diag.Diagnostics {
	x.d.ds.Sort()
	return x.d.ds
}

// Errorf reports an error at node n.
func (x *Decoder) Errorf(n *yaml.Node, path, summary, detail string, args ...any) {
	x.d.errorf(n, path, summary, detail, args...)
}

// Range is node n's position.
func (x *Decoder) Range(n *yaml.Node) diag.Range { return x.d.rng(n) }

// Resolve follows aliases; it returns nil once the alias budget is spent.
func (x *Decoder) Resolve(n *yaml.Node) *yaml.Node {
	n = x.d.resolve(n)
	if x.d.overBudget {
		return nil
	}
	return n
}

// Entry is one key and value of a mapping.
type Entry struct {
	Key, Value *yaml.Node
}

// Object decodes a mapping whose keys must be fields of spec: unknown keys
// are reported with the closest field name, missing required ones too.
func (x *Decoder) Object(n *yaml.Node, path string, spec *Field, what string) *Object {
	return &Object{o: x.d.object(n, path, spec, what, nil)}
}

// Object is a mapping decoded against a field table. Its getters report a
// wrong type, a value outside the enum or pattern, or a number out of range
// at the value's position, and return the zero value (or the default) then.
type Object struct {
	o *obj
}

// Path is the object's data path.
func (o *Object) Path() string { return o.o.path }

// Node is the object's own node.
func (o *Object) Node() *yaml.Node { return o.o.d.resolve(o.o.node) }

// Has reports whether the field is written.
func (o *Object) Has(name string) bool { return o.o.has(name) }

// Key is the key node of a written field, or nil.
func (o *Object) Key(name string) *yaml.Node { return o.o.key(name) }

// Value is the value node of a written field (aliases resolved), or nil.
func (o *Object) Value(name string) *yaml.Node {
	if n := o.o.val(name); n != nil {
		return o.o.d.resolve(n)
	}
	return nil
}

// Fields lists the written fields in the spec's order.
func (o *Object) Fields() []string {
	var out []string
	for _, f := range o.o.spec.Fields {
		if o.o.has(f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// Str is a string field.
func (o *Object) Str(name string) string { return o.o.str(name) }

// Int is a whole-number field.
func (o *Object) Int(name string) int { return o.o.int(name) }

// Bool is a true-or-false field.
func (o *Object) Bool(name string) bool { return o.o.bool(name) }

// Sub is a nested object field, or nil when it is absent.
func (o *Object) Sub(name, what string) *Object {
	c := o.o.sub(name, what)
	if c == nil {
		return nil
	}
	return &Object{o: c}
}

// Entries are the entries of a map field, keys checked against its key
// pattern.
func (o *Object) Entries(name string) []Entry {
	var out []Entry
	for _, e := range o.o.entries(name) {
		out = append(out, Entry{Key: e.key, Value: e.val})
	}
	return out
}

// Strings is a list field of strings, each checked against the field's
// element (enum, pattern). It returns the valid elements with their nodes.
func (o *Object) Strings(name string) ([]string, []*yaml.Node) {
	n := o.o.val(name)
	if n == nil {
		return nil, nil
	}
	return o.o.d.strings(o.o.d.resolve(n), join(o.o.path, name), o.o.spec.child(name))
}

// StringsOf decodes n, a list of strings checked against elem, at path.
func (x *Decoder) StringsOf(n *yaml.Node, path string, f *Field) ([]string, []*yaml.Node) {
	return x.d.strings(x.d.resolve(n), path, f)
}

func (d *decoder) strings(n *yaml.Node, path string, f *Field) ([]string, []*yaml.Node) {
	if d.overBudget {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "wrong type", "%s must be a list, not %s", lastName(path), describe(n))
		return nil, nil
	}
	elem := f.Elem
	if elem == nil {
		elem = &Field{Type: TString}
	}
	name := elem.Name
	if name == "" {
		name = "value"
	}
	var vals []string
	var nodes []*yaml.Node
	for i, c := range n.Content {
		c = d.resolve(c)
		if d.overBudget {
			return nil, nil
		}
		p := fmt.Sprintf("%s[%d]", path, i)
		if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
			d.errorf(c, p, "wrong type", "%s must be a string, not %s", name, describe(c))
			continue
		}
		if v, ok := d.strValue(c, elem, p, name); ok {
			vals = append(vals, v)
			nodes = append(nodes, c)
		}
	}
	return vals, nodes
}

func lastName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return path
}

// Describe says what a node holds, for "must be X, not Y" messages.
func Describe(n *yaml.Node) string { return describe(n) }

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "".
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }

// DatabaseVersions lists the versions of an engine every cloud offers,
// oldest first.
func DatabaseVersions(e Engine) []string { return append([]string(nil), databaseVersions[e]...) }

// Engines lists the database engines.
var Engines = []Engine{Postgres, MySQL}

// The patterns label keys and values must match on every cloud.
const (
	LabelKeyPattern   = labelKeyPattern
	LabelValuePattern = labelValPattern
)

// FieldSchema is the JSON Schema of a field table, as JSONSchema builds it
// for blueprints, for documents decoded with a Decoder.
func FieldSchema(f *Field) map[string]any { return fieldSchema(f) }
