package graph

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Detail adds what is behind each neutral resource, read from a compiled
// root module in HCL (its files keyed by path, as the compiler returns
// them): the cloud resources each module call creates, and the implicit
// modules with edges to the resources that use them.
func (g *Graph) Detail(files map[string][]byte) error {
	// Module calls are in main.tf, or spread over resources-<hex>.tf in a
	// large blueprint: every root .tf file is read, in name order.
	var roots []string
	for name := range files {
		if !strings.Contains(name, "/") && strings.HasSuffix(name, ".tf") {
			roots = append(roots, name)
		}
	}
	sort.Strings(roots)
	if len(roots) == 0 {
		return fmt.Errorf("the compiled root module has no .tf files")
	}
	var blocks []*hclsyntax.Block
	for _, name := range roots {
		f, diags := hclsyntax.ParseConfig(files[name], name, hcl.InitialPos)
		if diags.HasErrors() {
			return fmt.Errorf("cannot read the compiled root module: %s", diags.Error())
		}
		blocks = append(blocks, f.Body.(*hclsyntax.Body).Blocks...)
	}
	var implicit []*Node
	implicitCloud := map[string]blueprints.Cloud{}
	var uses []*Edge
	for _, b := range blocks {
		if b.Type != "module" || len(b.Labels) != 1 {
			continue
		}
		call, err := readCall(b)
		if err != nil {
			return err
		}
		rs, err := moduleResources(files, call)
		if err != nil {
			return err
		}
		n := g.node(strings.ReplaceAll(call.name, "_", "-"))
		if n == nil || n.Module != "module."+call.name {
			// A module the blueprint does not name: "./modules/aws/network".
			parts := strings.Split(strings.TrimPrefix(call.source, "./"), "/")
			if len(parts) != 3 || parts[0] != "modules" {
				return fmt.Errorf("module %s: unexpected source %q", call.name, call.source)
			}
			n = &Node{Name: call.name, Kind: parts[2], Implicit: true, Module: "module." + call.name}
			implicit = append(implicit, n)
			implicitCloud[n.Name] = blueprints.Cloud(parts[1])
		}
		n.Resources = rs
		for _, dep := range call.uses {
			uses = append(uses, &Edge{From: dep, To: n.Name, Kind: Uses})
		}
	}
	// Edges from implicit modules only: the neutral wiring is drawn already.
	byName := map[string]*Node{}
	for _, n := range implicit {
		byName[n.Name] = n
	}
	var edges []*Edge
	for _, e := range g.Edges {
		edges = append(edges, &e)
	}
	for _, e := range uses {
		if m := byName[e.From]; m != nil {
			e.Labels = []string{m.Kind}
			edges = append(edges, e)
		}
	}
	g.Edges = sortEdges(edges)
	sort.Slice(implicit, func(i, j int) bool { return implicit[i].Name < implicit[j].Name })
	for _, n := range implicit {
		grp := g.group(implicitCloud[n.Name])
		grp.Nodes = append(grp.Nodes, n)
	}
	for i := range g.Groups {
		nodes := g.Groups[i].Nodes
		sort.SliceStable(nodes, func(a, b int) bool {
			if nodes[a].Implicit != nodes[b].Implicit {
				return nodes[a].Implicit
			}
			return nodes[a].Name < nodes[b].Name
		})
	}
	g.Detailed = true
	return nil
}

// group returns the group of a cloud, adding it in Clouds order.
func (g *Graph) group(c blueprints.Cloud) *Group {
	for i := range g.Groups {
		if g.Groups[i].Cloud == c {
			return &g.Groups[i]
		}
	}
	g.Groups = append(g.Groups, Group{Cloud: c})
	order := map[blueprints.Cloud]int{}
	for i, cl := range blueprints.Clouds {
		order[cl] = i
	}
	sort.SliceStable(g.Groups, func(i, j int) bool { return order[g.Groups[i].Cloud] < order[g.Groups[j].Cloud] })
	return g.group(c)
}

// call is one module call of the root module.
type call struct {
	name, source string
	// args are the call's arguments, evaluated as far as the root module
	// allows (other modules' outputs and root variables are unknown).
	args map[string]cty.Value
	// uses are the modules the arguments refer to, sorted.
	uses []string
}

