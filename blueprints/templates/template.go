package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/skyform/skyform/internal/diag"
	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"
)

// FileName is the file in a template directory that declares the template.
const FileName = "template.yaml"

// StarterDir is the directory of a template whose files `skyform new`
// copies beside the blueprint it writes.
const StarterDir = "files"

// Type is the type of a parameter.
type Type string

// The parameter types.
const (
	String Type = "string"
	Number Type = "number"
	Bool   Type = "bool"
	List   Type = "list"
	Map    Type = "map"
)

// Types lists the parameter types in the order the documentation gives them.
var Types = []Type{String, Number, Bool, List, Map}

// Param is one declared parameter of a template.
type Param struct {
	Name        string
	Type        Type
	Description string
	Required    bool
	// Default is the value used when the blueprint gives none; nil when
	// there is none (an optional parameter without a default is absent).
	Default *yaml.Node
	// Enum lists the allowed values (strings, numbers).
	Enum []*yaml.Node
	// Min and Max bound a number's value, a string's length or the number
	// of items of a list or map.
	Min, Max *float64
	// Pattern is what the whole of a string value must match.
	Pattern *regexp.Regexp
	// Range is where the parameter is declared (its key in template.yaml).
	Range diag.Range
}

// Template is a parsed template.yaml with the content it came from.
type Template struct {
	Name        string
	Version     string
	Description string
	// File names template.yaml in diagnostics.
	File string
	// Source is template.yaml's bytes, for snippets under diagnostics.
	Source []byte
	Params []*Param
	// Labels and Resources are the template's body, before expansion; nil
	// when the template has none.
	Labels, Resources *yaml.Node
	// Files is every file of the template directory by slash-separated
	// path; Hash is their content hash (see Hash).
	Files map[string][]byte
	Hash  string
	// VersionRange is where template.yaml declares its version.
	VersionRange diag.Range
}

// Param returns the parameter called name, or nil.
func (t *Template) Param(name string) *Param {
	for _, p := range t.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ParamNames lists the parameters in declaration order.
func (t *Template) ParamNames() []string {
	out := make([]string, len(t.Params))
	for i, p := range t.Params {
		out[i] = p.Name
	}
	return out
}

// StarterFiles returns the files under files/, by their path below it.
func (t *Template) StarterFiles() map[string][]byte {
	out := map[string][]byte{}
	for p, data := range t.Files {
		if rest, ok := strings.CutPrefix(p, StarterDir+"/"); ok {
			out[rest] = data
		}
	}
	return out
}

var (
	nameRE      = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)
	paramNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	topKeys     = []string{"template", "version", "description", "parameters", "labels", "resources"}
	paramKeys   = []string{"type", "description", "required", "default", "enum", "min", "max", "pattern"}
)

// ValidVersion reports whether v is a semantic version (1.2.0, with an
// optional leading v and pre-release).
func ValidVersion(v string) bool {
	return semver.IsValid(canonical(v)) && strings.Count(strings.SplitN(strings.TrimPrefix(v, "v"), "-", 2)[0], ".") == 2
}

func canonical(v string) string {
	if !strings.HasPrefix(v, "v") {
		return "v" + v
	}
	return v
}

// SameVersion reports whether two semantic versions are equal, with or
// without a leading v.
func SameVersion(a, b string) bool {
	return ValidVersion(a) && ValidVersion(b) && semver.Compare(canonical(a), canonical(b)) == 0
}

