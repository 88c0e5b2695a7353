package offline

import (
	"embed"
	"fmt"
	"sort"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/skyform/skyform/internal/offline/schemaset"
)

// The committed schemas, written by `make schemas` (internal/offline/gen).
//
//go:embed schemas/*.json.gz
var schemaFS embed.FS

// Schema is what one offline provider serves: the real provider's
// configuration schema and the resource and data-source types skyform emits.
type Schema struct {
	Provider    *tfprotov5.Schema
	Resources   map[string]*tfprotov5.Schema
	DataSources map[string]*tfprotov5.Schema
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*Schema{}
)

// LoadSchema returns the committed schema of the provider named name
// (aws, google, azurerm), decoded once per process.
func LoadSchema(name string) (*Schema, error) {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[name]; ok {
		return s, nil
	}
	gz, err := schemaFS.ReadFile("schemas/" + name + ".json.gz")
	if err != nil {
		return nil, fmt.Errorf("no offline schema for provider %q: %w", name, err)
	}
	ps, err := schemaset.Decode(gz)
	if err != nil {
		return nil, fmt.Errorf("offline schema for provider %q: %w", name, err)
	}
	s := &Schema{
		Provider:    &tfprotov5.Schema{Block: &tfprotov5.SchemaBlock{}},
		Resources:   map[string]*tfprotov5.Schema{},
		DataSources: map[string]*tfprotov5.Schema{},
	}
	if ps.ConfigSchema != nil {
		if s.Provider, err = convertSchema(ps.ConfigSchema); err != nil {
			return nil, fmt.Errorf("offline schema for provider %q: %w", name, err)
		}
	}
	for _, set := range []struct {
		from map[string]*tfjson.Schema
		to   map[string]*tfprotov5.Schema
	}{{ps.ResourceSchemas, s.Resources}, {ps.DataSourceSchemas, s.DataSources}} {
		for typ, js := range set.from {
			if set.to[typ], err = convertSchema(js); err != nil {
				return nil, fmt.Errorf("offline schema for %s: %w", typ, err)
			}
		}
	}
	schemaCache[name] = s
	return s, nil
}

func convertSchema(in *tfjson.Schema) (*tfprotov5.Schema, error) {
	b, err := convertBlock(in.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.Schema{Version: int64(in.Version), Block: b}, nil
}

func convertBlock(in *tfjson.SchemaBlock) (*tfprotov5.SchemaBlock, error) {
	out := &tfprotov5.SchemaBlock{}
	if in == nil {
		return out, nil
	}
	out.Deprecated = in.Deprecated
	for name, a := range in.Attributes {
		if a.AttributeNestedType != nil {
			// Nested attribute types exist only in protocol 6; the real
			// providers speak 5, so their schemas never contain them.
			return nil, fmt.Errorf("attribute %s: nested attribute types are not supported by protocol 5", name)
		}
		typ, err := convertType(a.AttributeType)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out.Attributes = append(out.Attributes, &tfprotov5.SchemaAttribute{
			Name:       name,
			Type:       typ,
			Required:   a.Required,
			Optional:   a.Optional,
			Computed:   a.Computed,
			Sensitive:  a.Sensitive,
			Deprecated: a.Deprecated,
			WriteOnly:  a.WriteOnly,
		})
	}
	sort.Slice(out.Attributes, func(i, j int) bool { return out.Attributes[i].Name < out.Attributes[j].Name })
	for name, nb := range in.NestedBlocks {
		b, err := convertBlock(nb.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		mode, ok := nestingModes[nb.NestingMode]
		if !ok {
			return nil, fmt.Errorf("block %s: unknown nesting mode %q", name, nb.NestingMode)
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name,
			Block:    b,
			Nesting:  mode,
			MinItems: int64(nb.MinItems),
			MaxItems: int64(nb.MaxItems),
		})
	}
	sort.Slice(out.BlockTypes, func(i, j int) bool { return out.BlockTypes[i].TypeName < out.BlockTypes[j].TypeName })
	return out, nil
}

var nestingModes = map[tfjson.SchemaNestingMode]tfprotov5.SchemaNestedBlockNestingMode{
	tfjson.SchemaNestingModeSingle: tfprotov5.SchemaNestedBlockNestingModeSingle,
	tfjson.SchemaNestingModeGroup:  tfprotov5.SchemaNestedBlockNestingModeGroup,
	tfjson.SchemaNestingModeList:   tfprotov5.SchemaNestedBlockNestingModeList,
	tfjson.SchemaNestingModeSet:    tfprotov5.SchemaNestedBlockNestingModeSet,
	tfjson.SchemaNestingModeMap:    tfprotov5.SchemaNestedBlockNestingModeMap,
}

// convertType maps a cty type, as the schema JSON spells it, to the
// equivalent tftypes type.
func convertType(t cty.Type) (tftypes.Type, error) {
	switch {
	case t == cty.String:
		return tftypes.String, nil
	case t == cty.Number:
		return tftypes.Number, nil
	case t == cty.Bool:
		return tftypes.Bool, nil
	case t == cty.DynamicPseudoType:
		return tftypes.DynamicPseudoType, nil
	case t.IsListType(), t.IsSetType(), t.IsMapType():
		et, err := convertType(t.ElementType())
		if err != nil {
			return nil, err
		}
		switch {
		case t.IsListType():
			return tftypes.List{ElementType: et}, nil
		case t.IsSetType():
			return tftypes.Set{ElementType: et}, nil
		default:
			return tftypes.Map{ElementType: et}, nil
		}
	case t.IsObjectType():
		attrs := map[string]tftypes.Type{}
		var optional map[string]struct{}
		for name, at := range t.AttributeTypes() {
			ct, err := convertType(at)
			if err != nil {
				return nil, err
			}
			attrs[name] = ct
			if t.AttributeOptional(name) {
				if optional == nil {
					optional = map[string]struct{}{}
				}
				optional[name] = struct{}{}
			}
		}
		return tftypes.Object{AttributeTypes: attrs, OptionalAttributes: optional}, nil
	case t.IsTupleType():
		var elems []tftypes.Type
		for _, et := range t.TupleElementTypes() {
			ct, err := convertType(et)
			if err != nil {
				return nil, err
			}
			elems = append(elems, ct)
		}
		return tftypes.Tuple{ElementTypes: elems}, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t.FriendlyName())
}
