package cost

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/skyform/skyform/blueprints"
)

// WriteText renders the report for people: the estimate per resource and
// cloud side by side in the blueprint's region, every priced item with a
// column per region, the totals, the free tiers apart, the usage
// assumptions and the price rows used with their sources and dates.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	var clouds []string
	for _, c := range r.Clouds {
		clouds = append(clouds, string(c))
	}
	p("Monthly estimate of blueprint %q on %s, in USD (%d hours a month; * marks the blueprint's region).\n", r.Blueprint, strings.Join(clouds, ", "), r.HoursPerMonth)
	p("\"no price\": the price table has no figure for that item there, so a total with one is a lower bound (+).\n\n")

	home := r.Region
	if !containsStr(r.Regions, home) {
		home = r.Regions[0]
	}
	p("Per resource, in %s:\n", home)
	p("RESOURCE\tKIND")
	for _, c := range r.Clouds {
		p("\t%s", strings.ToUpper(string(c)))
	}
	p("\n")
	for _, res := range r.resources() {
		kind := "implicit"
		for _, it := range r.Items {
			if it.Resource == res && it.Kind != "" {
				kind = string(it.Kind)
			}
		}
		p("%s\t%s", res, kind)
		for _, c := range r.Clouds {
			p("\t%s", r.sum(c, home, func(it Item) bool { return it.Resource == res }))
		}
		p("\n")
	}
	p("total\t")
	for _, c := range r.Clouds {
		p("\t%s", r.sum(c, home, func(Item) bool { return true }))
	}
	p("\n\n")

	p("Per item:\nCLOUD\tRESOURCE\tITEM\tQUANTITY")
	for _, reg := range r.Regions {
		p("\t%s", r.regionHead(reg))
	}
	p("\tNOTE\n")
	for _, c := range r.Clouds {
		for _, it := range r.Items {
			if it.Cloud != c {
				continue
			}
			p("%s\t%s\t%s\t%s", c, it.Resource, it.What, quantityUnit(it.Quantity, it.Unit))
			for _, reg := range r.Regions {
				if v, ok := it.USD[reg]; ok {
					p("\t%s", usd(v))
				} else {
					p("\tno price")
				}
			}
			p("\t%s\n", it.Note)
		}
		p("%s\ttotal\t\t", c)
		for _, t := range r.Totals {
			if t.Cloud == c {
				p("\t%s", t.text(t.USD))
			}
		}
		p("\t\n")
		for _, ft := range r.FreeTiers {
			if ft.Cloud != c {
				continue
			}
			p("%s\tfree tier\t%s (%s)\t", c, ft.Name, ft.Allowance)
			for _, reg := range r.Regions {
				if v, ok := ft.USD[reg]; ok && ft.NotApplied {
					p("\tnot applied")
				} else if ok {
					p("\t-%s", usd(v))
				} else {
					p("\tno price")
				}
			}
			p("\t%s\n", ft.Note)
		}
		p("%s\tafter free tier\t\t", c)
		for _, t := range r.Totals {
			if t.Cloud == c {
				p("\t%s", t.text(t.AfterFreeTier))
			}
		}
		p("\t\n")
	}
	p("\nHow the quantities were reached:\nCLOUD\tRESOURCE\tITEM\tBASIS\n")
	for _, it := range r.Items {
		p("%s\t%s\t%s\t%s\n", it.Cloud, it.Resource, it.What, it.Basis)
	}
	p("\nUsage assumptions (set them in a resource's usage block or with --usage FILE):\nRESOURCE\tFIELD\tVALUE\tFROM\n")
	for _, a := range r.Assumptions {
		p("%s\t%s\t%s\t%s\n", a.Resource, a.Field, a.Value, a.From)
	}
	p("\nPrices used:\nCLOUD\tREGION\tSKU\tUSD\tPER\tREAD\tSOURCE\n")
	for _, pr := range r.Prices {
		p("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", pr.Cloud, pr.Region, pr.SKU, strconv.FormatFloat(pr.USD, 'f', -1, 64), pr.Unit, pr.Read, pr.Source)
	}
	return tw.Flush()
}

// resources lists the resources with items, implicit ones first.
func (r *Report) resources() []string {
	var out []string
	seen := map[string]bool{}
	for _, pass := range []bool{true, false} {
		for _, it := range r.Items {
			if (it.Kind == "") == pass && !seen[it.Resource] {
				seen[it.Resource] = true
				out = append(out, it.Resource)
			}
		}
	}
	return out
}

// sum is the cost of the items of cloud c that keep selects, in a region:
// "-" when there are none, with "+" when some lack a price.
func (r *Report) sum(c blueprints.Cloud, region string, keep func(Item) bool) string {
	n, unpriced, total := 0, 0, 0.0
	for _, it := range r.Items {
		if it.Cloud != c || !keep(it) {
			continue
		}
		n++
		if v, ok := it.USD[region]; ok {
			total += v
		} else {
			unpriced++
		}
	}
	switch {
	case n == 0:
		return "-"
	case unpriced == n:
		return "no price"
	}
	return totalText(total, unpriced)
}

func (r *Report) regionHead(reg string) string {
	if reg == r.Region {
		return strings.ToUpper(reg) + "*"
	}
	return strings.ToUpper(reg)
}

// quantityUnit writes "1,460 hour" or "3 x 1M requests".
func quantityUnit(q float64, unit string) string {
	if unit != "" && unit[0] >= '0' && unit[0] <= '9' {
		return quantity(q) + " x " + unit
	}
	return quantity(q) + " " + unit
}

func totalText(v float64, unpriced int) string {
	if unpriced > 0 {
		return fmt.Sprintf("%s+ (%d no price)", usd(v), unpriced)
	}
	return usd(v)
}

func usd(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
}

// quantity writes a monthly quantity readably: whole numbers with
// thousands separators, small ones with four significant digits.
func quantity(q float64) string {
	switch {
	case q == math.Trunc(q) && q < 1e15:
		return count(int(q))
	case q >= 100:
		return count(int(math.Round(q)))
	}
	return strconv.FormatFloat(q, 'g', 4, 64)
}

func (t Total) text(v float64) string {
	if t.Unpriced > 0 && t.Unpriced == t.Items {
		return "no price"
	}
	return totalText(v, t.Unpriced)
}
