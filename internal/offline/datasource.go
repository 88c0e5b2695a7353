package offline

import (
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// readData returns the state of a data source: its configuration, with
// every computed attribute it leaves null made up. The data sources that
// modules branch on get values that look like a real answer (three
// availability zones, a partition, a policy document rendered from its
// statements); the rest get the same fakes as an apply.
func (s *server) readData(typeName string, b *tfprotov5.SchemaBlock, cfg tftypes.Value, seed string) (tftypes.Value, error) {
	v, err := planBlock(b, tftypes.NewValue(cfg.Type(), nil), cfg)
	if err != nil {
		return cfg, err
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return cfg, err
	}
	f := newFaker(s.name, typeName, attrs, s.config(), seed)
	known := map[string]any{}
	pc := s.config()
	switch typeName {
	case "aws_availability_zones":
		known["names"] = []string{f.region + "a", f.region + "b", f.region + "c"}
		known["zone_ids"] = []string{"offline1-az1", "offline1-az2", "offline1-az3"}
		known["id"] = f.region
	case "aws_region":
		known["name"] = f.region
		known["region"] = f.region
		known["id"] = f.region
		known["description"] = "Offline"
		known["endpoint"] = "ec2." + f.region + "." + fakeDomain
	case "aws_partition":
		known["partition"] = "aws"
		known["id"] = "aws"
		known["dns_suffix"] = "amazonaws.com"
		known["reverse_dns_prefix"] = "com.amazonaws"
	case "aws_caller_identity":
		known["account_id"] = fakeAWSAccount
		known["id"] = fakeAWSAccount
		known["arn"] = "arn:aws:iam::" + fakeAWSAccount + ":user/offline"
		known["user_id"] = "AIDAOFFLINE"
	case "aws_iam_policy_document":
		doc := policyDocument(attrs)
		known["json"] = doc
		known["minified_json"] = doc
		known["id"] = shortHash(doc)
	case "google_project":
		known["number"] = fakeGoogleNumber
		known["project_id"] = f.project
		known["name"] = f.project
		known["id"] = "projects/" + f.project
	case "google_client_config":
		known["project"] = f.project
		known["region"] = f.region
		known["zone"] = f.region + "-a"
		known["access_token"] = "offline-access-token"
		known["id"] = "projects/" + f.project + "/regions/" + f.region + "/zones/" + f.region + "-a"
	case "azurerm_client_config":
		known["tenant_id"] = first(pc.tenant, fakeAzureTenant)
		known["subscription_id"] = f.subscription
		known["client_id"] = fakeAzureClient
		known["object_id"] = fakeAzureObject
		known["id"] = "offline-client-config"
	case "azurerm_subscription":
		known["subscription_id"] = f.subscription
		known["tenant_id"] = first(pc.tenant, fakeAzureTenant)
		known["display_name"] = "offline"
		known["state"] = "Enabled"
		known["id"] = "/subscriptions/" + f.subscription
	}
	for name, val := range known {
		cur, ok := attrs[name]
		// A null the configuration left out is filled too: the real data
		// sources set optional attributes such as google_project.project_id.
		if !ok || (cur.IsKnown() && !cur.IsNull()) { // configured, or not in this schema version
			continue
		}
		attrs[name] = tftypes.NewValue(cur.Type(), toTF(cur.Type(), val))
	}
	return f.fill(tftypes.NewValue(v.Type(), attrs))
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func toTF(t tftypes.Type, v any) any {
	switch v := v.(type) {
	case []string:
		var et tftypes.Type = tftypes.String
		switch tt := t.(type) {
		case tftypes.List:
			et = tt.ElementType
		case tftypes.Set:
			et = tt.ElementType
		}
		out := make([]tftypes.Value, len(v))
		for i, s := range v {
			out[i] = tftypes.NewValue(et, s)
		}
		return out
	}
	return v
}

// policyDocument renders an aws_iam_policy_document from its statement
// blocks the way the real data source does (a single value is a string, more
// are an array). Anything beyond plain statements (other documents merged
// in, NotPrincipal) renders as "{}": an honest placeholder rather than a
// wrong policy.
func policyDocument(attrs map[string]tftypes.Value) string {
	for _, merged := range []string{"source_policy_documents", "override_policy_documents"} {
		if v, ok := attrs[merged]; ok && !v.IsNull() {
			var elems []tftypes.Value
			if v.As(&elems) != nil || len(elems) > 0 {
				return "{}"
			}
		}
	}
	type statement struct {
		Sid         string                    `json:"Sid,omitempty"`
		Effect      string                    `json:"Effect"`
		Action      any                       `json:"Action,omitempty"`
		NotAction   any                       `json:"NotAction,omitempty"`
		Resource    any                       `json:"Resource,omitempty"`
		NotResource any                       `json:"NotResource,omitempty"`
		Principal   map[string]any            `json:"Principal,omitempty"`
		Condition   map[string]map[string]any `json:"Condition,omitempty"`
	}
	doc := struct {
		Version   string      `json:"Version"`
		Id        string      `json:"Id,omitempty"`
		Statement []statement `json:"Statement"`
	}{Version: "2012-10-17", Statement: []statement{}}
	if v := stringOf(attrs["version"]); v != "" {
		doc.Version = v
	}
	doc.Id = stringOf(attrs["policy_id"])
	for _, st := range objects(attrs["statement"]) {
		if len(objects(st["not_principals"])) > 0 {
			return "{}"
		}
		out := statement{
			Sid:         stringOf(st["sid"]),
			Effect:      first(stringOf(st["effect"]), "Allow"),
			Action:      oneOrMany(stringsOf(st["actions"])),
			NotAction:   oneOrMany(stringsOf(st["not_actions"])),
			Resource:    oneOrMany(stringsOf(st["resources"])),
			NotResource: oneOrMany(stringsOf(st["not_resources"])),
		}
		for _, p := range objects(st["principals"]) {
			if out.Principal == nil {
				out.Principal = map[string]any{}
			}
			out.Principal[stringOf(p["type"])] = oneOrMany(stringsOf(p["identifiers"]))
		}
		for _, c := range objects(st["condition"]) {
			if out.Condition == nil {
				out.Condition = map[string]map[string]any{}
			}
			test := stringOf(c["test"])
			if out.Condition[test] == nil {
				out.Condition[test] = map[string]any{}
			}
			out.Condition[test][stringOf(c["variable"])] = oneOrMany(stringsOf(c["values"]))
		}
		doc.Statement = append(doc.Statement, out)
	}
	js, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "{}"
	}
	return string(js)
}

func stringOf(v tftypes.Value) string {
	var s string
	if v.Type() == nil || !v.IsKnown() || v.IsNull() || v.As(&s) != nil {
		return ""
	}
	return s
}

func stringsOf(v tftypes.Value) []string {
	var elems []tftypes.Value
	if v.Type() == nil || !v.IsKnown() || v.IsNull() || v.As(&elems) != nil {
		return nil
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		out = append(out, stringOf(e))
	}
	sort.Strings(out)
	return out
}

func objects(v tftypes.Value) []map[string]tftypes.Value {
	var elems []tftypes.Value
	if v.Type() == nil || !v.IsKnown() || v.IsNull() || v.As(&elems) != nil {
		return nil
	}
	out := make([]map[string]tftypes.Value, 0, len(elems))
	for _, e := range elems {
		var m map[string]tftypes.Value
		if e.As(&m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func oneOrMany(s []string) any {
	switch len(s) {
	case 0:
		return nil
	case 1:
		return s[0]
	}
	return s
}
