package cost

import (
	"sort"

	"github.com/skyform/skyform/internal/tfir"
	"github.com/zclconf/go-cty/cty"
)

// args reads the literal arguments of a module call (or of an object
// inside one). Arguments that are references or absent give the default:
// the module's own default, which the caller names.
type args map[string]tfir.Expr

func blockArgs(b *tfir.Block) args {
	a := args{}
	for _, it := range b.Items {
		if it.Attr != nil {
			a[it.Attr.Name] = it.Attr.Value
		}
	}
	return a
}

func (a args) lit(name string) (cty.Value, bool) {
	l, ok := tfir.LiteralOf(a[name])
	if !ok || l.V.IsNull() || !l.V.IsKnown() {
		return cty.NilVal, false
	}
	return l.V, true
}

func (a args) str(name, def string) string {
	if v, ok := a.lit(name); ok && v.Type() == cty.String {
		return v.AsString()
	}
	return def
}

func (a args) num(name string, def float64) float64 {
	if v, ok := a.lit(name); ok && v.Type() == cty.Number {
		f, _ := v.AsBigFloat().Float64()
		return f
	}
	return def
}

func (a args) boolean(name string, def bool) bool {
	if v, ok := a.lit(name); ok && v.Type() == cty.Bool {
		return v.True()
	}
	return def
}

// strs returns a list of literal strings.
func (a args) strs(name string) []string {
	var out []string
	switch l := a[name].(type) {
	case tfir.List:
		for _, e := range l {
			if v, ok := tfir.LiteralOf(e); ok && v.V.Type() == cty.String {
				out = append(out, v.V.AsString())
			}
		}
	case tfir.Literal:
		if l.V.CanIterateElements() {
			for it := l.V.ElementIterator(); it.Next(); {
				_, v := it.Element()
				if v.Type() == cty.String {
					out = append(out, v.AsString())
				}
			}
		}
	}
	return out
}

// obj returns an object argument as args.
func (a args) obj(name string) args {
	o, ok := a[name].(tfir.Object)
	if !ok {
		return nil
	}
	out := args{}
	for _, at := range o {
		out[at.Key] = at.Value
	}
	return out
}

// keys returns an object's keys, sorted.
func (a args) keys() []string {
	out := make([]string, 0, len(a))
	for k := range a {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// hasNodes reports whether the usage gives a pool's average node count.
func hasNodes(u usage, pool string) bool {
	_, ok := u.nodes[pool]
	return ok
}
