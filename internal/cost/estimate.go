package cost

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/providers"
)

// DefaultRegions are the neutral regions every estimate has a column for;
// the price table covers them. The blueprint's own region is added when it
// is not one of them.
var DefaultRegions = []string{"us-east", "europe-west", "asia-southeast"}

// HoursPerMonth is the month the estimates are for: 730 hours, the figure
// the clouds' own calculators use.
const HoursPerMonth = 730

// Options says what to estimate.
type Options struct {
	// Clouds are the clouds to price the whole blueprint on; empty means all.
	Clouds []blueprints.Cloud
	// Regions are the neutral regions to price in; empty means
	// DefaultRegions and the blueprint's region.
	Regions []string
	// Usage holds usage assumptions read from a usage file, by resource;
	// they take precedence over the blueprint's usage blocks.
	Usage map[string]*blueprints.Usage
	// Table is the price table; nil means the embedded one.
	Table *Table
}

// Report is a monthly estimate.
type Report struct {
	Blueprint string `json:"blueprint"`
	// Region is the blueprint's region; Regions are the columns priced.
	Region  string             `json:"region"`
	Regions []string           `json:"regions"`
	Clouds  []blueprints.Cloud `json:"clouds"`
	// HoursPerMonth is the length of the month estimated.
	HoursPerMonth int          `json:"hours_per_month"`
	Assumptions   []Assumption `json:"assumptions"`
	Items         []Item       `json:"items"`
	FreeTiers     []FreeTier   `json:"free_tiers"`
	Totals        []Total      `json:"totals"`
	// Prices are the table rows the estimate used.
	Prices []Price `json:"prices"`
}

// Assumption is one usage figure an estimate rests on and where it comes
// from: "default", "blueprint" or "usage file".
type Assumption struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Value    string `json:"value"`
	From     string `json:"from"`
}

// Item is one priced SKU of one resource on one cloud: a quantity per
// month in the SKU's unit, and its cost in each region (nil: no price).
type Item struct {
	Cloud blueprints.Cloud `json:"cloud"`
	// Resource is the neutral resource, or "network" for what the cloud's
	// implicit network creates.
	Resource string          `json:"resource"`
	Kind     blueprints.Kind `json:"kind,omitempty"`
	SKU      string          `json:"sku"`
	What     string          `json:"what"`
	Quantity float64         `json:"quantity"`
	Unit     string          `json:"unit"`
	// Basis says how the quantity was reached.
	Basis string `json:"basis"`
	// USD is the cost per region; a region missing from it has no price.
	USD map[string]float64 `json:"usd"`
	// NoPrice lists the regions the table has no price for, with why.
	NoPrice map[string]string `json:"no_price,omitempty"`
	Note    string            `json:"note,omitempty"`

	// freeTier names the account-wide free tier the item draws on.
	freeTier string
}