// Parse reads a template from the files of its directory. file names
// template.yaml in diagnostics.
func Parse(file string, files map[string][]byte) (*Template, diag.Diagnostics) {
	p := &parser{file: file}
	t := &Template{File: file, Files: files, Hash: Hash(files)}
	src, ok := files[FileName]
	if !ok {
		p.ds = p.ds.Errorf(diag.Range{File: file}, "", "not a template", "a template directory holds %s", FileName)
		return t, p.ds
	}
	t.Source = src
	root := p.parseYAML(src)
	if root == nil {
		return t, p.ds
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "", "wrong type", "a template is a mapping with the keys %s", strings.Join(topKeys, ", "))
		return t, p.ds
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			p.errorf(k, k.Value, "duplicate key", "%q is already set at line %d, column %d", k.Value, prev.Line, prev.Column)
			continue
		}
		seen[k.Value] = k
		switch k.Value {
		case "template":
			if p.scalar(v, "template", "the template's name") && !nameRE.MatchString(v.Value) {
				p.errorf(v, "template", fmt.Sprintf("invalid template name %q", v.Value), "use lower-case letters, digits and dashes, starting with a letter")
			}
			t.Name = v.Value
		case "version":
			t.VersionRange = p.rng(v)
			if p.scalar(v, "version", "a semantic version such as 1.2.0") && !ValidVersion(v.Value) {
				p.errorf(v, "version", fmt.Sprintf("invalid version %q", v.Value), "a template's version is semantic: MAJOR.MINOR.PATCH, such as 1.2.0")
			}
			t.Version = v.Value
		case "description":
			p.scalar(v, "description", "a string")
			t.Description = v.Value
		case "parameters":
			t.Params = p.params(v)
		case "labels":
			t.Labels = p.body(v, "labels")
		case "resources":
			t.Resources = p.body(v, "resources")
		default:
			p.errorf(k, k.Value, fmt.Sprintf("unknown key %q in the template", k.Value), "%s", didYouMean(k.Value, topKeys))
		}
	}
	for _, req := range []string{"template", "version", "resources"} {
		if seen[req] == nil {
			p.errorf(root, req, fmt.Sprintf("missing key %q in the template", req), "a template declares at least template, version and resources")
		}
	}
	p.ds.Sort()
	return t, p.ds
}

func didYouMean(s string, candidates []string) string {
	allowed := "allowed: " + strings.Join(candidates, ", ")
	if c := diag.Suggest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q? %s", c, allowed)
	}
	return allowed
}

type parser struct {
	file string
	ds   diag.Diagnostics
}

func (p *parser) rng(n *yaml.Node) diag.Range {
	return diag.Range{File: p.file, Start: diag.Pos{Line: n.Line, Column: n.Column}}
}

func (p *parser) errorf(n *yaml.Node, path, summary, detail string, args ...any) *diag.Diagnostic {
	p.ds = p.ds.Errorf(p.rng(n), path, summary, detail, args...)
	return p.ds[len(p.ds)-1]
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (p *parser) parseYAML(src []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if errors.Is(err, io.EOF) {
			msg = "the template is empty"
		} else if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		p.ds = p.ds.Errorf(diag.Range{File: p.file, Start: diag.Pos{Line: line, Column: 1}}, "", "malformed YAML", "%s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		p.ds = p.ds.Errorf(diag.Range{File: p.file, Start: diag.Pos{Line: 1, Column: 1}}, "", "malformed YAML", "the template is empty")
		return nil
	}
	return doc.Content[0]
}

func (p *parser) scalar(n *yaml.Node, path, want string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, path, "wrong type", "%s must be %s, not %s", path, want, Describe(n))
		return false
	}
	return true
}

func (p *parser) body(n *yaml.Node, path string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, path, "wrong type", "%s must be a mapping, not %s", path, Describe(n))
		return nil
	}
	return n
}

func (p *parser) params(n *yaml.Node) []*Param {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "parameters", "wrong type", "parameters must be a mapping of parameter name to declaration, not %s", Describe(n))
		return nil
	}
	var out []*Param
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := "parameters." + k.Value
		switch {
		case seen[k.Value]:
			p.errorf(k, path, "duplicate parameter", "%q is declared twice", k.Value)
			continue
		case !paramNameRE.MatchString(k.Value):
			p.errorf(k, path, fmt.Sprintf("invalid parameter name %q", k.Value), "use lower-case letters, digits and underscores, starting with a letter")
			continue
		}
		seen[k.Value] = true
		if prm := p.param(k, v, path); prm != nil {
			out = append(out, prm)
		}
	}
	return out
}

