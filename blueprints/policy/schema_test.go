package policy

import (
	"encoding/json"
	"testing"
)

// TestJSONSchema checks that the schema describes every rule the parser
// knows, with its parameters, and that rules without parameters also take
// true, false or nothing.
func TestJSONSchema(t *testing.T) {
	data, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema     string `json:"$schema"`
		Required   []string
		Properties struct {
			Rules struct {
				AdditionalProperties bool           `json:"additionalProperties"`
				Properties           map[string]any `json:"properties"`
			} `json:"rules"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema == "" || len(s.Required) != 1 || s.Required[0] != "rules" || s.Properties.Rules.AdditionalProperties {
		t.Fatalf("the top level does not require rules or allows unknown rules:\n%s", data)
	}
	for _, d := range ruleTable {
		r, ok := s.Properties.Rules.Properties[d.name].(map[string]any)
		if !ok {
			t.Errorf("no schema for rule %s", d.name)
			continue
		}
		if d.decode == nil {
			if alts, _ := r["oneOf"].([]any); len(alts) != 3 {
				t.Errorf("rule %s: want true, false, empty or a mapping, got %v", d.name, r)
			}
			continue
		}
		props, _ := r["properties"].(map[string]any)
		if _, ok := props["severity"]; !ok {
			t.Errorf("rule %s has no severity", d.name)
		}
		for _, f := range d.fields {
			if _, ok := props[f.Name]; !ok {
				t.Errorf("rule %s has no parameter %s in the schema", d.name, f.Name)
			}
		}
	}
	regions := s.Properties.Rules.Properties["allowed_regions"].(map[string]any)["properties"].(map[string]any)["regions"].(map[string]any)["items"].(map[string]any)
	if enum, _ := regions["enum"].([]any); len(enum) < 9 {
		t.Errorf("allowed_regions lists no region names: %v", regions)
	}
}
