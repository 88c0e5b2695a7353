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
					{Name: "aws network", Kind: "network", Cloud: "aws", Implicit: true, Action: Update, Changes: []Change{{Address: "module.aws_network.aws_vpc.this", Type: "aws_vpc", Action: Update}}},
					{Name: "old-worker", Kind: "removed from the blueprint", Cloud: "aws", Action: Delete, Changes: []Change{{Address: "module.old_worker.aws_lambda_function.this", Type: "aws_lambda_function", Action: Delete}}},
					{Name: "orders", Kind: "queue", Cloud: "aws", Action: Create, Changes: []Change{
						{Address: "module.orders.aws_sqs_queue.dead_letter[0]", Type: "aws_sqs_queue", Action: Create},
						{Address: "module.orders.aws_sqs_queue.this", Type: "aws_sqs_queue", Action: Create},
					}},
					{Name: "orders-db", Kind: "database", Cloud: "aws", Action: Replace, Changes: []Change{{Address: "module.orders_db.aws_db_instance.this", Type: "aws_db_instance", Action: Replace}}},
				},
				Counts:      Counts{Create: 2, Update: 1, Replace: 1, Delete: 1},
				Destructive: true,
			},
		},
	}
	moved := rc("module.jobs.aws_sqs_queue.this", "aws_sqs_queue", tfjson.ActionNoop)
	moved.PreviousAddress = "module.orders.aws_sqs_queue.this"
	movedAndChanged := rc("module.jobs.aws_sqs_queue.dead_letter[0]", "aws_sqs_queue", tfjson.ActionUpdate)
	movedAndChanged.PreviousAddress = "module.orders.aws_sqs_queue.dead_letter[0]"
	cases["moved"] = struct {
		reason string
		plan   *tfjson.Plan
		want   *Summary
	}{
		reason: "a rename moves state: counted as a move, named after the former resource; a move with a change is that change",
		plan:   &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{moved, movedAndChanged}},
		want: &Summary{
			Resources: []Resource{{Name: "jobs", Kind: "queue", Cloud: "aws", MovedFrom: "orders", Action: Update, Changes: []Change{
				{Address: "module.jobs.aws_sqs_queue.dead_letter[0]", Type: "aws_sqs_queue", Action: Update, MovedFrom: "module.orders.aws_sqs_queue.dead_letter[0]"},
				{Address: "module.jobs.aws_sqs_queue.this", Type: "aws_sqs_queue", Action: Move, MovedFrom: "module.orders.aws_sqs_queue.this"},
			}}},
			Counts: Counts{Update: 1, Move: 1},
		},
	}
	bp.Resources = append(bp.Resources, &blueprints.Resource{Name: "jobs", Kind: blueprints.KindQueue, Cloud: blueprints.AWS, RenamedFrom: []string{"orders"}})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := FromPlan(tc.plan, bp)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
