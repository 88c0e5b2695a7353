package tfir

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// TestMovedAddresses reads the moved blocks back in both syntaxes the way
// terraform does: from and to must be static traversals, not values.
func TestMovedAddresses(t *testing.T) {
	want := [][2]string{{"module.orders", "module.jobs"}, {"module.jobs", "module.tasks"}}
	schema := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "moved"}}}
	moveSchema := &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "from", Required: true}, {Name: "to", Required: true}}}
	read := func(t *testing.T, f *hcl.File) [][2]string {
		t.Helper()
		content, diags := f.Body.Content(schema)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		var got [][2]string
		for _, b := range content.Blocks {
			attrs, diags := b.Body.Content(moveSchema)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var pair [2]string
			for i, name := range []string{"from", "to"} {
				tr, diags := hcl.AbsTraversalForExpr(attrs.Attributes[name].Expr)
				if diags.HasErrors() {
					t.Fatalf("%s is not an address: %v", name, diags)
				}
				pair[i] = tr.RootName() + "." + tr[1].(hcl.TraverseAttr).Name
			}
			got = append(got, pair)
		}
		return got
	}
	c := tricky()
	hclOut, err := c.HCL()
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(hclOut["moved.tf"], "moved.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(want, read(t, f)); diff != "" {
		t.Errorf("HCL moves (-want +got):\n%s", diff)
	}
	jsonOut, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	f, diags = hcljson.Parse(jsonOut["moved.tf.json"], "moved.tf.json")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(want, read(t, f)); diff != "" {
		t.Errorf("JSON moves (-want +got):\n%s", diff)
	}
}
