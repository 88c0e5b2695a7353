package summary

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/skyform/skyform/blueprints"
)

func rc(addr, typ string, actions ...tfjson.Action) *tfjson.ResourceChange {
	return &tfjson.ResourceChange{Address: addr, Type: typ, Mode: tfjson.ManagedResourceMode, Change: &tfjson.Change{Actions: actions}}
}

func TestFromPlan(t *testing.T) {
	bp := &blueprints.Blueprint{Resources: []*blueprints.Resource{
		{Name: "orders-db", Kind: blueprints.KindDatabase, Cloud: blueprints.AWS},
		{Name: "orders", Kind: blueprints.KindQueue, Cloud: blueprints.AWS},
	}}
	cases := map[string]struct {
		reason string
		plan   *tfjson.Plan
		want   *Summary
	}{
		"no changes": {
			reason: "no-op and data reads are not changes",
			plan: &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				rc("module.orders.aws_sqs_queue.this", "aws_sqs_queue", tfjson.ActionNoop),
				{Address: "module.aws_network.data.aws_availability_zones.this", Mode: tfjson.DataResourceMode, Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionRead}}},
			}},
			want: &Summary{},
		},
		"create, replace and delete": {
			reason: "changes are grouped by neutral resource; implicit modules first; replacements flag the plan",
			plan: &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				rc("module.orders.aws_sqs_queue.this", "aws_sqs_queue", tfjson.ActionCreate),
				rc("module.orders.aws_sqs_queue.dead_letter[0]", "aws_sqs_queue", tfjson.ActionCreate),
				rc("module.orders_db.aws_db_instance.this", "aws_db_instance", tfjson.ActionDelete, tfjson.ActionCreate),
				rc("module.aws_network.aws_vpc.this", "aws_vpc", tfjson.ActionUpdate),
				rc("module.old_worker.aws_lambda_function.this", "aws_lambda_function", tfjson.ActionDelete),
			}},
			want: &Summary{
				Resources: []Resource{
					{Name: "aws network", Kind: "network", Cloud: "aws", Implicit: true, Action: Update, Changes: []Change{{"module.aws_network.aws_vpc.this", "aws_vpc", Update}}},
					{Name: "old-worker", Kind: "removed from the blueprint", Cloud: "aws", Action: Delete, Changes: []Change{{"module.old_worker.aws_lambda_function.this", "aws_lambda_function", Delete}}},
					{Name: "orders", Kind: "queue", Cloud: "aws", Action: Create, Changes: []Change{
						{"module.orders.aws_sqs_queue.dead_letter[0]", "aws_sqs_queue", Create},
						{"module.orders.aws_sqs_queue.this", "aws_sqs_queue", Create},
					}},
					{Name: "orders-db", Kind: "database", Cloud: "aws", Action: Replace, Changes: []Change{{"module.orders_db.aws_db_instance.this", "aws_db_instance", Replace}}},
				},
				Counts:      Counts{Create: 2, Update: 1, Replace: 1, Delete: 1},
				Destructive: true,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := FromPlan(tc.plan, bp)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
