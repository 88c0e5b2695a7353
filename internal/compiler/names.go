package compiler

import (
	"fmt"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/modules"
	"github.com/skyform/skyform/providers"
)

// checkObjectNames refuses two resources whose cloud objects would take
// the same name on a cloud: a queue named "orders-dlq" beside a queue
// "orders" whose dead-letter queue is "<blueprint>-orders-dlq", or an
// override giving one resource another's name. terraform would plan both,
// and the second create would fail in the cloud or, worse, both modules
// would manage one object. Each error names both positions. A module a
// config substitutes names its objects its own way; only its resource's
// name is compared.
func checkObjectNames(bp *blueprints.Blueprint, clouds []blueprints.Cloud, mods *modules.Config) diag.Diagnostics {
	type claim struct {
		r  *blueprints.Resource
		on providers.ObjectName
	}
	var ds diag.Diagnostics
	for _, cl := range clouds {
		namer, _ := Lookup(cl).(providers.Namer)
		placed := bp.Placed(cl)
		seen := make(map[[2]string]claim, 2*len(placed)) // a resource has one or two named objects
		for _, r := range placed {
			var names []providers.ObjectName
			if namer != nil && mods.Lookup(r.Kind, cl) == nil {
				names = namer.ObjectNames(bp, r)
			}
			if names == nil {
				names = []providers.ObjectName{{Type: string(r.Kind), Name: providers.ModuleName(bp, r, cl), What: "the " + string(r.Kind)}}
			}
			for _, on := range names {
				key := [2]string{on.Type, on.Name}
				prev, dup := seen[key]
				if !dup {
					seen[key] = claim{r, on}
					continue
				}
				at, field := nameRange(r, on, cl)
				prevAt, _ := nameRange(prev.r, prev.on, cl)
				ds = ds.Errorf(at, r.Path(field),
					fmt.Sprintf("%s %s and %s %s both take the %s name %q on %s", r.Kind, r.Name, prev.r.Kind, prev.r.Name, on.Type, on.Name, cl),
					"%s of %s at %s already has that name; rename one of them or give one overrides.%s.name",
					prev.on.What, prev.r.Name, prevAt, cl)
			}
		}
	}
	return ds
}

// nameRange is where the blueprint asks for the object: the override that
// names the resource on that cloud, the field that adds the object (a
// dead-letter queue), or the resource's name; and that field's path below
// the resource ("" for the name).
func nameRange(r *blueprints.Resource, on providers.ObjectName, cl blueprints.Cloud) (diag.Range, string) {
	field := "overrides." + string(cl) + ".name"
	if _, ok := r.Overrides[cl]["name"]; !ok {
		if on.Field == "" {
			return r.Range, ""
		}
		field = on.Field
	}
	return r.At(field), field
}
