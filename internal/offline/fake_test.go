package offline

import (
	"encoding/json"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func mustServer(t *testing.T, name string) *server {
	t.Helper()
	s, err := newServer(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestApplyFillsUnknowns(t *testing.T) {
	s := &server{name: "aws"}
	planned := obj(map[string]tftypes.Value{
		"arn": unk(tftypes.String), "id": unk(tftypes.String), "name": str("orders"), "size": unk(tftypes.Number),
		"rule":    rules(rule(80, unk(tftypes.String))),
		"setting": settings(setting("a", unk(tftypes.String)), setting("b", str("kept"))),
	})
	got, err := s.applyValue("aws_sqs_queue", planned, "seed")
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsFullyKnown() {
		t.Fatalf("apply left unknowns: %s", got)
	}
	again, _ := s.applyValue("aws_sqs_queue", planned, "seed")
	if !got.Equal(again) {
		t.Errorf("apply is not deterministic:\n%s\n%s", got, again)
	}
	var attrs map[string]tftypes.Value
	_ = got.As(&attrs)
	checks := map[string]struct {
		reason string
		got    tftypes.Value
		want   tftypes.Value
	}{
		"arn":  {"an SQS ARN names the queue, offline region and zero account", attrs["arn"], str("arn:aws:sqs:offline-1:000000000000:orders")},
		"id":   {"an SQS id is its URL", attrs["id"], str("https://sqs.offline-1.offline.invalid/000000000000/orders")},
		"name": {"known values are kept", attrs["name"], str("orders")},
		"size": {"numbers are 0", attrs["size"], tftypes.NewValue(tftypes.Number, new(big.Float))},
	}
	for name, c := range checks {
		if !c.got.Equal(c.want) {
			t.Errorf("%s: %s: got %s, want %s", name, c.reason, c.got, c.want)
		}
	}
	var rs []tftypes.Value
	_ = attrs["rule"].As(&rs)
	var r map[string]tftypes.Value
	_ = rs[0].As(&r)
	if id := stringOf(r["rule_id"]); id == "" || !strings.HasPrefix(id, "orders-") {
		t.Errorf("nested rule_id = %q, want a fake derived from the name", id)
	}
}

func TestApplyKeepsKnownAndNull(t *testing.T) {
	s := &server{name: "aws"}
	created := obj(map[string]tftypes.Value{"arn": str("a"), "id": str("i"), "name": str("n"), "size": num(1)})
	got, err := s.applyValue("aws_sqs_queue", created, "seed")
	if err != nil || !got.Equal(created) {
		t.Errorf("apply of a known plan changed it: %s, %v", got, err)
	}
	got, err = s.applyValue("aws_sqs_queue", null(testType), "seed")
	if err != nil || !got.IsNull() {
		t.Errorf("apply of a destroy = %s, %v; want null", got, err)
	}
}

func TestFakeValues(t *testing.T) {
	objType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"data": tftypes.String}}
	cases := map[string]struct {
		reason   string
		provider string
		typeName string
		path     []string
		typ      tftypes.Type
		want     any    // exact value, or
		match    string // a regexp for strings
	}{
		"bool":           {"bools are false", "aws", "aws_vpc", []string{"enable_dns"}, tftypes.Bool, false, ""},
		"list":           {"lists of primitives are empty", "aws", "aws_vpc", []string{"ids"}, tftypes.List{ElementType: tftypes.String}, []tftypes.Value{}, ""},
		"map":            {"maps are empty", "aws", "aws_vpc", []string{"tags_all"}, tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{}, ""},
		"ec2 id":         {"EC2 ids carry their prefix", "aws", "aws_vpc", []string{"id"}, tftypes.String, nil, `^vpc-[0-9a-f]{17}$`},
		"iam arn":        {"IAM ARNs have no region", "aws", "aws_iam_role", []string{"arn"}, tftypes.String, "arn:aws:iam::000000000000:role/orders", ""},
		"lambda arn":     {"", "aws", "aws_lambda_function", []string{"arn"}, tftypes.String, "arn:aws:lambda:offline-1:000000000000:function:orders", ""},
		"other arn":      {"attributes ending in _arn are ARNs", "aws", "aws_lambda_function", []string{"invoke_arn"}, tftypes.String, nil, `^arn:aws:lambda:offline-1:000000000000:invoke/orders$`},
		"azure rg id":    {"resource groups have the short Azure id", "azurerm", "azurerm_resource_group", []string{"id"}, tftypes.String, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders", ""},
		"azure id":       {"other Azure ids live in a resource group", "azurerm", "azurerm_virtual_network", []string{"id"}, tftypes.String, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/offline-rg/providers/Offline.virtual_network/orders", ""},
		"azure uuid":     {"principal ids are UUIDs", "azurerm", "azurerm_user_assigned_identity", []string{"principal_id"}, tftypes.String, nil, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`},
		"google id":      {"google ids name project and collection", "google", "google_pubsub_topic", []string{"id"}, tftypes.String, "projects/offline-project/topics/orders", ""},
		"host":           {"hosts are under .invalid", "aws", "aws_db_instance", []string{"address"}, tftypes.String, nil, `^10\.\d+\.\d+\.10$`},
		"endpoint":       {"endpoints are URLs under .invalid", "aws", "aws_eks_cluster", []string{"endpoint"}, tftypes.String, nil, `^https://orders\.eks-cluster\.offline\.invalid/[0-9a-f]{8}$`},
		"fallback":       {"anything else is a short stable string", "aws", "aws_vpc", []string{"owner"}, tftypes.String, nil, `^offline-[0-9a-f]{8}$`},
		"objects listed": {"a list of objects holds one filled object, so x[0].attr works", "aws", "aws_eks_cluster", []string{"certificate_authority"}, tftypes.List{ElementType: objType}, nil, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			attrs := map[string]tftypes.Value{"name": str("orders")}
			f := newFaker(tc.provider, tc.typeName, attrs, providerConfig{}, "seed")
			got := f.value(tc.path, tc.typ)
			if !got.IsFullyKnown() {
				t.Fatalf("%s: not fully known: %s", tc.reason, got)
			}
			if again := newFaker(tc.provider, tc.typeName, attrs, providerConfig{}, "seed").value(tc.path, tc.typ); !again.Equal(got) {
				t.Errorf("not deterministic: %s, then %s", got, again)
			}
			switch {
			case tc.match != "":
				if s := stringOf(got); !regexp.MustCompile(tc.match).MatchString(s) {
					t.Errorf("%s: %q does not match %s", tc.reason, s, tc.match)
				}
			case tc.want != nil:
				if want := tftypes.NewValue(tc.typ, tc.want); !got.Equal(want) {
					t.Errorf("%s: got %s, want %s", tc.reason, got, want)
				}
			default:
				var elems []tftypes.Value
				if err := got.As(&elems); err != nil || len(elems) != 1 {
					t.Errorf("%s: got %s", tc.reason, got)
				}
			}
		})
	}
}

func TestFakeUsesProviderPlacement(t *testing.T) {
	f := newFaker("aws", "aws_sqs_queue", map[string]tftypes.Value{"name": str("q")}, providerConfig{region: "eu-west-1"}, "s")
	if got := f.arn(); got != "arn:aws:sqs:eu-west-1:000000000000:q" {
		t.Errorf("arn = %q, want the configured region", got)
	}
	f = newFaker("google", "google_pubsub_topic", map[string]tftypes.Value{"name": str("t")}, providerConfig{project: "demo"}, "s")
	if got := f.id(); got != "projects/demo/topics/t" {
		t.Errorf("id = %q, want the configured project", got)
	}
}

func TestFakeWithoutName(t *testing.T) {
	a := newFaker("aws", "aws_route", map[string]tftypes.Value{}, providerConfig{}, "config-a")
	b := newFaker("aws", "aws_route", map[string]tftypes.Value{}, providerConfig{}, "config-b")
	if a.label() == b.label() {
		t.Errorf("two unnamed objects with different configurations share the label %q", a.label())
	}
	if !strings.HasPrefix(a.label(), "route-") {
		t.Errorf("label = %q, want it to say what it is", a.label())
	}
}

func readData(t *testing.T, provider, typeName string, cfg map[string]tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	s := mustServer(t, provider)
	ds := s.schema.DataSources[typeName]
	typ := ds.ValueType().(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	for _, nb := range ds.Block.BlockTypes {
		attrs[nb.TypeName] = emptyNested(nb)
	}
	for k, v := range cfg {
		attrs[k] = v
	}
	got, err := s.readData(typeName, ds.Block, tftypes.NewValue(typ, attrs), "seed")
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsFullyKnown() {
		t.Fatalf("%s left unknowns: %s", typeName, got)
	}
	var out map[string]tftypes.Value
	_ = got.As(&out)
	return out
}

func TestReadDataSource(t *testing.T) {
	az := readData(t, "aws", "aws_availability_zones", nil)
	if got := stringsOf(az["names"]); strings.Join(got, ",") != "offline-1a,offline-1b,offline-1c" {
		t.Errorf("aws_availability_zones.names = %v", got)
	}
	if got := stringOf(readData(t, "aws", "aws_partition", nil)["partition"]); got != "aws" {
		t.Errorf("aws_partition.partition = %q", got)
	}
	if got := stringOf(readData(t, "aws", "aws_caller_identity", nil)["account_id"]); got != fakeAWSAccount {
		t.Errorf("aws_caller_identity.account_id = %q", got)
	}
	if got := stringOf(readData(t, "azurerm", "azurerm_client_config", nil)["tenant_id"]); got != fakeAzureTenant {
		t.Errorf("azurerm_client_config.tenant_id = %q", got)
	}
	if got := stringOf(readData(t, "google", "google_project", nil)["number"]); got != fakeGoogleNumber {
		t.Errorf("google_project.number = %q", got)
	}
	region := readData(t, "aws", "aws_region", map[string]tftypes.Value{"region": str("eu-west-1")})
	if got := stringOf(region["region"]); got != "eu-west-1" {
		t.Errorf("aws_region.region = %q, want the configured value kept", got)
	}
}

func TestPolicyDocument(t *testing.T) {
	s := mustServer(t, "aws")
	ds := s.schema.DataSources["aws_iam_policy_document"]
	var stmtBlock = ds.Block.BlockTypes[0]
	for _, nb := range ds.Block.BlockTypes {
		if nb.TypeName == "statement" {
			stmtBlock = nb
		}
	}
	stmtType := stmtBlock.Block.ValueType().(tftypes.Object)
	stmt := map[string]tftypes.Value{}
	for name, at := range stmtType.AttributeTypes {
		stmt[name] = tftypes.NewValue(at, nil)
	}
	for _, nb := range stmtBlock.Block.BlockTypes {
		stmt[nb.TypeName] = emptyNested(nb)
	}
	set := func(name string, vals ...string) {
		at := stmtType.AttributeTypes[name]
		elems := make([]tftypes.Value, len(vals))
		for i, v := range vals {
			elems[i] = str(v)
		}
		stmt[name] = tftypes.NewValue(at, elems)
	}
	set("actions", "sqs:SendMessage", "sqs:GetQueueUrl")
	set("resources", "arn:aws:sqs:offline-1:000000000000:orders")
	stmt["effect"] = str("Allow")
	got := readData(t, "aws", "aws_iam_policy_document", map[string]tftypes.Value{
		"statement": tftypes.NewValue(stmtBlock.ValueType(), []tftypes.Value{tftypes.NewValue(stmtType, stmt)}),
	})
	var doc map[string]any
	if err := json.Unmarshal([]byte(stringOf(got["json"])), &doc); err != nil {
		t.Fatalf("json is not JSON: %v\n%s", err, stringOf(got["json"]))
	}
	want := `{"Statement":[{"Action":["sqs:GetQueueUrl","sqs:SendMessage"],"Effect":"Allow","Resource":"arn:aws:sqs:offline-1:000000000000:orders"}],"Version":"2012-10-17"}`
	if js, _ := json.Marshal(doc); string(js) != want {
		t.Errorf("policy document\ngot:  %s\nwant: %s", js, want)
	}
	if empty := readData(t, "aws", "aws_iam_policy_document", map[string]tftypes.Value{
		"source_policy_documents": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("{}")}),
	}); stringOf(empty["json"]) != "{}" {
		t.Errorf("a merged document renders %q, want the {} placeholder", stringOf(empty["json"]))
	}
}
