package providers

import (
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/zclconf/go-cty/cty"
)

// ModuleSource is the relative path of an embedded module inside the output
// directory: "./modules/<cloud>/<kind>".
func ModuleSource(c blueprints.Cloud, kind string) string {
	if s, ok := moduleSources[[2]string{string(c), kind}]; ok {
		return s
	}
	return "./modules/" + string(c) + "/" + kind
}

// moduleSources holds the source of every kind's module on every cloud,
// made once rather than for each module call.
var moduleSources = func() map[[2]string]string {
	m := map[[2]string]string{}
	for _, c := range blueprints.Clouds {
		for _, k := range blueprints.Kinds {
			m[[2]string{string(c), string(k)}] = "./modules/" + string(c) + "/" + string(k)
		}
	}
	return m
}()

// CloudName is the name a resource gets in the cloud: "<blueprint>-<resource>",
// with the name the resource was created under (a renamed resource keeps
// its cloud objects). Modules shorten or reshape it where a cloud's naming
// rules demand.
func CloudName(bp *blueprints.Blueprint, r *blueprints.Resource) string {
	return bp.Name + "-" + r.OriginalName()
}

// ModuleName is the name a resource's module is given on cloud c: its
// cloud name, or the name an override for that cloud sets (an imported
// object that keeps its own name).
func ModuleName(bp *blueprints.Blueprint, r *blueprints.Resource, c blueprints.Cloud) string {
	if s, ok := r.Overrides[c]["name"].(string); ok {
		return s
	}
	return CloudName(bp, r)
}

// ModuleCall starts the module block of a resource with the arguments every
// module takes: source, name and labels. The caller adds the rest, then
// calls ApplyOverrides last.
func ModuleCall(bp *blueprints.Blueprint, c blueprints.Cloud, r *blueprints.Resource) *tfir.Block {
	b := tfir.NewBlock("module", r.ID())
	// Room for the arguments lowering adds, so that the block's items are
	// not copied again and again as it grows.
	b.Items = make([]tfir.Item, 0, 24)
	b.Set("source", tfir.String(ModuleSource(c, string(r.Kind))))
	b.Set("name", tfir.String(CloudName(bp, r)))
	b.Set("labels", LabelsExpr(bp, r))
	return b
}

// NetworkID is the module identifier of a cloud's implicit network.
func NetworkID(c blueprints.Cloud) string { return string(c) + "_network" }

// NetworkCall starts the module block of a cloud's implicit shared network.
func NetworkCall(bp *blueprints.Blueprint, c blueprints.Cloud) *tfir.Block {
	b := tfir.NewBlock("module", NetworkID(c))
	b.Set("source", tfir.String(ModuleSource(c, "network")))
	b.Set("name", tfir.String(bp.Name))
	b.Set("labels", LabelsExpr(bp, nil))
	return b
}

// NetworkOutput references an output of the cloud's implicit network module.
func NetworkOutput(c blueprints.Cloud, output string) tfir.Expr {
	return tfir.Ref("module", NetworkID(c), output)
}

// Output references an output of another resource's module.
func Output(r *blueprints.Resource, output string) tfir.Expr {
	return tfir.Ref("module", r.ID(), output)
}

// NeedsNetwork reports whether a cloud's resources need the implicit network:
// clusters and databases always, functions when they refer to a database on
// the same cloud (one on another cloud is out of private reach anyway).
func NeedsNetwork(bp *blueprints.Blueprint, rs []*blueprints.Resource) bool {
	for _, r := range rs {
		switch r.Kind {
		case blueprints.KindCluster, blueprints.KindDatabase:
			return true
		case blueprints.KindFunction:
			for _, db := range DatabasesReferenced(bp, r) {
				if db.Cloud == r.Cloud {
					return true
				}
			}
		}
	}
	return false
}

