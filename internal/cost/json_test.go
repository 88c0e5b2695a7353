package cost

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The JSON view rounds money to cents and quantities to 10 significant
// digits, keeps table prices as stated, and leaves the report it was made
// from alone.
func TestRounded(t *testing.T) {
	rep := &Report{
		Items: []Item{{SKU: "x", Quantity: 39.99999999999999, USD: map[string]float64{"us-east": 0.39840000000000003, "europe-west": 2.345}},
			{SKU: "y", Quantity: 0.0018626451492309570, USD: map[string]float64{"us-east": -0.0001}}},
		FreeTiers: []FreeTier{{Name: "f", USD: map[string]float64{"us-east": -0.8016000000000001}}},
		Totals:    []Total{{USD: 67.28000000000001, FreeTier: -1.5300000000000002, AfterFreeTier: 65.75000000000001}},
		Prices:    []Price{{SKU: "x", USD: 0.0000166667}},
	}
	got := rep.Rounded()
	want := &Report{
		Items: []Item{{SKU: "x", Quantity: 40, USD: map[string]float64{"us-east": 0.4, "europe-west": 2.35}},
			{SKU: "y", Quantity: 0.001862645149, USD: map[string]float64{"us-east": 0}}},
		FreeTiers: []FreeTier{{Name: "f", USD: map[string]float64{"us-east": -0.8}}},
		Totals:    []Total{{USD: 67.28, FreeTier: -1.53, AfterFreeTier: 65.75}},
		Prices:    []Price{{SKU: "x", USD: 0.0000166667}},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(Item{})); d != "" {
		t.Errorf("Rounded (-want +got):\n%s", d)
	}
	if rep.Items[0].USD["us-east"] != 0.39840000000000003 || rep.Totals[0].USD != 67.28000000000001 {
		t.Errorf("Rounded changed the report it copied: %+v", rep)
	}
}

// A real estimate's JSON carries no float noise in its money.
func TestRoundedEstimateJSON(t *testing.T) {
	bp := load(t, "../../examples/k8s-platform/skyform.yaml")
	rep, ds, err := Estimate(bp, Options{})
	if err != nil || ds.HasErrors() {
		t.Fatalf("estimate: %v %v", err, ds)
	}
	b, err := json.Marshal(struct {
		Items     []Item     `json:"items"`
		FreeTiers []FreeTier `json:"free_tiers"`
		Totals    []Total    `json:"totals"`
	}{rep.Rounded().Items, rep.Rounded().FreeTiers, rep.Rounded().Totals})
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`"(usd|free_tier|after_free_tier|[a-z-]+-[a-z]+)":-?[0-9]+\.[0-9]{3,}`).Find(b); m != nil {
		t.Errorf("money with more than two decimals in the JSON view: %s", m)
	}
}
