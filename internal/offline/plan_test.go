package offline

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// testBlock is a miniature resource schema with every shape the planner
// distinguishes: computed, optional+computed and plain arguments, and
// nested blocks of each nesting mode with computed attributes inside.
var testBlock = &tfprotov5.SchemaBlock{
	Attributes: []*tfprotov5.SchemaAttribute{
		{Name: "arn", Type: tftypes.String, Computed: true},
		{Name: "id", Type: tftypes.String, Optional: true, Computed: true},
		{Name: "name", Type: tftypes.String, Required: true},
		{Name: "size", Type: tftypes.Number, Optional: true, Computed: true},
		{Name: "tags", Type: tftypes.Map{ElementType: tftypes.String}, Optional: true},
	},
	BlockTypes: []*tfprotov5.SchemaNestedBlock{
		{TypeName: "rule", Nesting: tfprotov5.SchemaNestedBlockNestingModeList, Block: &tfprotov5.SchemaBlock{
			Attributes: []*tfprotov5.SchemaAttribute{
				{Name: "port", Type: tftypes.Number, Required: true},
				{Name: "rule_id", Type: tftypes.String, Computed: true},
			},
		}},
		{TypeName: "setting", Nesting: tfprotov5.SchemaNestedBlockNestingModeSet, Block: &tfprotov5.SchemaBlock{
			Attributes: []*tfprotov5.SchemaAttribute{
				{Name: "key", Type: tftypes.String, Required: true},
				{Name: "value", Type: tftypes.String, Optional: true, Computed: true},
			},
		}},
		{TypeName: "timeouts", Nesting: tfprotov5.SchemaNestedBlockNestingModeSingle, Block: &tfprotov5.SchemaBlock{
			Attributes: []*tfprotov5.SchemaAttribute{
				{Name: "create", Type: tftypes.String, Optional: true},
			},
		}},
	},
}

var (
	testType    = testBlock.ValueType()
	ruleType    = testBlock.BlockTypes[0].Block.ValueType()
	settingType = testBlock.BlockTypes[1].Block.ValueType()
	timeoutType = testBlock.BlockTypes[2].Block.ValueType()
	unknown     = tftypes.UnknownValue
)

func str(s string) tftypes.Value        { return tftypes.NewValue(tftypes.String, s) }
func num(n int64) tftypes.Value         { return tftypes.NewValue(tftypes.Number, n) }
func unk(t tftypes.Type) tftypes.Value  { return tftypes.NewValue(t, unknown) }
func null(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, nil) }

func rule(port int64, id tftypes.Value) tftypes.Value {
	return tftypes.NewValue(ruleType, map[string]tftypes.Value{"port": num(port), "rule_id": id})
}

func setting(key string, value tftypes.Value) tftypes.Value {
	return tftypes.NewValue(settingType, map[string]tftypes.Value{"key": str(key), "value": value})
}

// obj builds a testBlock object; fields not given are null (blocks empty).
func obj(fields map[string]tftypes.Value) tftypes.Value {
	attrs := map[string]tftypes.Value{
		"arn":      null(tftypes.String),
		"id":       null(tftypes.String),
		"name":     null(tftypes.String),
		"size":     null(tftypes.Number),
		"tags":     null(tftypes.Map{ElementType: tftypes.String}),
		"rule":     tftypes.NewValue(tftypes.List{ElementType: ruleType}, []tftypes.Value{}),
		"setting":  tftypes.NewValue(tftypes.Set{ElementType: settingType}, []tftypes.Value{}),
		"timeouts": null(timeoutType),
	}
	for k, v := range fields {
		attrs[k] = v
	}
	return tftypes.NewValue(testType, attrs)
}

func rules(elems ...tftypes.Value) tftypes.Value {
	return tftypes.NewValue(tftypes.List{ElementType: ruleType}, elems)
}

func settings(elems ...tftypes.Value) tftypes.Value {
	return tftypes.NewValue(tftypes.Set{ElementType: settingType}, elems)
}

