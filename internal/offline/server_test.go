package offline

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// queueConfig is an aws_sqs_queue with only a name (and optionally other
// attributes) set, everything else null as terraform sends it.
func queueConfig(t *testing.T, s *server, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	rs := s.schema.Resources["aws_sqs_queue"]
	attrs := map[string]tftypes.Value{}
	for _, a := range rs.Block.Attributes {
		attrs[a.Name] = tftypes.NewValue(a.Type, nil)
	}
	for _, nb := range rs.Block.BlockTypes {
		attrs[nb.TypeName] = tftypes.NewValue(nb.ValueType(), nil)
	}
	for k, v := range set {
		attrs[k] = v
	}
	return tftypes.NewValue(rs.ValueType(), attrs)
}

func dyn(t *testing.T, v tftypes.Value) *tfprotov5.DynamicValue {
	t.Helper()
	dv, err := encode(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

func undyn(t *testing.T, s *server, dv *tfprotov5.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	v, err := decode(dv, s.schema.Resources["aws_sqs_queue"].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func noDiags(t *testing.T, what string, diags []*tfprotov5.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("%s: %s: %s", what, d.Summary, d.Detail)
	}
}

func TestServerLifecycle(t *testing.T) {
	ctx := context.Background()
	s := mustServer(t, "aws")
	cfg := queueConfig(t, s, map[string]tftypes.Value{"name": str("orders")})
	null := tftypes.NewValue(cfg.Type(), nil)

	plan, _ := s.PlanResourceChange(ctx, &tfprotov5.PlanResourceChangeRequest{
		TypeName: "aws_sqs_queue", PriorState: dyn(t, null), ProposedNewState: dyn(t, cfg), Config: dyn(t, cfg),
	})
	noDiags(t, "plan", plan.Diagnostics)
	planned := undyn(t, s, plan.PlannedState)
	if planned["arn"].IsKnown() || !planned["name"].Equal(str("orders")) {
		t.Errorf("planned arn %s, name %s: want unknown and orders", planned["arn"], planned["name"])
	}

	apply, _ := s.ApplyResourceChange(ctx, &tfprotov5.ApplyResourceChangeRequest{
		TypeName: "aws_sqs_queue", PriorState: dyn(t, null), PlannedState: plan.PlannedState, Config: dyn(t, cfg),
	})
	noDiags(t, "apply", apply.Diagnostics)
	state := undyn(t, s, apply.NewState)
	if got := stringOf(state["arn"]); got != "arn:aws:sqs:offline-1:000000000000:orders" {
		t.Errorf("arn = %q", got)
	}

	read, _ := s.ReadResource(ctx, &tfprotov5.ReadResourceRequest{TypeName: "aws_sqs_queue", CurrentState: apply.NewState})
	if read.NewState != apply.NewState {
		t.Error("read changed the state")
	}

	stateVal, _ := decode(apply.NewState, cfg.Type())
	renamed := queueConfig(t, s, map[string]tftypes.Value{"name": str("orders-2")})
	proposed := map[string]tftypes.Value{}
	_ = stateVal.As(&proposed)
	proposed["name"] = str("orders-2")
	replan, _ := s.PlanResourceChange(ctx, &tfprotov5.PlanResourceChangeRequest{
		TypeName: "aws_sqs_queue", PriorState: apply.NewState,
		ProposedNewState: dyn(t, tftypes.NewValue(cfg.Type(), proposed)), Config: dyn(t, renamed),
	})
	noDiags(t, "replan", replan.Diagnostics)
	if len(replan.RequiresReplace) != 1 || !replan.RequiresReplace[0].Equal(tftypes.NewAttributePath().WithAttributeName("name")) {
		t.Errorf("RequiresReplace = %v, want [name]", replan.RequiresReplace)
	}

	destroy, _ := s.ApplyResourceChange(ctx, &tfprotov5.ApplyResourceChangeRequest{
		TypeName: "aws_sqs_queue", PriorState: apply.NewState, PlannedState: dyn(t, null), Config: dyn(t, null),
	})
	noDiags(t, "destroy", destroy.Diagnostics)
	if v, _ := decode(destroy.NewState, cfg.Type()); !v.IsNull() {
		t.Errorf("destroy left state %s", v)
	}
}

func TestServerUpgradeAndImport(t *testing.T) {
	ctx := context.Background()
	s := mustServer(t, "aws")
	up, _ := s.UpgradeResourceState(ctx, &tfprotov5.UpgradeResourceStateRequest{
		TypeName: "aws_sqs_queue",
		RawState: &tfprotov5.RawState{JSON: []byte(`{"name":"orders","arn":"arn:x","removed_attribute":1}`)},
	})
	noDiags(t, "upgrade", up.Diagnostics)
	if st := undyn(t, s, up.UpgradedState); stringOf(st["arn"]) != "arn:x" || stringOf(st["name"]) != "orders" {
		t.Errorf("upgrade changed values: %v", st)
	}

	imp, _ := s.ImportResourceState(ctx, &tfprotov5.ImportResourceStateRequest{TypeName: "aws_sqs_queue", ID: "https://queue/orders"})
	noDiags(t, "import", imp.Diagnostics)
	if len(imp.ImportedResources) != 1 {
		t.Fatalf("imported %d resources", len(imp.ImportedResources))
	}
	st := undyn(t, s, imp.ImportedResources[0].State)
	if stringOf(st["id"]) != "https://queue/orders" || stringOf(st["arn"]) == "" {
		t.Errorf("imported id %s, arn %s", st["id"], st["arn"])
	}
	// The queue URL determines the name; the import is marked, so the next
	// plan knows its other arguments were not read.
	if stringOf(st["name"]) != "orders" {
		t.Errorf("imported name %s, want orders (from the URL)", st["name"])
	}
	if string(imp.ImportedResources[0].Private) != importedPrivate {
		t.Errorf("imported private state %q", imp.ImportedResources[0].Private)
	}
}

func TestImportedAttributes(t *testing.T) {
	for _, tc := range []struct {
		typ, id string
		want    map[string]string
	}{
		{"aws_iam_role_policy_attachment", "r/arn:aws:iam::aws:policy/P", map[string]string{"role": "r", "policy_arn": "arn:aws:iam::aws:policy/P"}},
		{"aws_iam_role_policy", "r:consume-orders", map[string]string{"role": "r", "name": "consume-orders"}},
		{"aws_eks_node_group", "c:default-1", map[string]string{"cluster_name": "c", "node_group_name": "default-1"}},
		{"aws_db_instance", "shop-db", map[string]string{"identifier": "shop-db"}},
		{"aws_lambda_function_url", "fn/live", map[string]string{"function_name": "fn"}},
		{"aws_security_group", "sg-1", nil},
		{"azurerm_resource_group", "/subscriptions/s/resourceGroups/rg-shop", map[string]string{"name": "rg-shop"}},
		{"azurerm_servicebus_queue", "/subscriptions/s/resourceGroups/rg-shop/providers/Microsoft.ServiceBus/namespaces/ns/queues/orders",
			map[string]string{"name": "orders", "resource_group_name": "rg-shop"}},
		{"azurerm_function_app_flex_consumption", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
			map[string]string{"name": "app", "resource_group_name": "rg"}},
		{"azurerm_role_assignment", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/ns/providers/Microsoft.Authorization/roleAssignments/g", nil},
		{"azurerm_key_vault_secret", "https://kv.vault.azure.net/secrets/s/1", nil},
		{"google_pubsub_topic", "projects/p/topics/shop-orders", map[string]string{"name": "shop-orders"}},
		{"google_cloudfunctions2_function", "projects/p/locations/europe-west1/functions/f", map[string]string{"location": "europe-west1", "name": "f"}},
		{"google_sql_database", "projects/p/instances/db/databases/orders_db", map[string]string{"instance": "db", "name": "orders_db"}},
		{"google_sql_user", "p/db/admin@p.iam", map[string]string{"instance": "db"}},
		{"google_container_node_pool", "p/europe-west1/c/default", map[string]string{"location": "europe-west1", "name": "default"}},
		{"google_service_account", "projects/p/serviceAccounts/f-fn@p.iam.gserviceaccount.com", map[string]string{"account_id": "f-fn"}},
		{"google_storage_bucket", "p/f-src-1234abcd", map[string]string{"name": "f-src-1234abcd"}},
		{"google_storage_bucket_object", "f-src-1234abcd/0f.zip", map[string]string{"bucket": "f-src-1234abcd", "name": "0f.zip"}},
		{"google_project_iam_member", "p roles/cloudsql.client serviceAccount:a@p.iam.gserviceaccount.com only-db", map[string]string{"role": "roles/cloudsql.client"}},
		{"google_pubsub_topic", "shop-orders", nil},
	} {
		got := importedAttributes(tc.typ, tc.id)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s %q: got %v, want %v", tc.typ, tc.id, got, tc.want)
		}
	}
}

func TestServerRejects(t *testing.T) {
	ctx := context.Background()
	s := mustServer(t, "aws")
	cases := map[string]func() []*tfprotov5.Diagnostic{
		"unknown resource": func() []*tfprotov5.Diagnostic {
			r, _ := s.ValidateResourceTypeConfig(ctx, &tfprotov5.ValidateResourceTypeConfigRequest{TypeName: "aws_not_carried"})
			return r.Diagnostics
		},
		"unknown data source": func() []*tfprotov5.Diagnostic {
			r, _ := s.ValidateDataSourceConfig(ctx, &tfprotov5.ValidateDataSourceConfigRequest{TypeName: "aws_not_carried"})
			return r.Diagnostics
		},
		"move": func() []*tfprotov5.Diagnostic {
			r, _ := s.MoveResourceState(ctx, &tfprotov5.MoveResourceStateRequest{})
			return r.Diagnostics
		},
		"ephemeral": func() []*tfprotov5.Diagnostic {
			r, _ := s.OpenEphemeralResource(ctx, &tfprotov5.OpenEphemeralResourceRequest{})
			return r.Diagnostics
		},
		"identity": func() []*tfprotov5.Diagnostic {
			r, _ := s.UpgradeResourceIdentity(ctx, &tfprotov5.UpgradeResourceIdentityRequest{})
			return r.Diagnostics
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			diags := call()
			if len(diags) != 1 || diags[0].Severity != tfprotov5.DiagnosticSeverityError {
				t.Fatalf("diagnostics = %v, want one error", diags)
			}
			if name != "unknown resource" && name != "unknown data source" && !strings.Contains(diags[0].Summary, "not supported offline") {
				t.Errorf("summary %q does not say it is not supported offline", diags[0].Summary)
			}
		})
	}
	if r, _ := s.CallFunction(ctx, &tfprotov5.CallFunctionRequest{Name: "arn_parse"}); r.Error == nil {
		t.Error("CallFunction succeeded")
	}
	if r, _ := s.GetFunctions(ctx, &tfprotov5.GetFunctionsRequest{}); len(r.Functions) != 0 || len(r.Diagnostics) != 0 {
		t.Errorf("GetFunctions = %v", r)
	}
	for _, diags := range [][]*tfprotov5.Diagnostic{
		must(s.ValidateResourceTypeConfig(ctx, &tfprotov5.ValidateResourceTypeConfigRequest{TypeName: "aws_sqs_queue"})).Diagnostics,
		must(s.ConfigureProvider(ctx, &tfprotov5.ConfigureProviderRequest{})).Diagnostics,
	} {
		noDiags(t, "validate/configure", diags)
	}
}

func must[T any](v T, _ error) T { return v }

func TestServerSchema(t *testing.T) {
	s := mustServer(t, "google")
	r, _ := s.GetProviderSchema(context.Background(), &tfprotov5.GetProviderSchemaRequest{})
	if r.Provider == nil || r.ResourceSchemas["google_pubsub_topic"] == nil || r.DataSourceSchemas["google_project"] == nil {
		t.Error("schema lacks the provider block, google_pubsub_topic or google_project")
	}
	m, _ := s.GetMetadata(context.Background(), &tfprotov5.GetMetadataRequest{})
	if len(m.Resources) != len(r.ResourceSchemas) || len(m.DataSources) != len(r.DataSourceSchemas) {
		t.Errorf("metadata lists %d/%d types, schema %d/%d", len(m.Resources), len(m.DataSources), len(r.ResourceSchemas), len(r.DataSourceSchemas))
	}
}
