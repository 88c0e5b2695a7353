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

func TestImports(t *testing.T) {
	bp := &blueprints.Blueprint{Resources: []*blueprints.Resource{
		{Name: "orders", Kind: blueprints.KindQueue, Cloud: blueprints.AWS},
		{Name: "worker", Kind: blueprints.KindFunction, Cloud: blueprints.AWS},
	}}
	s := FromChanges([]Change{
		{Address: "module.orders.aws_sqs_queue.this", Type: "aws_sqs_queue", Action: UIAction("import")},
		{Address: "module.worker.aws_lambda_function.this", Type: "aws_lambda_function", Action: UIAction("update"), Imported: true},
		{Address: "module.worker.aws_iam_role.this", Type: "aws_iam_role", Action: UIAction("create")},
	}, bp)
	want := Counts{Create: 1, Update: 1, Import: 2}
	if d := cmp.Diff(want, s.Counts); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
	if s.Resources[0].Action != Import || s.Resources[1].Action != Update {
		t.Errorf("actions %s, %s; want import (nothing else happens to orders), update", s.Resources[0].Action, s.Resources[1].Action)
	}
	if got := s.CountLine(); got != "Plan: 1 to create, 1 to update, 0 to replace, 0 to destroy, 2 to import." {
		t.Errorf("count line %q", got)
	}
	if !s.HasChanges() {
		t.Error("a plan that only imports needs an apply to record the objects")
	}
	plan := &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
		{Address: "module.orders.aws_sqs_queue.this", Type: "aws_sqs_queue", Mode: tfjson.ManagedResourceMode,
			Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionNoop}, Importing: &tfjson.Importing{ID: "https://q"}}},
	}}
	if got := FromPlan(plan, bp); got.Counts.Import != 1 || got.Resources[0].Action != Import {
		t.Errorf("from a plan file: %+v", got)
	}
}
