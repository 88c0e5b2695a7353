package compiler

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/modules"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// CustomModuleDir is where a local substitute module is copied in the
// output directory: modules/custom/<cloud>/<kind>, beside the embedded ones,
// so the output stays self-contained wherever it is written.
func CustomModuleDir(c blueprints.Cloud, k blueprints.Kind) string {
	return "modules/custom/" + string(c) + "/" + string(k)
}

// loadModules reads the blueprint's module config, if it names one.
func loadModules(bp *blueprints.Blueprint) (*modules.Config, diag.Diagnostics) {
	if bp.Modules == "" {
		return nil, nil
	}
	cfg, ds, err := modules.LoadConfig(bp.Modules)
	if err != nil {
		rng := bp.ModulesRange
		if rng.IsZero() {
			rng = diag.Range{File: bp.File, Start: diag.Pos{Line: 1, Column: 1}}
		}
		return nil, ds.Errorf(rng, "modules", "cannot read the module config", "%v", err)
	}
	return cfg, ds
}

// substitute points the module call of every resource whose kind × cloud
// the config maps at the team's module, and checks that module keeps
// skyform's contract: every variable skyform passes exists with a type the
// passed value converts to, no variable skyform does not pass is required,
// and every output skyform reads (the kind's neutral attributes and what
// other modules and the root outputs refer to) exists. A broken contract
// is an error at the mapping, with the module's own line as related
// position. A remote module cannot be read before terraform init, so its
// contract is not checked here, and a warning says so.
func substitute(cfg *modules.Config, bp *blueprints.Blueprint, calls, outputs []*tfir.Block, res *Result) diag.Diagnostics {
	if cfg == nil || len(cfg.Modules) == 0 {
		return nil
	}
	var ds diag.Diagnostics
	byID := map[string]*blueprints.Resource{}
	for _, r := range bp.Resources {
		byID[r.ID()] = r
	}
	read := referencedOutputs(append(append([]*tfir.Block{}, calls...), outputs...))
	type check struct {
		sub       *modules.Substitute
		resources []string
		passed    map[string]bool
		wanted    map[string]string // output → why
	}
	checks := map[*modules.Substitute]*check{}
	var order []*modules.Substitute
	for _, m := range calls {
		r := byID[m.Labels[0]]
		if r == nil {
			continue
		}
		sub := cfg.Lookup(r.Kind, r.Cloud)
		if sub == nil {
			continue
		}
		ch := checks[sub]
		if ch == nil {
			ch = &check{sub: sub, passed: map[string]bool{}, wanted: map[string]string{}}
			checks[sub] = ch
			order = append(order, sub)
		}
		ch.resources = append(ch.resources, r.Name)
		for _, it := range m.Items {
			if it.Attr != nil && it.Attr.Name != "source" {
				ch.passed[it.Attr.Name] = true
			}
		}
		for _, a := range blueprints.Attributes[r.Kind] {
			ch.wanted[a.Name] = fmt.Sprintf("every %s exposes %s for ${%s.%s} references", r.Kind, a.Name, r.Name, a.Name)
		}
		for out, by := range read[r.ID()] {
			if _, ok := ch.wanted[out]; !ok {
				ch.wanted[out] = fmt.Sprintf("%s reads it from %s", by, r.Name)
			}
		}
		pointAt(m, sub)
	}
	for _, sub := range order {
		ch := checks[sub]
		what := fmt.Sprintf("the %s module on %s", sub.Kind, sub.Cloud)
		if sub.Remote() {
			ds = ds.Warnf(sub.Range, "modules."+string(sub.Kind)+"."+string(sub.Cloud), "contract of "+what+" not checked",
				"%s is fetched by terraform init, so skyform cannot read its variables and outputs before terraform runs: a missing output or variable shows up as a terraform error at init, validate or plan, not as a skyform diagnostic", sub.Source)
			continue
		}
		for name, data := range sub.Files {
			res.Files[path.Join(CustomModuleDir(sub.Cloud, sub.Kind), name)] = data
		}
		embedded, err := modules.Describe(string(sub.Cloud) + "/" + string(sub.Kind))
		if err != nil {
			ds = ds.Errorf(sub.Range, "modules", "cannot read the embedded module", "%v", err)
			continue
		}
		users := strings.Join(ch.resources, ", ")
		for _, name := range sortedSet(ch.passed) {
			v := sub.Interface.Variable(name)
			from := cty.DynamicPseudoType
			fromExpr := "any"
			if ev := embedded.Variable(name); ev != nil {
				from, fromExpr = ev.Type, ev.TypeExpr
			}
			switch {
			case v == nil:
				ds = ds.Errorf(sub.Range, "modules."+string(sub.Kind)+"."+string(sub.Cloud), fmt.Sprintf("%s has no variable %q", what, name),
					"skyform passes %s (%s) to the module of %s; %s must declare variable %q", name, fromExpr, users, sub.Source, name)
			case !convertible(from, v.Type):
				d := &diag.Diagnostic{Severity: diag.Error, Range: sub.Range, Path: "modules." + string(sub.Kind) + "." + string(sub.Cloud),
					Summary: fmt.Sprintf("variable %q of %s has an incompatible type", name, what),
					Detail:  fmt.Sprintf("skyform passes %s as %s, which does not convert to %s", name, fromExpr, v.TypeExpr)}
				ds = append(ds, d.With(modules.HCLRange(v.Range), "variable %q is declared here with type %s", name, v.TypeExpr))
			}
		}
		for _, v := range sub.Interface.Variables {
			if v.Required && !ch.passed[v.Name] {
				d := &diag.Diagnostic{Severity: diag.Error, Range: sub.Range, Path: "modules." + string(sub.Kind) + "." + string(sub.Cloud),
					Summary: fmt.Sprintf("%s requires variable %q, which skyform does not pass", what, v.Name),
					Detail:  fmt.Sprintf("give it a default, or set it per resource with overrides: {%s: {%s: ...}} on %s", sub.Cloud, v.Name, users)}
				ds = append(ds, d.With(modules.HCLRange(v.Range), "variable %q is declared here without a default", v.Name))
			}
		}
		wanted := make([]string, 0, len(ch.wanted))
		for out := range ch.wanted {
			wanted = append(wanted, out)
		}
		sort.Strings(wanted)
		for _, out := range wanted {
			if sub.Interface.Output(out) != nil {
				continue
			}
			d := &diag.Diagnostic{Severity: diag.Error, Range: sub.Range, Path: "modules." + string(sub.Kind) + "." + string(sub.Cloud),
				Summary: fmt.Sprintf("%s has no output %q", what, out),
				Detail:  fmt.Sprintf("%s; %s must declare output %q", ch.wanted[out], sub.Source, out)}
			if len(sub.Interface.Outputs) > 0 {
				first := sub.Interface.Outputs[0]
				d = d.With(modules.HCLRange(first.Range), "the module's outputs are declared here (%s)", strings.Join(sub.Interface.OutputNames(), ", "))
			}
			ds = append(ds, d)
		}
	}
	return ds
}

