package cost

import (
	"math"
	"strconv"
)

// Rounded returns a copy of the report for the JSON view: every amount of
// money (items, free tiers, totals) rounded to cents, as the text view
// shows them, and quantities to 10 significant digits, so sums of floats
// read as figures (2.3, not 2.3000000000000003). Table prices are kept as
// the table states them.
func (r *Report) Rounded() *Report {
	out := *r
	out.Items = make([]Item, len(r.Items))
	for i, it := range r.Items {
		it.Quantity = significant(it.Quantity)
		it.USD = centsMap(it.USD)
		out.Items[i] = it
	}
	out.FreeTiers = make([]FreeTier, len(r.FreeTiers))
	for i, f := range r.FreeTiers {
		f.USD = centsMap(f.USD)
		out.FreeTiers[i] = f
	}
	out.Totals = make([]Total, len(r.Totals))
	for i, t := range r.Totals {
		t.USD, t.FreeTier, t.AfterFreeTier = cents(t.USD), cents(t.FreeTier), cents(t.AfterFreeTier)
		out.Totals[i] = t
	}
	return &out
}

// cents rounds an amount of USD to the cent (half away from zero).
func cents(v float64) float64 {
	c := math.Round(v*100) / 100
	if c == 0 {
		return 0 // no -0 in the output
	}
	return c
}

func centsMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = cents(v)
	}
	return out
}

// significant rounds v to 10 significant digits.
func significant(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	if err != nil {
		return v
	}
	return r
}