func TestPlanBlock(t *testing.T) {
	created := obj(map[string]tftypes.Value{
		"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3),
		"rule":    rules(rule(80, str("r-1"))),
		"setting": settings(setting("a", str("va"))),
	})
	cases := map[string]struct {
		reason          string
		prior, proposed tftypes.Value
		want            tftypes.Value
	}{
		"create": {
			reason:   "a new object's computed attributes left null, at every level, are unknown",
			prior:    null(testType),
			proposed: obj(map[string]tftypes.Value{"name": str("orders"), "rule": rules(rule(80, null(tftypes.String))), "setting": settings(setting("a", null(tftypes.String)))}),
			want: obj(map[string]tftypes.Value{
				"arn": unk(tftypes.String), "id": unk(tftypes.String), "name": str("orders"), "size": unk(tftypes.Number),
				"rule":    rules(rule(80, unk(tftypes.String))),
				"setting": settings(setting("a", unk(tftypes.String))),
			}),
		},
		"create keeps configured optional+computed values": {
			reason:   "only what the configuration leaves null is the provider's to decide",
			prior:    null(testType),
			proposed: obj(map[string]tftypes.Value{"name": str("orders"), "size": num(5), "setting": settings(setting("a", str("mine")))}),
			want: obj(map[string]tftypes.Value{
				"arn": unk(tftypes.String), "id": unk(tftypes.String), "name": str("orders"), "size": num(5),
				"setting": settings(setting("a", str("mine"))),
			}),
		},
		"no change": {
			reason:   "an unchanged object plans as its prior state",
			prior:    created,
			proposed: created,
			want:     created,
		},
		"update keeps prior computed values": {
			reason: "an existing object's computed attributes are not recomputed by an update",
			prior:  created,
			proposed: obj(map[string]tftypes.Value{
				"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3),
				"tags":    tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"team": str("payments")}),
				"rule":    rules(rule(80, str("r-1"))),
				"setting": settings(setting("a", str("va"))),
			}),
			want: obj(map[string]tftypes.Value{
				"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3),
				"tags":    tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"team": str("payments")}),
				"rule":    rules(rule(80, str("r-1"))),
				"setting": settings(setting("a", str("va"))),
			}),
		},
		"update adds nested elements": {
			reason: "a list element beyond the prior ones and a set element with no equal prior are new objects",
			prior:  created,
			proposed: obj(map[string]tftypes.Value{
				"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3),
				"rule":    rules(rule(80, str("r-1")), rule(443, null(tftypes.String))),
				"setting": settings(setting("a", str("va")), setting("b", null(tftypes.String))),
			}),
			want: obj(map[string]tftypes.Value{
				"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3),
				"rule":    rules(rule(80, str("r-1")), rule(443, unk(tftypes.String))),
				"setting": settings(setting("a", str("va")), setting("b", unk(tftypes.String))),
			}),
		},
		"single block": {
			reason:   "a single nested block is planned in place and its arguments kept",
			prior:    null(testType),
			proposed: obj(map[string]tftypes.Value{"name": str("n"), "timeouts": tftypes.NewValue(timeoutType, map[string]tftypes.Value{"create": str("5m")})}),
			want: obj(map[string]tftypes.Value{
				"arn": unk(tftypes.String), "id": unk(tftypes.String), "name": str("n"), "size": unk(tftypes.Number),
				"timeouts": tftypes.NewValue(timeoutType, map[string]tftypes.Value{"create": str("5m")}),
			}),
		},
		"destroy": {
			reason:   "a null proposal (destroy) plans null",
			prior:    created,
			proposed: null(testType),
			want:     null(testType),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := planBlock(testBlock, tc.prior, tc.proposed)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tc.want) {
				t.Errorf("%s\ngot:  %s\nwant: %s", tc.reason, got, tc.want)
			}
		})
	}
}

func TestRequiresReplace(t *testing.T) {
	prior := obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3)})
	cases := map[string]struct {
		reason  string
		planned tftypes.Value
		want    []string
	}{
		"in-place": {
			reason:  "a change to an ordinary argument is an update",
			planned: obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(4)}),
		},
		"rename": {
			reason:  "a new name is a new resource",
			planned: obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": str("orders-2"), "size": num(3)}),
			want:    []string{"name"},
		},
		"unknown name": {
			reason:  "a name that is not known yet may change",
			planned: obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": unk(tftypes.String), "size": num(3)}),
			want:    []string{"name"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			paths, err := requiresReplace(testBlock, prior, tc.planned, false)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range paths {
				got = append(got, p.String())
			}
			want := make([]string, len(tc.want))
			for i, n := range tc.want {
				want[i] = tftypes.NewAttributePath().WithAttributeName(n).String()
			}
			if len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) {
				t.Errorf("%s: got %v, want %v", tc.reason, got, want)
			}
		})
	}
	if paths, _ := requiresReplace(testBlock, null(testType), prior, false); len(paths) != 0 {
		t.Errorf("a create requires replacement of %v", paths)
	}
	// Imported offline: a null name is one the import could not read, but a
	// name the import knew still forces a new resource when it changes.
	imported := obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": null(tftypes.String), "size": num(3)})
	named := obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": str("orders"), "size": num(3)})
	if paths, _ := requiresReplace(testBlock, imported, named, true); len(paths) != 0 {
		t.Errorf("an imported object's unread name requires replacement: %v", paths)
	}
	if paths, _ := requiresReplace(testBlock, imported, named, false); len(paths) != 1 {
		t.Errorf("a null name set in a created object's config does not require replacement: %v", paths)
	}
	renamed := obj(map[string]tftypes.Value{"arn": str("arn:x"), "id": str("i-1"), "name": str("orders-2"), "size": num(3)})
	if paths, _ := requiresReplace(testBlock, named, renamed, true); len(paths) != 1 {
		t.Errorf("an imported object's known name changed without replacement: %v", paths)
	}
}

func TestPlanNullsWriteOnly(t *testing.T) {
	b := &tfprotov5.SchemaBlock{Attributes: []*tfprotov5.SchemaAttribute{
		{Name: "name", Type: tftypes.String, Required: true},
		{Name: "password_wo", Type: tftypes.String, Optional: true, WriteOnly: true},
	}}
	typ := b.ValueType()
	proposed := tftypes.NewValue(typ, map[string]tftypes.Value{"name": str("db"), "password_wo": str("hunter2")})
	got, err := planBlock(b, null(typ), proposed)
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(typ, map[string]tftypes.Value{"name": str("db"), "password_wo": null(tftypes.String)})
	if !got.Equal(want) {
		t.Errorf("terraform refuses a write-only value in a plan\ngot:  %s\nwant: %s", got, want)
	}
}
