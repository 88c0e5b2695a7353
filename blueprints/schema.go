package blueprints

import (
	"encoding/json"
	"fmt"
	"strings"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of the blueprint format,
// built from the same field table the decoder uses, for editors and CI
// linters. Keys are sorted; the bytes are stable.
func JSONSchema() ([]byte, error) {
	resources := map[string]any{}
	var allOf []any
	for _, k := range Kinds {
		allOf = append(allOf, map[string]any{
			"if":   map[string]any{"properties": map[string]any{"kind": map[string]any{"const": string(k)}}, "required": []string{"kind"}},
			"then": fieldSchema(kindSpecs[k]),
		})
	}
	resources["type"] = "object"
	resources["required"] = []string{"kind"}
	resources["properties"] = map[string]any{"kind": map[string]any{"enum": stringsOf(Kinds)}}
	resources["allOf"] = allOf

	top := fieldSchema(topSpec)
	props := top["properties"].(map[string]any)
	regions := props["region"].(map[string]any)
	regions["enum"] = RegionNames()
	// Which backend fields are allowed depends on the type, as for kinds.
	var backendAllOf []any
	for _, t := range BackendTypes {
		backendAllOf = append(backendAllOf, map[string]any{
			"if":   map[string]any{"properties": map[string]any{"type": map[string]any{"const": string(t)}}, "required": []string{"type"}},
			"then": fieldSchema(backendSpecs[t]),
		})
	}
	props["backend"].(map[string]any)["allOf"] = backendAllOf
	res := props["resources"].(map[string]any)
	res["propertyNames"] = map[string]any{"pattern": namePattern, "maxLength": maxResourceName}
	res["additionalProperties"] = resources
	top["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	top["title"] = "skyform blueprint"
	top["description"] = "A provider-neutral description of clusters, functions, queues and databases, compiled by skyform into Terraform for AWS, GCP and Azure."
	data, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot encode the schema: %w", err)
	}
	return append(data, '\n'), nil
}

func fieldSchema(f *Field) map[string]any {
	s := map[string]any{}
	if f.Doc != "" {
		s["description"] = f.Doc
	}
	if f.Default != nil {
		s["default"] = f.Default
	}
	switch f.Type {
	case TString:
		s["type"] = "string"
		if len(f.Enum) > 0 {
			s["enum"] = f.Enum
		}
		if f.Pattern != "" {
			s["pattern"] = f.Pattern
		}
	case TInt:
		s["type"] = "integer"
		s["minimum"] = f.Min
		s["maximum"] = f.Max
	case TBool:
		s["type"] = "boolean"
	case TDuration:
		s["type"] = "string"
		s["pattern"] = `^([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$`
		s["description"] = strings.TrimSpace(fmt.Sprintf("%s (a duration such as 30s, 5m, 4d; from %s to %s)", f.Doc, FormatDuration(f.MinDur), FormatDuration(f.MaxDur)))
	case TObject:
		s["type"] = "object"
		props := map[string]any{}
		var req []string
		for i := range f.Fields {
			props[f.Fields[i].Name] = fieldSchema(&f.Fields[i])
			if f.Fields[i].Required {
				req = append(req, f.Fields[i].Name)
			}
		}
		if len(props) > 0 {
			s["properties"] = props
			s["additionalProperties"] = false
		}
		if len(req) > 0 {
			s["required"] = req
		}
	case TMap:
		s["type"] = "object"
		if f.KeyPattern != "" {
			s["propertyNames"] = map[string]any{"pattern": f.KeyPattern}
		}
		if f.Elem != nil {
			s["additionalProperties"] = fieldSchema(f.Elem)
		}
	case TList:
		s["type"] = "array"
		if f.Elem != nil {
			s["items"] = fieldSchema(f.Elem)
		}
		if f.OneOrMany && f.Elem != nil {
			delete(s, "type")
			delete(s, "items")
			s["anyOf"] = []any{fieldSchema(f.Elem), map[string]any{"type": "array", "items": fieldSchema(f.Elem)}}
		}
	}
	return s
}