func readCall(b *hclsyntax.Block) (*call, error) {
	c := &call{name: b.Labels[0], args: map[string]cty.Value{}}
	src, ok := b.Body.Attributes["source"]
	if !ok {
		return nil, fmt.Errorf("module %s has no source", c.name)
	}
	v, diags := src.Expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String {
		return nil, fmt.Errorf("module %s: source is not a literal string", c.name)
	}
	c.source = v.AsString()
	root := &hcl.EvalContext{
		Variables: map[string]cty.Value{"module": cty.DynamicVal, "var": cty.DynamicVal, "local": cty.DynamicVal},
		Functions: functions(),
	}
	seen := map[string]bool{}
	for name, a := range b.Body.Attributes {
		switch name {
		case "source", "version", "providers", "depends_on", "count", "for_each":
			continue
		}
		for _, t := range a.Expr.Variables() {
			if t.RootName() == "module" && len(t) > 1 {
				if step, ok := t[1].(hcl.TraverseAttr); ok && !seen[step.Name] {
					seen[step.Name] = true
					c.uses = append(c.uses, step.Name)
				}
			}
		}
		v, diags := a.Expr.Value(root)
		if diags.HasErrors() {
			v = cty.DynamicVal
		}
		c.args[name] = v
	}
	sort.Strings(c.uses)
	return c, nil
}

// moduleResources lists the resource instances a module call creates.
func moduleResources(files map[string][]byte, c *call) ([]string, error) {
	dir := path.Clean(strings.TrimPrefix(c.source, "./"))
	var names []string
	for name := range files {
		if path.Dir(name) == dir && path.Ext(name) == ".tf" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("module %s: no files under %s in the compiled output", c.name, dir)
	}
	sort.Strings(names)
	m := &module{vars: map[string]cty.Value{}, locals: map[string]cty.Value{}}
	var localExprs []*hclsyntax.Attribute
	for _, name := range names {
		f, diags := hclsyntax.ParseConfig(files[name], name, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, fmt.Errorf("cannot read module %s: %s", dir, diags.Error())
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			switch {
			case b.Type == "variable" && len(b.Labels) == 1:
				m.vars[b.Labels[0]] = variableValue(b, c.args)
			case b.Type == "locals":
				for _, a := range sortedAttrs(b.Body) {
					localExprs = append(localExprs, a)
				}
			case b.Type == "resource" && len(b.Labels) == 2:
				m.resources = append(m.resources, &resource{typ: b.Labels[0], name: b.Labels[1], body: b.Body})
			}
		}
	}
	m.evalLocals(localExprs)
	m.evalResources()
	var out []string
	for _, r := range m.resources {
		out = append(out, r.instances()...)
	}
	return out, nil
}

// variableValue is what a module variable holds: the call's argument or
// the default, converted to the variable's type (optional attributes get
// their defaults) when that succeeds.
func variableValue(b *hclsyntax.Block, args map[string]cty.Value) cty.Value {
	v, given := args[b.Labels[0]]
	if !given {
		d, ok := b.Body.Attributes["default"]
		if !ok {
			return cty.DynamicVal
		}
		var diags hcl.Diagnostics
		if v, diags = d.Expr.Value(nil); diags.HasErrors() {
			return cty.DynamicVal
		}
	}
	ta, ok := b.Body.Attributes["type"]
	if !ok || v.IsNull() && !given {
		return v
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(ta.Expr)
	if diags.HasErrors() {
		return v
	}
	if defaults != nil {
		v = defaults.Apply(v)
	}
	if cv, err := convert.Convert(v, ty); err == nil {
		return cv
	}
	return v
}

func sortedAttrs(b *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// module is one module being evaluated far enough to know its instances.
type module struct {
	vars, locals map[string]cty.Value
	resources    []*resource
}

type resource struct {
	typ, name string
	body      *hclsyntax.Body
	// done is set once the instances are known (or known to be unknowable).
	done bool
	// keys are the instance keys: nil for a single instance, "[0]",
	// "[\"zone-1\"]"..., or "[?]" when they are known only at apply.
	keys  []string
	value cty.Value
}

func (r *resource) instances() []string {
	if r.keys == nil {
		return []string{r.typ + "." + r.name}
	}
	out := make([]string, len(r.keys))
	for i, k := range r.keys {
		out[i] = r.typ + "." + r.name + k
	}
	return out
}

func (m *module) ctx() *hcl.EvalContext {
	vars := map[string]cty.Value{
		"var":    cty.ObjectVal(m.vars),
		"local":  cty.ObjectVal(m.locals),
		"data":   cty.DynamicVal,
		"module": cty.DynamicVal,
		"path":   cty.DynamicVal,
		"each":   cty.DynamicVal,
		"count":  cty.DynamicVal,
	}
	byType := map[string]map[string]cty.Value{}
	for _, r := range m.resources {
		if !r.done {
			continue
		}
		if byType[r.typ] == nil {
			byType[r.typ] = map[string]cty.Value{}
		}
		byType[r.typ][r.name] = r.value
	}
	for t, rs := range byType {
		vars[t] = cty.ObjectVal(rs)
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions()}
}

// evalLocals evaluates the locals in rounds, since one may use another;
// those that cannot be evaluated are unknown.
func (m *module) evalLocals(exprs []*hclsyntax.Attribute) {
	for progress := true; progress && len(exprs) > 0; {
		progress = false
		var left []*hclsyntax.Attribute
		for _, a := range exprs {
			v, diags := a.Expr.Value(m.ctx())
			if diags.HasErrors() {
				left = append(left, a)
				continue
			}
			m.locals[a.Name] = v
			progress = true
		}
		exprs = left
	}
	for _, a := range exprs {
		m.locals[a.Name] = cty.DynamicVal
	}
}

// evalResources finds each resource's instances from count or for_each,
// in rounds, since for_each may range over another resource.
func (m *module) evalResources() {
	for progress := true; progress; {
		progress = false
		for _, r := range m.resources {
			if !r.done && r.eval(m.ctx()) {
				progress = true
			}
		}
	}
	for _, r := range m.resources {
		if !r.done {
			r.done, r.keys, r.value = true, []string{"[?]"}, cty.DynamicVal
		}
	}
}

// eval sets the resource's instances and reports whether they could be
// worked out (false when the expression refers to a resource not done yet).
func (r *resource) eval(ctx *hcl.EvalContext) bool {
	if a, ok := r.body.Attributes["count"]; ok {
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			return false
		}
		r.done = true
		n, ok := knownInt(v)
		if !ok {
			r.keys, r.value = []string{"[?]"}, cty.DynamicVal
			return true
		}
		r.keys = []string{}
		vals := make([]cty.Value, n)
		for i := range n {
			r.keys = append(r.keys, fmt.Sprintf("[%d]", i))
			vals[i] = cty.DynamicVal
		}
		r.value = cty.TupleVal(vals)
		if n == 0 {
			r.value = cty.EmptyTupleVal
		}
		return true
	}
	if a, ok := r.body.Attributes["for_each"]; ok {
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			return false
		}
		r.done = true
		keys, ok := knownKeys(v)
		if !ok {
			r.keys, r.value = []string{"[?]"}, cty.DynamicVal
			return true
		}
		r.keys = []string{}
		obj := map[string]cty.Value{}
		for _, k := range keys {
			r.keys = append(r.keys, fmt.Sprintf("[%q]", k))
			obj[k] = cty.DynamicVal
		}
		r.value = cty.ObjectVal(obj)
		return true
	}
	r.done, r.value = true, cty.DynamicVal
	return true
}