func (p *parser) param(k, v *yaml.Node, path string) *Param {
	prm := &Param{Name: k.Value, Range: p.rng(k)}
	if v.Kind != yaml.MappingNode {
		p.errorf(v, path, "wrong type", "a parameter is declared as a mapping such as {type: string, required: true}, not %s", Describe(v))
		return nil
	}
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		fk, fv := v.Content[i], v.Content[i+1]
		if !contains(paramKeys, fk.Value) {
			p.errorf(fk, path+"."+fk.Value, fmt.Sprintf("unknown key %q in parameter %s", fk.Value, prm.Name), "%s", didYouMean(fk.Value, paramKeys))
			continue
		}
		vals[fk.Value] = fv
	}
	tn := vals["type"]
	if tn == nil {
		p.errorf(k, path+".type", fmt.Sprintf("parameter %s has no type", prm.Name), "allowed types: %s", typeList())
		return nil
	}
	prm.Type = Type(tn.Value)
	if tn.Kind != yaml.ScalarNode || !contains(typeNames(), tn.Value) {
		p.errorf(tn, path+".type", fmt.Sprintf("unknown parameter type %q", tn.Value), "%s", didYouMean(tn.Value, typeNames()))
		return nil
	}
	ok := true
	if n := vals["description"]; n != nil && p.scalar(n, path+".description", "a string") {
		prm.Description = n.Value
	}
	if n := vals["required"]; n != nil {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			p.errorf(n, path+".required", "wrong type", "required must be true or false, not %s", Describe(n))
			ok = false
		} else {
			prm.Required = strings.EqualFold(n.Value, "true")
		}
	}
	for _, bound := range []string{"min", "max"} {
		n := vals[bound]
		if n == nil {
			continue
		}
		if prm.Type == Bool {
			p.errorf(n, path+"."+bound, fmt.Sprintf("%s is not for a bool parameter", bound), "min and max bound a number, the length of a string and the items of a list or map")
			ok = false
			continue
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || err != nil {
			p.errorf(n, path+"."+bound, "wrong type", "%s must be a number, not %s", bound, Describe(n))
			ok = false
			continue
		}
		if bound == "min" {
			prm.Min = &f
		} else {
			prm.Max = &f
		}
	}
	if prm.Min != nil && prm.Max != nil && *prm.Min > *prm.Max {
		p.errorf(vals["min"], path+".min", "min is larger than max", "min %s, max %s", vals["min"].Value, vals["max"].Value)
		ok = false
	}
	if n := vals["pattern"]; n != nil {
		switch {
		case prm.Type != String:
			p.errorf(n, path+".pattern", fmt.Sprintf("pattern is not for a %s parameter", prm.Type), "a pattern constrains a string")
			ok = false
		case p.scalar(n, path+".pattern", "a regular expression"):
			re, err := regexp.Compile(`^(?:` + n.Value + `)$`)
			if err != nil {
				p.errorf(n, path+".pattern", "invalid pattern", "%v", err)
				ok = false
			}
			prm.Pattern = re
		}
	}
	if n := vals["enum"]; n != nil {
		switch {
		case prm.Type != String && prm.Type != Number:
			p.errorf(n, path+".enum", fmt.Sprintf("enum is not for a %s parameter", prm.Type), "enum lists the allowed values of a string or number")
			ok = false
		case n.Kind != yaml.SequenceNode || len(n.Content) == 0:
			p.errorf(n, path+".enum", "wrong type", "enum must be a list of allowed values, not %s", Describe(n))
			ok = false
		default:
			for _, e := range n.Content {
				if msg := typeMismatch(prm.Type, e); msg != "" {
					p.errorf(e, path+".enum", "wrong type in enum", "%s", msg)
					ok = false
				}
			}
			prm.Enum = n.Content
		}
	}
	if !ok {
		return nil
	}
	if n := vals["default"]; n != nil {
		if prm.Required {
			p.errorf(n, path+".default", fmt.Sprintf("required parameter %s has a default", prm.Name), "a required parameter is always given by the blueprint; drop required or the default")
			return nil
		}
		if s, detail := prm.Check(n); s != "" {
			p.errorf(n, path+".default", "invalid default: "+s, "%s", detail)
			return nil
		}
		prm.Default = n
	}
	return prm
}

