package offline

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// planBlock returns the planned new state of one object of block b from
// terraform's proposed new state. Terraform has already merged the config
// with the prior state (an optional+computed attribute left null in the
// config carries its prior value), so the only decision left is which
// computed attributes become unknown: those still null in an object that
// did not exist before. An object that existed keeps its values, as the real
// SDK-based providers do unless a resource customises its diff.
//
// prior is null when the whole object is new (a create, or a nested block
// element that has no counterpart in the prior state).
func planBlock(b *tfprotov5.SchemaBlock, prior, proposed tftypes.Value) (tftypes.Value, error) {
	if proposed.IsNull() || !proposed.IsKnown() {
		return proposed, nil
	}
	var attrs map[string]tftypes.Value
	if err := proposed.As(&attrs); err != nil {
		return proposed, err
	}
	var priorAttrs map[string]tftypes.Value
	if !prior.IsNull() && prior.IsKnown() {
		if err := prior.As(&priorAttrs); err != nil {
			return proposed, err
		}
	}
	out := make(map[string]tftypes.Value, len(attrs))
	for k, v := range attrs {
		out[k] = v
	}
	for _, a := range b.Attributes {
		v, ok := attrs[a.Name]
		if ok && a.WriteOnly {
			// Terraform refuses a write-only value in a plan or a state:
			// it goes to the provider and is never read back.
			out[a.Name] = tftypes.NewValue(a.Type, nil)
			continue
		}
		if ok && a.Computed && v.IsNull() && priorAttrs == nil {
			out[a.Name] = tftypes.NewValue(a.Type, tftypes.UnknownValue)
		}
	}
	for _, nb := range b.BlockTypes {
		v, ok := attrs[nb.TypeName]
		if !ok {
			continue
		}
		pv := tftypes.NewValue(v.Type(), nil)
		if p, ok := priorAttrs[nb.TypeName]; ok {
			pv = p
		}
		nv, err := planNested(nb, pv, v)
		if err != nil {
			return proposed, fmt.Errorf("%s: %w", nb.TypeName, err)
		}
		out[nb.TypeName] = nv
	}
	return tftypes.NewValue(proposed.Type(), out), nil
}

// planNested plans the value of one nested block type. Elements pair with
// prior elements the way terraform pairs them when it proposes: lists by
// index, maps by key, and sets by equality (terraform copies the prior
// computed values into a set element whose configured values did not
// change, so an unchanged element is equal to its prior self).
func planNested(nb *tfprotov5.SchemaNestedBlock, prior, proposed tftypes.Value) (tftypes.Value, error) {
	if proposed.IsNull() || !proposed.IsKnown() {
		return proposed, nil
	}
	elemNull := func() tftypes.Value { return tftypes.NewValue(nb.Block.ValueType(), nil) }
	switch nb.Nesting {
	case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
		return planBlock(nb.Block, prior, proposed)
	case tfprotov5.SchemaNestedBlockNestingModeList:
		var elems, priorElems []tftypes.Value
		if err := proposed.As(&elems); err != nil {
			return proposed, err
		}
		if !prior.IsNull() && prior.IsKnown() {
			if err := prior.As(&priorElems); err != nil {
				return proposed, err
			}
		}
		out := make([]tftypes.Value, len(elems))
		for i, e := range elems {
			p := elemNull()
			if i < len(priorElems) {
				p = priorElems[i]
			}
			nv, err := planBlock(nb.Block, p, e)
			if err != nil {
				return proposed, err
			}
			out[i] = nv
		}
		return tftypes.NewValue(proposed.Type(), out), nil
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		var elems, priorElems map[string]tftypes.Value
		if err := proposed.As(&elems); err != nil {
			return proposed, err
		}
		if !prior.IsNull() && prior.IsKnown() {
			if err := prior.As(&priorElems); err != nil {
				return proposed, err
			}
		}
		out := make(map[string]tftypes.Value, len(elems))
		for k, e := range elems {
			p, ok := priorElems[k]
			if !ok {
				p = elemNull()
			}
			nv, err := planBlock(nb.Block, p, e)
			if err != nil {
				return proposed, err
			}
			out[k] = nv
		}
		return tftypes.NewValue(proposed.Type(), out), nil
	case tfprotov5.SchemaNestedBlockNestingModeSet:
		var elems, priorElems []tftypes.Value
		if err := proposed.As(&elems); err != nil {
			return proposed, err
		}
		if !prior.IsNull() && prior.IsKnown() {
			if err := prior.As(&priorElems); err != nil {
				return proposed, err
			}
		}
		out := make([]tftypes.Value, len(elems))
		for i, e := range elems {
			p := elemNull()
			for _, pe := range priorElems {
				if pe.Equal(e) {
					p = pe
					break
				}
			}
			nv, err := planBlock(nb.Block, p, e)
			if err != nil {
				return proposed, err
			}
			out[i] = nv
		}
		return tftypes.NewValue(proposed.Type(), out), nil
	}
	return proposed, fmt.Errorf("unsupported nesting mode %s", nb.Nesting)
}

// replaceAttributes are the top-level arguments treated as forcing a new
// resource when their value changes. The schema JSON does not say which
// arguments the real providers force new, so this is a rule of thumb, not a
// copy of theirs: identity and placement (a name, where it lives, which
// project or resource group owns it) cannot change in place on any of the
// three clouds for the resources skyform emits. Everything else is planned
// as an in-place update.
var replaceAttributes = map[string]bool{
	"name":                true,
	"name_prefix":         true,
	"location":            true,
	"region":              true,
	"zone":                true,
	"project":             true,
	"resource_group_name": true,
}

// requiresReplace lists the paths of the configurable replaceAttributes
// whose planned value differs from the prior one. An unknown planned value
// counts as a change, as it does for the real providers. For an object
// imported offline (imported), a null prior value is one the import could
// not know, not one the object has, so it forces nothing.
func requiresReplace(b *tfprotov5.SchemaBlock, prior, planned tftypes.Value, imported bool) ([]*tftypes.AttributePath, error) {
	if prior.IsNull() || planned.IsNull() {
		return nil, nil
	}
	var pa, na map[string]tftypes.Value
	if err := prior.As(&pa); err != nil {
		return nil, err
	}
	if err := planned.As(&na); err != nil {
		return nil, err
	}
	var out []*tftypes.AttributePath
	for _, a := range b.Attributes { // sorted by name
		if !replaceAttributes[a.Name] || !(a.Required || a.Optional) {
			continue
		}
		if imported && pa[a.Name].IsNull() {
			continue
		}
		if !na[a.Name].Equal(pa[a.Name]) {
			out = append(out, tftypes.NewAttributePath().WithAttributeName(a.Name))
		}
	}
	return out, nil
}