func knownInt(v cty.Value) (int, bool) {
	if !v.IsWhollyKnown() || v.IsNull() {
		return 0, false
	}
	v, err := convert.Convert(v, cty.Number)
	if err != nil {
		return 0, false
	}
	i, acc := v.AsBigFloat().Int64()
	if acc != 0 || i < 0 {
		return 0, false
	}
	return int(i), true
}

// knownKeys returns the for_each keys of a map, object or set of strings,
// sorted as terraform orders instances.
func knownKeys(v cty.Value) ([]string, bool) {
	if !v.IsKnown() || v.IsNull() {
		return nil, false
	}
	ty := v.Type()
	var keys []string
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			keys = append(keys, k.AsString())
		}
	case ty.IsSetType():
		if !v.IsWhollyKnown() {
			return nil, false
		}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.Type() != cty.String {
				return nil, false
			}
			keys = append(keys, e.AsString())
		}
	default:
		return nil, false
	}
	sort.Strings(keys)
	return keys, true
}

// functions are the Terraform functions module expressions that decide
// instances may use; any other makes the value unknown.
var functions = sync.OnceValue(func() map[string]function.Function {
	return map[string]function.Function{
		"can": tryfunc.CanFunc, "try": tryfunc.TryFunc,
		"alltrue": alltrue, "coalesce": stdlib.CoalesceFunc, "concat": stdlib.ConcatFunc,
		"contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc, "flatten": stdlib.FlattenFunc,
		"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc,
		"lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc,
		"min": stdlib.MinFunc, "range": stdlib.RangeFunc, "regex": stdlib.RegexFunc,
		"replace": stdlib.ReplaceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc,
		"startswith": startswith, "substr": stdlib.SubstrFunc, "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber": stdlib.MakeToFunc(cty.Number), "toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring": stdlib.MakeToFunc(cty.String), "trim": stdlib.TrimFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc, "floor": stdlib.FloorFunc, "ceil": stdlib.CeilFunc,
	}
})

var alltrue = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		result := cty.True
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Bool), nil
			}
			if v.IsNull() || v.False() {
				return cty.False, nil
			}
		}
		return result, nil
	},
})

var startswith = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.HasPrefix(args[0].AsString(), args[1].AsString())), nil
	},
})
