package templates

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// Span is a byte range of a scalar's value.
type Span struct{ Start, End int }

// Expansion is a template's body with every parameter replaced by its
// value, ready to be decoded with the blueprint.
type Expansion struct {
	Template *Template
	// Labels and Resources are mappings (nil when the template has none).
	Labels, Resources *yaml.Node
	// Files gives the file of every node taken from the template; nodes
	// not in it are the blueprint's own (the values of with:).
	Files map[*yaml.Node]string
	// Related tells, for a node a parameter supplied, where the value was
	// given or used, so a diagnostic on it points into both files.
	Related map[*yaml.Node][]diag.Related
	// Data marks the parts of scalar values that came from parameter
	// values: they are text, never references, whatever they hold.
	Data map[*yaml.Node][]Span
}

// exprRE finds ${{ ... }} in a scalar; what stands inside must be
// params.NAME.
var (
	exprRE  = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	paramRE = regexp.MustCompile(`^\s*params\.([a-z][a-z0-9_]*)\s*$`)
)

// maxNodes bounds an expansion, so that aliases in a template cannot
// expand without end.
const maxNodes = 200_000

// value is a parameter's value with where it came from.
type value struct {
	node *yaml.Node
	// given is the range of the blueprint's value; zero for a default.
	given diag.Range
}

// Expand checks the values of with (a mapping from the blueprint, or nil)
// against the template's parameters and returns the template's body with
// every ${{ params.NAME }} replaced. rng gives the position of a node of
// with; at is where a missing parameter is reported (the with: or uses:
// key).
func Expand(t *Template, with *yaml.Node, at diag.Range, rng func(*yaml.Node) diag.Range) (*Expansion, diag.Diagnostics) {
	var ds diag.Diagnostics
	vals := map[string]value{}
	given := map[string]bool{}
	if with != nil {
		for with.Kind == yaml.AliasNode {
			with = with.Alias
		}
		switch {
		case with.Kind == yaml.ScalarNode && with.Tag == "!!null":
		case with.Kind != yaml.MappingNode:
			ds = ds.Errorf(rng(with), "with", "wrong type", "with must be a mapping of parameter name to value, not %s", Describe(with))
		default:
			for i := 0; i+1 < len(with.Content); i += 2 {
				k, v := with.Content[i], with.Content[i+1]
				path := "with." + k.Value
				p := t.Param(k.Value)
				switch {
				case given[k.Value]:
					ds = ds.Errorf(rng(k), path, "duplicate key", "parameter %q is already given", k.Value)
					continue
				case p == nil:
					detail := fmt.Sprintf("template %s takes no parameters", t.Name)
					if len(t.Params) > 0 {
						detail = didYouMean(k.Value, t.ParamNames())
						detail = strings.Replace(detail, "allowed: ", "parameters of "+t.Name+": ", 1)
					}
					ds = ds.Errorf(rng(k), path, fmt.Sprintf("unknown parameter %q", k.Value), "%s", detail)
					continue
				}
				given[k.Value] = true
				if summary, detail := p.Check(v); summary != "" {
					ds = ds.Errorf(rng(v), path, summary, "%s", detail)
					ds[len(ds)-1].With(p.Range, "parameter %q declared here%s", p.Name, describeParam(p))
					continue
				}
				vals[p.Name] = value{node: v, given: rng(v)}
			}
		}
	}
	for _, p := range t.Params {
		if given[p.Name] {
			continue
		}
		if p.Required {
			ds = ds.Errorf(at, "with."+p.Name, fmt.Sprintf("missing parameter %q for template %s", p.Name, t.Name), "give it under with:%s", describeParam(p))
			ds[len(ds)-1].With(p.Range, "parameter %q declared here", p.Name)
			continue
		}
		if p.Default != nil {
			vals[p.Name] = value{node: p.Default}
		}
	}
	if ds.HasErrors() {
		return nil, ds
	}
	x := &expander{t: t, vals: vals, ex: &Expansion{
		Template: t,
		Files:    map[*yaml.Node]string{},
		Related:  map[*yaml.Node][]diag.Related{},
		Data:     map[*yaml.Node][]Span{},
	}}
	if t.Labels != nil {
		x.ex.Labels, _ = x.copy(t.Labels, false)
	}
	if t.Resources != nil {
		x.ex.Resources, _ = x.copy(t.Resources, false)
	}
	if x.ds.HasErrors() {
		return nil, x.ds
	}
	return x.ex, x.ds
}

func describeParam(p *Param) string {
	s := fmt.Sprintf(" (%s", p.Type)
	if p.Description != "" {
		s += ": " + p.Description
	}
	return s + ")"
}

type expander struct {
	t     *Template
	vals  map[string]value
	ex    *Expansion
	ds    diag.Diagnostics
	nodes int
	over  bool
}

func (x *expander) rng(n *yaml.Node) diag.Range {
	return diag.Range{File: x.t.File, Start: diag.Pos{Line: n.Line, Column: n.Column}}
}

// at is the position of byte off of a scalar's value: exact for one-line
// plain and quoted scalars, the scalar's start otherwise.
func (x *expander) at(n *yaml.Node, off int) diag.Range {
	r := x.rng(n)
	if strings.Contains(n.Value, "\n") {
		return r
	}
	switch n.Style {
	case 0:
		r.Start.Column += off
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		r.Start.Column += off + 1
	}
	return r
}