// pointAt sets a module call's source to the substitute (and the version
// of a registry module).
func pointAt(m *tfir.Block, sub *modules.Substitute) {
	src := "./" + CustomModuleDir(sub.Cloud, sub.Kind)
	if sub.Remote() {
		src = sub.Source
	}
	for i, it := range m.Items {
		if it.Attr != nil && it.Attr.Name == "source" {
			m.Items[i].Attr = &tfir.Attr{Name: "source", Value: tfir.String(src)}
			if sub.Version != "" {
				rest := append([]tfir.Item{{Attr: &tfir.Attr{Name: "version", Value: tfir.String(sub.Version)}}}, m.Items[i+1:]...)
				m.Items = append(m.Items[:i+1], rest...)
			}
			return
		}
	}
}

// convertible reports whether a value of type from is accepted by a
// variable of type to, as terraform converts module arguments.
func convertible(from, to cty.Type) bool {
	if to == cty.DynamicPseudoType || from == cty.DynamicPseudoType || from.Equals(to) {
		return true
	}
	return convert.GetConversion(from, to) != nil
}

// referencedOutputs lists, per module identifier, the outputs other blocks
// read from it and which block reads each.
func referencedOutputs(blocks []*tfir.Block) map[string]map[string]string {
	out := map[string]map[string]string{}
	var expr func(e tfir.Expr, by string)
	expr = func(e tfir.Expr, by string) {
		switch e := e.(type) {
		case tfir.Traversal:
			if len(e) >= 3 && e[0] == "module" {
				if out[e[1]] == nil {
					out[e[1]] = map[string]string{}
				}
				if _, ok := out[e[1]][e[2]]; !ok {
					out[e[1]][e[2]] = by
				}
			}
		case tfir.Template:
			for _, p := range e {
				expr(p, by)
			}
		case tfir.Object:
			for _, a := range e {
				expr(a.Value, by)
			}
		case tfir.List:
			for _, v := range e {
				expr(v, by)
			}
		case tfir.Call:
			for _, a := range e.Args {
				expr(a, by)
			}
		}
	}
	var body func(b *tfir.Body, by string)
	body = func(b *tfir.Body, by string) {
		for _, it := range b.Items {
			switch {
			case it.Attr != nil:
				expr(it.Attr.Value, by)
			case it.Block != nil:
				body(&it.Block.Body, by)
			}
		}
	}
	for _, b := range blocks {
		by := b.Type
		if len(b.Labels) > 0 {
			by += " " + b.Labels[0]
		}
		body(&b.Body, by)
	}
	return out
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