// FreeTier is an account-wide monthly free allowance of one cloud, shown
// apart from the totals: what it takes off in each region.
type FreeTier struct {
	Cloud     blueprints.Cloud   `json:"cloud"`
	Name      string             `json:"name"`
	Allowance string             `json:"allowance"`
	USD       map[string]float64 `json:"usd"`
	// NotApplied is set for a free tier listed for what it does not cover.
	NotApplied bool   `json:"not_applied,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Total is what one cloud costs in one region: before and after the free
// tiers, and how many items lack a price (then the total is a lower bound).
type Total struct {
	Cloud         blueprints.Cloud `json:"cloud"`
	Region        string           `json:"region"`
	USD           float64          `json:"usd"`
	FreeTier      float64          `json:"free_tier"`
	AfterFreeTier float64          `json:"after_free_tier"`
	// Items is how many items the cloud has; Unpriced how many of them
	// have no price in the region.
	Items    int `json:"items"`
	Unpriced int `json:"unpriced"`
}

// eksDesired is the desired size the AWS cluster module gives a node group
// that sets none: its min, at least one node, at most its max.
func eksDesired(min, max int) int {
	if min < 1 {
		min = 1
	}
	if min > max {
		return max
	}
	return min
}

// usage is a resource's resolved usage assumptions; nodes holds only the
// pools whose average was written.
type usage struct {
	requests, messages int
	messageKB, hours   int
	duration           time.Duration
	nodes              map[string]int
}

// Estimate prices a valid blueprint. Diagnostics are the lowering's
// errors on a cloud (the blueprint cannot be priced there); an error is a
// system failure (an unreadable price table, a table row of the wrong unit).
func Estimate(bp *blueprints.Blueprint, opts Options) (*Report, diag.Diagnostics, error) {
	t := opts.Table
	if t == nil {
		var err error
		if t, err = Embedded(); err != nil {
			return nil, nil, err
		}
	}
	clouds := opts.Clouds
	if len(clouds) == 0 {
		clouds = blueprints.Clouds
	}
	regions := opts.Regions
	if len(regions) == 0 {
		regions = append([]string(nil), DefaultRegions...)
		if n := bp.Region.Neutral; n != "" && !containsStr(regions, n) {
			regions = append(regions, n)
		}
	}
	rep := &Report{Blueprint: bp.Name, Region: bp.Region.Neutral, Regions: regions, Clouds: clouds, HoursPerMonth: HoursPerMonth}
	if rep.Region == "" {
		rep.Region = bp.Region.Name()
	}
	us := map[string]usage{}
	for _, r := range bp.Resources {
		u, as := resolveUsage(r, opts.Usage[r.Name])
		us[r.Name] = u
		rep.Assumptions = append(rep.Assumptions, as...)
	}

	var ds diag.Diagnostics
	for _, c := range clouds {
		items, lds := lowerAndList(bp, c, us)
		ds = append(ds, lds.Errs()...)
		if lds.HasErrors() {
			continue
		}
		if err := price(t, c, regions, items, rep); err != nil {
			return nil, nil, err
		}
		rep.Items = append(rep.Items, items...)
		rep.FreeTiers = append(rep.FreeTiers, freeTiers(c, regions, items)...)
	}
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds, nil
	}
	rep.totals()
	sort.SliceStable(rep.Prices, func(i, j int) bool {
		a, b := rep.Prices[i], rep.Prices[j]
		if a.Cloud != b.Cloud {
			return cloudIndex(a.Cloud) < cloudIndex(b.Cloud)
		}
		if a.SKU != b.SKU {
			return a.SKU < b.SKU
		}
		return a.Region < b.Region
	})
	return rep, nil, nil
}

func cloudIndex(c blueprints.Cloud) int {
	for i, x := range blueprints.Clouds {
		if x == c {
			return i
		}
	}
	return len(blueprints.Clouds)
}

// resolveUsage merges the defaults, the blueprint's usage block and the
// usage file's, and lists the figures that matter for the resource's kind.
func resolveUsage(r *blueprints.Resource, file *blueprints.Usage) (usage, []Assumption) {
	u := usage{requests: 1_000_000, duration: 200 * time.Millisecond, messages: 1_000_000, messageKB: 1, hours: HoursPerMonth, nodes: map[string]int{}}
	from := func(field string) (*blueprints.Usage, string) {
		if file.Set(field) {
			return file, "usage file"
		}
		if r.Usage.Set(field) {
			return r.Usage, "blueprint"
		}
		return nil, "default"
	}
	var as []Assumption
	add := func(field, value, src string) {
		as = append(as, Assumption{Resource: r.Name, Field: field, Value: value, From: src})
	}
	// take sets one whole-number figure from where it was written, and
	// lists it as an assumption.
	take := func(field string, dst *int, get func(*blueprints.Usage) int, unit string) {
		src, s := from(field)
		if src != nil {
			*dst = get(src)
		}
		add(field, strconv.Itoa(*dst)+unit, s)
	}
	switch r.Kind {
	case blueprints.KindFunction:
		take("requests", &u.requests, func(x *blueprints.Usage) int { return x.Requests }, " per month")
		ms := int(u.duration.Milliseconds())
		take("duration_ms", &ms, func(x *blueprints.Usage) int { return x.DurationMS }, " ms average")
		u.duration = time.Duration(ms) * time.Millisecond
	case blueprints.KindQueue:
		take("messages", &u.messages, func(x *blueprints.Usage) int { return x.Messages }, " per month")
		take("message_kb", &u.messageKB, func(x *blueprints.Usage) int { return x.MessageKB }, " KiB average")
	case blueprints.KindDatabase, blueprints.KindCluster:
		take("hours", &u.hours, func(x *blueprints.Usage) int { return x.Hours }, " per month")
	}
	if r.Cluster != nil {
		for _, p := range r.Cluster.NodePools {
			n, s, set := 0, "", true
			switch {
			case file.Set("nodes." + p.Name):
				n, s = file.Nodes[p.Name], "usage file"
			case r.Usage.Set("nodes." + p.Name):
				n, s = r.Usage.Nodes[p.Name], "blueprint"
			default:
				set = false
			}
			if set {
				u.nodes[p.Name] = n
				add("nodes."+p.Name, strconv.Itoa(n)+" on average", s)
				continue
			}
			// Without a figure, each cloud's pool runs what its module
			// leaves it at: GKE's and AKS's autoscalers bring a pool down
			// to its min; an EKS node group keeps its desired size, at
			// least one node, since no autoscaler is installed.
			add("nodes."+p.Name, fmt.Sprintf("%d (gcp, azure: the min), %d (aws: the node group's desired size)", p.Min, eksDesired(p.Min, p.Max)), "default")
		}
	}
	return u, as
}

// lowerAndList lowers the blueprint retargeted to cloud c and lists the
// priced items of every module call. Function sources are not read: the
// packages only name the zip, which costs nothing to estimate.
func lowerAndList(bp *blueprints.Blueprint, c blueprints.Cloud, us map[string]usage) ([]Item, diag.Diagnostics) {
	rb := bp.Retarget(c)
	in := &providers.Input{Blueprint: rb, Resources: rb.Placed(c), Packages: map[string]providers.Package{}}
	for _, r := range in.Resources {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip"}
		}
	}
	frag, ds := compiler.Lookup(c).Lower(in)
	if ds.HasErrors() || frag == nil {
		return nil, ds
	}
	byID := map[string]*blueprints.Resource{}
	for _, r := range rb.Resources {
		byID[r.ID()] = r
	}
	var items []Item
	for _, m := range frag.Modules {
		a := blockArgs(m)
		mod := strings.TrimPrefix(a.str("source", ""), "./modules/")
		r := byID[m.Labels[0]]
		var u usage
		name := "network"
		if r != nil {
			u, name = us[r.Name], r.Name
		}
		list := lister{cloud: c, resource: name, r: r, u: u, a: a}
		switch mod {
		case "aws/queue":
			list.awsQueue()
		case "aws/function":
			list.awsFunction()
		case "aws/database":
			list.awsDatabase()
		case "aws/cluster":
			list.awsCluster()
		case "aws/network":
			list.awsNetwork()
		case "gcp/queue":
			list.gcpQueue()
		case "gcp/function":
			list.gcpFunction()
		case "gcp/database":
			list.gcpDatabase()
		case "gcp/cluster":
			list.gcpCluster()
		case "azure/queue":
			list.azureQueue()
		case "azure/function":
			list.azureFunction()
		case "azure/database":
			list.azureDatabase()
		case "azure/cluster":
			list.azureCluster()
		case "azure/network":
			list.azureNetwork()
		case "gcp/network", "azure/group":
			// VPC networks, subnets, peering ranges and resource groups
			// have no charge of their own.
		default:
			return nil, ds.Errorf(bp.Region.Range, "", "cannot estimate module "+mod, "skyform has no cost model for the module %s; this is a bug in skyform", mod)
		}
		items = append(items, list.items...)
	}
	return items, ds
}

// lister collects the items of one module call.
type lister struct {
	cloud    blueprints.Cloud
	resource string
	r        *blueprints.Resource
	u        usage
	a        args
	items    []Item
}

func (l *lister) add(it Item) {
	it.Cloud, it.Resource = l.cloud, l.resource
	if l.r != nil {
		it.Kind = l.r.Kind
	}
	l.items = append(l.items, it)
}

// price fills each item's cost per region from the table, and records
// the rows used.
func price(t *Table, c blueprints.Cloud, regions []string, items []Item, rep *Report) error {
	used := map[string]bool{}
	for _, p := range rep.Prices {
		used[key(p.Cloud, p.Region, p.SKU)] = true
	}
	for i := range items {
		it := &items[i]
		it.USD = map[string]float64{}
		for _, reg := range regions {
			native, ok := nativeRegion(reg, c)
			if !ok {
				noPrice(it, reg, "no "+string(c)+" region")
				continue
			}
			p, ok := t.Lookup(c, native, it.SKU)
			if !ok && it.Quantity == 0 {
				// None of it is used, whatever it would cost.
				it.USD[reg] = 0
				continue
			}
			if !ok {
				why := "not in the price table for " + native
				if it.Note != "" && strings.HasPrefix(it.SKU, "spot:") {
					why = it.Note
				}
				noPrice(it, reg, why)
				continue
			}
			if p.Unit != it.Unit {
				return fmt.Errorf("price table: %s in %s is priced per %q, but skyform counts it in %q", p.SKU, native, p.Unit, it.Unit)
			}
			it.USD[reg] = it.Quantity * p.USD
			if k := key(c, native, it.SKU); !used[k] {
				used[k] = true
				rep.Prices = append(rep.Prices, p)
			}
		}
	}
	return nil
}

func noPrice(it *Item, region, why string) {
	if it.NoPrice == nil {
		it.NoPrice = map[string]string{}
	}
	it.NoPrice[region] = why
}

// nativeRegion is a neutral region's name on a cloud.
func nativeRegion(neutral string, c blueprints.Cloud) (string, bool) {
	for _, nr := range blueprints.NeutralRegions {
		if nr.Key == neutral {
			n, ok := nr.Native[c]
			return n, ok
		}
	}
	return "", false
}

func (rep *Report) totals() {
	for _, c := range rep.Clouds {
		for _, reg := range rep.Regions {
			t := Total{Cloud: c, Region: reg}
			for _, it := range rep.Items {
				if it.Cloud != c {
					continue
				}
				t.Items++
				if v, ok := it.USD[reg]; ok {
					t.USD += v
				} else {
					t.Unpriced++
				}
			}
			for _, ft := range rep.FreeTiers {
				if ft.Cloud == c {
					t.FreeTier += ft.USD[reg]
				}
			}
			t.AfterFreeTier = math.Max(0, t.USD-t.FreeTier)
			rep.Totals = append(rep.Totals, t)
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