// copy copies a template node with its parameters replaced. drop is true
// when the node is a whole ${{ params.X }} of an absent optional
// parameter: the entry or item holding it disappears.
func (x *expander) copy(n *yaml.Node, isKey bool) (out *yaml.Node, drop bool) {
	if x.over {
		return nil, true
	}
	if x.nodes++; x.nodes > maxNodes {
		x.over = true
		x.ds = x.ds.Errorf(x.rng(n), "", "template too large", "its aliases expand to more than %d YAML nodes", maxNodes)
		return nil, true
	}
	switch n.Kind {
	case yaml.AliasNode:
		return x.copy(n.Alias, isKey)
	case yaml.ScalarNode:
		return x.scalar(n, isKey)
	}
	c := *n
	c.Content = nil
	x.ex.Files[&c] = x.t.File
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, _ := x.copy(n.Content[i], true)
			v, drop := x.copy(n.Content[i+1], false)
			if k != nil && !drop {
				c.Content = append(c.Content, k, v)
			}
		}
		return &c, false
	}
	for _, item := range n.Content {
		if v, drop := x.copy(item, false); !drop {
			c.Content = append(c.Content, v)
		}
	}
	return &c, false
}

func (x *expander) scalar(n *yaml.Node, isKey bool) (*yaml.Node, bool) {
	ms := exprRE.FindAllStringSubmatchIndex(n.Value, -1)
	if len(ms) == 0 {
		c := *n
		x.ex.Files[&c] = x.t.File
		if i := strings.Index(n.Value, "${{"); i >= 0 {
			x.ds = x.ds.Errorf(x.at(n, i), "", "unclosed ${{", "a parameter is written ${{ params.NAME }}")
		}
		return &c, false
	}
	type use struct {
		start, end int
		val        value
		set        bool
	}
	var uses []use
	for _, m := range ms {
		inner := n.Value[m[2]:m[3]]
		pm := paramRE.FindStringSubmatch(inner)
		if pm == nil {
			x.ds = x.ds.Errorf(x.at(n, m[0]), "", fmt.Sprintf("unknown expression ${{%s}}", inner), "a template refers to its parameters as ${{ params.NAME }}")
			return nil, true
		}
		p := x.t.Param(pm[1])
		if p == nil {
			detail := "the template declares no parameters"
			if len(x.t.Params) > 0 {
				detail = strings.Replace(didYouMean(pm[1], x.t.ParamNames()), "allowed: ", "declared: ", 1)
			}
			x.ds = x.ds.Errorf(x.at(n, m[0]), "", fmt.Sprintf("undeclared parameter %q", pm[1]), "%s", detail)
			return nil, true
		}
		v, set := x.vals[p.Name]
		uses = append(uses, use{m[0], m[1], v, set})
	}
	usedAt := x.at(n, uses[0].start)
	// A whole value stands for the parameter's value, with its type.
	if !isKey && len(uses) == 1 && uses[0].start == 0 && uses[0].end == len(n.Value) {
		u := uses[0]
		if !u.set {
			return nil, true
		}
		vn := u.val.node
		for vn.Kind == yaml.AliasNode {
			vn = vn.Alias
		}
		c := *vn
		v := &c
		if u.val.given.IsZero() {
			x.markTemplate(v)
		}
		x.relate(v, diag.Related{Message: fmt.Sprintf("the value is used by template %s here", x.t.Name), Range: usedAt})
		x.markData(v)
		return v, false
	}
	var b strings.Builder
	var spans []Span
	var rel []diag.Related
	last := 0
	for _, u := range uses {
		b.WriteString(n.Value[last:u.start])
		last = u.end
		if !u.set {
			continue
		}
		vn := u.val.node
		for vn.Kind == yaml.AliasNode {
			vn = vn.Alias
		}
		if vn.Kind != yaml.ScalarNode {
			x.ds = x.ds.Errorf(x.at(n, u.start), "", "a parameter inside text must be a single value", "%s is %s; write ${{ params.NAME }} alone as the whole value to pass a list or mapping", n.Value[u.start:u.end], Describe(vn))
			return nil, true
		}
		spans = append(spans, Span{b.Len(), b.Len() + len(vn.Value)})
		b.WriteString(vn.Value)
		if !u.val.given.IsZero() {
			rel = append(rel, diag.Related{Message: "the value given here", Range: u.val.given})
		}
	}
	b.WriteString(n.Value[last:])
	c := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: b.String(), Line: n.Line, Column: n.Column, Style: n.Style}
	x.ex.Files[c] = x.t.File
	x.ex.Data[c] = spans
	x.ex.Related[c] = rel
	return c, false
}

// markTemplate records a default value, and everything inside it, as the
// template's.
func (x *expander) markTemplate(n *yaml.Node) {
	x.ex.Files[n] = x.t.File
	for _, c := range n.Content {
		x.markTemplate(c)
	}
}

// markData records every scalar of a substituted value as data.
func (x *expander) markData(n *yaml.Node) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode {
		x.ex.Data[n] = []Span{{0, len(n.Value)}}
	}
	for _, c := range n.Content {
		x.markData(c)
	}
}

// relate records where a substituted value is used, on the value and on
// every node inside it.
func (x *expander) relate(n *yaml.Node, r diag.Related) {
	x.ex.Related[n] = append(x.ex.Related[n], r)
	for _, c := range n.Content {
		if _, ok := x.ex.Related[c]; !ok {
			x.relate(c, r)
		}
	}
}

// Hash is the content hash of a template directory: sha256 over the
// sorted list of "sha256(content)  path" lines, so it changes with any
// file's content, name or presence.
func Hash(files map[string][]byte) string {
	h := sha256.New()
	for _, p := range sortedPaths(files) {
		sum := sha256.Sum256(files[p])
		fmt.Fprintf(h, "%x  %s\n", sum, p)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