// DatabasesReferenced returns the databases a function's environment refers
// to, in name order; the function needs network reachability to each.
func DatabasesReferenced(bp *blueprints.Blueprint, r *blueprints.Resource) []*blueprints.Resource {
	seen := map[string]bool{}
	var out []*blueprints.Resource
	for _, e := range r.Function.Env {
		for _, ref := range e.Value.Refs() {
			t := bp.Resource(ref.Resource)
			if t != nil && t.Kind == blueprints.KindDatabase && !seen[t.Name] {
				seen[t.Name] = true
				out = append(out, t)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LabelsExpr is the labels map every module receives: the blueprint's labels
// plus skyform's own, which say where a cloud resource comes from.
func LabelsExpr(bp *blueprints.Blueprint, r *blueprints.Resource) tfir.Expr {
	o := make(tfir.Object, 0, len(bp.Labels)+2)
	for _, l := range bp.Labels {
		o = append(o, tfir.ObjectAttr{Key: l.Key, Value: tfir.String(l.Value)})
	}
	o = append(o, tfir.ObjectAttr{Key: "skyform-blueprint", Value: tfir.String(bp.Name)})
	if r != nil {
		o = append(o, tfir.ObjectAttr{Key: "skyform-resource", Value: tfir.String(r.OriginalName())})
	}
	return o
}

// TemplateExpr turns a blueprint string that may hold references into an
// expression: a plain literal when it has none, otherwise a template whose
// references point at the other resources' module outputs.
func TemplateExpr(t blueprints.Template) tfir.Expr {
	if len(t.Refs()) == 0 {
		s := ""
		for _, p := range t {
			s += p.Text
		}
		return tfir.String(s)
	}
	if len(t) == 1 {
		return RefExpr(t[0].Ref)
	}
	out := make(tfir.Template, 0, len(t))
	for _, p := range t {
		if p.Ref != nil {
			out = append(out, RefExpr(p.Ref))
		} else {
			out = append(out, tfir.String(p.Text))
		}
	}
	return out
}

// RefExpr is the Terraform expression behind a blueprint reference: every
// module of a kind outputs that kind's attributes under the same names.
func RefExpr(ref *blueprints.Ref) tfir.Expr {
	return tfir.Ref("module", (&blueprints.Resource{Name: ref.Resource}).ID(), ref.Attribute)
}

// EnvExpr is a function's environment as an object of templates.
func EnvExpr(env []blueprints.EnvVar) tfir.Expr {
	o := make(tfir.Object, 0, len(env))
	for _, e := range env {
		o = append(o, tfir.ObjectAttr{Key: e.Name, Value: TemplateExpr(e.Value)})
	}
	return o
}

// Region resolves the blueprint's region for cloud c, warning when the
// blueprint named another cloud's region and its neutral twin is used.
func Region(bp *blueprints.Blueprint, c blueprints.Cloud) (string, diag.Diagnostics) {
	var ds diag.Diagnostics
	name, exact, ok := bp.Region.For(c)
	if !ok {
		return "", ds.Errorf(bp.Region.Range, "region", "region has no equivalent on "+string(c),
			"%q is a %s region that is not in the neutral region table, so it cannot be placed on %s; use a neutral region (e.g. europe-west) to move between clouds",
			bp.Region.Name(), bp.Region.NativeCloud, c)
	}
	if !exact {
		ds = ds.Warnf(bp.Region.Range, "region", "region approximated on "+string(c),
			"%q is a %s region; on %s its neutral twin %q (%s) is used", bp.Region.Name(), bp.Region.NativeCloud, c, name, bp.Region.Neutral)
	}
	return name, ds
}

// Approximated appends a warning saying how a cloud approximates a field.
func Approximated(ds diag.Diagnostics, c blueprints.Cloud, r *blueprints.Resource, field, what, howFormat string, args ...any) diag.Diagnostics {
	return ds.Warnf(r.At(field), r.Path(field), summary(what, " approximated on ", c), howFormat, args...)
}

// summaries holds the summaries Approximated and Unsupported have made:
// a large blueprint repeats a few of them tens of thousands of times.
var summaries struct {
	sync.Mutex
	m map[[3]string]string
}

func summary(what, verb string, c blueprints.Cloud) string {
	key := [3]string{what, verb, string(c)}
	summaries.Lock()
	defer summaries.Unlock()
	s, ok := summaries.m[key]
	if !ok {
		if summaries.m == nil {
			summaries.m = map[[3]string]string{}
		}
		s = what + verb + string(c)
		summaries.m[key] = s
	}
	return s
}

// TriggerField is the field path of a function's i-th trigger.
func TriggerField(i int) string {
	if i < len(triggerFields) {
		return triggerFields[i]
	}
	return "triggers[" + strconv.Itoa(i) + "]"
}

var triggerFields = func() (t [8]string) {
	for i := range t {
		t[i] = "triggers[" + strconv.Itoa(i) + "]"
	}
	return t
}()

// Unsupported appends an error saying a cloud cannot express a field at all.
func Unsupported(ds diag.Diagnostics, c blueprints.Cloud, r *blueprints.Resource, field, what, whyFormat string, args ...any) diag.Diagnostics {
	return ds.Errorf(r.At(field), r.Path(field), summary(what, " is not supported on ", c), whyFormat, args...)
}

// ApplyOverrides sets the resource's override attributes for cloud c on its
// module block, replacing an argument lowering already set. The compiler
// has checked the keys against the module's variables.
func ApplyOverrides(b *tfir.Block, r *blueprints.Resource, c blueprints.Cloud) {
	ov := r.Overrides[c]
	keys := make([]string, 0, len(ov))
	for k := range ov {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := ValueExpr(ov[k])
		replaced := false
		for i, it := range b.Items {
			if it.Attr != nil && it.Attr.Name == k {
				b.Items[i].Attr = &tfir.Attr{Name: k, Value: v}
				replaced = true
			}
		}
		if !replaced {
			b.Set(k, v)
		}
	}
}

// Overridden reports whether the resource overrides a variable of its
// module on cloud c; lowering then skips the warning about that value, as
// the team chose it.
func Overridden(r *blueprints.Resource, c blueprints.Cloud, variable string) bool {
	_, ok := r.Overrides[c][variable]
	return ok
}

// ValueExpr turns a decoded YAML value (string, int, float64, bool, list,
// map) into a literal expression; strings stay data.
func ValueExpr(v any) tfir.Expr {
	switch v := v.(type) {
	case nil:
		return tfir.Literal{V: cty.NullVal(cty.DynamicPseudoType)}
	case string:
		return tfir.String(v)
	case bool:
		return tfir.Bool(v)
	case int:
		return tfir.Number(int64(v))
	case int64:
		return tfir.Number(v)
	case float64:
		return tfir.Literal{V: cty.NumberFloatVal(v)}
	case []any:
		l := make(tfir.List, len(v))
		for i, e := range v {
			l[i] = ValueExpr(e)
		}
		return l
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := make(tfir.Object, len(keys))
		for i, k := range keys {
			o[i] = tfir.ObjectAttr{Key: k, Value: ValueExpr(v[k])}
		}
		return o
	}
	panic(fmt.Sprintf("providers: unsupported override value %T", v))
}
