package policy

import (
	"encoding/json"
	"fmt"

	"github.com/skyform/skyform/blueprints"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of the policy format,
// built from the rule table the parser uses, for editors. Keys are sorted;
// the bytes are stable.
func JSONSchema() ([]byte, error) {
	top := blueprints.FieldSchema(topSpec)
	rules := top["properties"].(map[string]any)["rules"].(map[string]any)["properties"].(map[string]any)
	params := func(rule string) map[string]any {
		return rules[rule].(map[string]any)["properties"].(map[string]any)
	}
	params("allowed_regions")["regions"].(map[string]any)["items"].(map[string]any)["enum"] = blueprints.RegionNames()
	for _, k := range []string{"database", "cluster"} {
		params("max_size")[k].(map[string]any)["enum"] = names(blueprints.Sizes)
	}
	for _, d := range ruleTable {
		if d.decode == nil {
			// A rule without parameters is also true, false or empty.
			rules[d.name] = map[string]any{"description": d.doc, "oneOf": []any{
				map[string]any{"type": "boolean"}, map[string]any{"type": "null"}, rules[d.name],
			}}
		}
	}
	top["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	top["title"] = "skyform policy"
	top["description"] = "Rules a platform team holds every skyform blueprint to: checked by validate, compile, plan, apply and policy check."
	data, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot encode the schema: %w", err)
	}
	return append(data, '\n'), nil
}