func typeNames() []string {
	out := make([]string, len(Types))
	for i, t := range Types {
		out[i] = string(t)
	}
	return out
}

func typeList() string { return strings.Join(typeNames(), ", ") }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Describe names a YAML value's shape for diagnostics.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return Describe(n.Alias)
	}
	switch n.Tag {
	case "!!null":
		return "empty"
	case "!!bool":
		return "a boolean (" + n.Value + ")"
	case "!!int", "!!float":
		return "a number (" + n.Value + ")"
	}
	return fmt.Sprintf("the string %q", n.Value)
}

// typeMismatch says why n is not a value of type t, or "".
func typeMismatch(t Type, n *yaml.Node) string {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	ok := false
	switch t {
	case String:
		ok = n.Kind == yaml.ScalarNode && n.Tag == "!!str"
	case Number:
		ok = n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
	case Bool:
		ok = n.Kind == yaml.ScalarNode && n.Tag == "!!bool"
	case List:
		ok = n.Kind == yaml.SequenceNode
	case Map:
		ok = n.Kind == yaml.MappingNode
	}
	if ok {
		return ""
	}
	hint := ""
	if t == String && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		hint = fmt.Sprintf(`; quote it ("%s") to pass it as a string`, n.Value)
	}
	return fmt.Sprintf("must be %s, not %s%s", article(t), Describe(n), hint)
}

func article(t Type) string {
	switch t {
	case List:
		return "a list"
	case Map:
		return "a mapping"
	case Bool:
		return "true or false"
	}
	return "a " + string(t)
}

// Check checks a value against the parameter's type and constraints. It
// returns "" when the value is allowed, else a summary and a detail.
func (p *Param) Check(n *yaml.Node) (summary, detail string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if msg := typeMismatch(p.Type, n); msg != "" {
		return fmt.Sprintf("wrong type for parameter %q", p.Name), fmt.Sprintf("%s %s", p.Name, msg)
	}
	if len(p.Enum) > 0 {
		var allowed []string
		found := false
		for _, e := range p.Enum {
			allowed = append(allowed, e.Value)
			if sameScalar(p.Type, e, n) {
				found = true
			}
		}
		if !found {
			return fmt.Sprintf("value %q not allowed for parameter %q", n.Value, p.Name), didYouMean(n.Value, allowed)
		}
	}
	var size float64
	what := ""
	switch p.Type {
	case Number:
		size, _ = strconv.ParseFloat(n.Value, 64)
	case String:
		size, what = float64(len([]rune(n.Value))), " characters"
	case List:
		size, what = float64(len(n.Content)), " items"
	case Map:
		size, what = float64(len(n.Content)/2), " entries"
	}
	if (p.Min != nil && size < *p.Min) || (p.Max != nil && size > *p.Max) {
		return fmt.Sprintf("parameter %q out of range", p.Name), fmt.Sprintf("%s%s is not %s", fmtNum(size), what, p.bounds())
	}
	if p.Pattern != nil && !p.Pattern.MatchString(n.Value) {
		return fmt.Sprintf("value %q not allowed for parameter %q", n.Value, p.Name), fmt.Sprintf("it must match %s", strings.TrimSuffix(strings.TrimPrefix(p.Pattern.String(), "^(?:"), ")$"))
	}
	return "", ""
}

func (p *Param) bounds() string {
	switch {
	case p.Min != nil && p.Max != nil:
		return fmt.Sprintf("between %s and %s", fmtNum(*p.Min), fmtNum(*p.Max))
	case p.Min != nil:
		return "at least " + fmtNum(*p.Min)
	}
	return "at most " + fmtNum(*p.Max)
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func sameScalar(t Type, a, b *yaml.Node) bool {
	if t == Number {
		x, err1 := strconv.ParseFloat(a.Value, 64)
		y, err2 := strconv.ParseFloat(b.Value, 64)
		return err1 == nil && err2 == nil && x == y
	}
	return a.Value == b.Value
}

// sortedPaths returns the keys of files in order.
func sortedPaths(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
