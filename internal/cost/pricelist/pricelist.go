package pricelist

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/cost"
)

// match is one attribute condition: Value must equal the attribute, or
// with Suffix end it, or with Not not contain it.
type match struct {
	Key, Value          string
	Prefix, Suffix, Not bool
}

func eq(k, v string) match      { return match{Key: k, Value: v} }
func suffix(k, v string) match  { return match{Key: k, Value: v, Suffix: true} }
func prefix(k, v string) match  { return match{Key: k, Value: v, Prefix: true} }
func without(k, v string) match { return match{Key: k, Value: v, Not: true} }
func (m match) ok(v string) bool {
	switch {
	case m.Not:
		return !strings.Contains(v, m.Value)
	case m.Suffix:
		return strings.HasSuffix(v, m.Value)
	case m.Prefix:
		return strings.HasPrefix(v, m.Value)
	}
	return v == m.Value
}

func matchAll(ms []match, attr func(string) string) bool {
	for _, m := range ms {
		if !m.ok(attr(m.Key)) {
			return false
		}
	}
	return true
}

// component is one priced meter a row is made of, times Factor (a machine
// type priced per vCPU and per GiB, a per-request price per million).
type component struct {
	// Service is the AWS offer code (AmazonEC2) or, for GCP and Azure,
	// unused (the files given are searched).
	Service string
	Match   []match
	Factor  float64
}

// Rule makes one row of the table for each region a file prices it in.
type Rule struct {
	Cloud       blueprints.Cloud
	SKU         string
	Description string
	Unit        string
	Parts       []component
}

// found is a price read for one component in one region.
type found struct {
	usd    float64
	source string
}

// File is one price list file, parsed.
type File interface {
	// lookup returns the first paid tier price of the component per
	// region, with the source to record.
	lookup(c component) map[string]found
	cloud() blueprints.Cloud
}

// Generate applies the rules to the files: one row per rule and region
// where every part of the rule is priced. read is the date to record.
func Generate(rules []Rule, files []File, read string) []cost.Price {
	var out []cost.Price
	for _, r := range rules {
		var sums map[string]float64
		sources := map[string][]string{}
		for i, p := range r.Parts {
			got := map[string]found{}
			for _, f := range files {
				if f.cloud() != r.Cloud {
					continue
				}
				for reg, fd := range f.lookup(p) {
					if _, dup := got[reg]; !dup {
						got[reg] = fd
					}
				}
			}
			next := map[string]float64{}
			for reg, fd := range got {
				if i == 0 || hasKey(sums, reg) {
					next[reg] = sums[reg] + fd.usd*p.Factor
					sources[reg] = append(sources[reg], fd.source)
				}
			}
			sums = next
		}
		regs := make([]string, 0, len(sums))
		for reg := range sums {
			regs = append(regs, reg)
		}
		sort.Strings(regs)
		for _, reg := range regs {
			out = append(out, cost.Price{Cloud: r.Cloud, Region: reg, SKU: r.SKU, Description: r.Description, Unit: r.Unit,
				USD: round(sums[reg]), Source: strings.Join(dedupe(sources[reg]), "; "), Read: read})
		}
	}
	return out
}

func hasKey(m map[string]float64, k string) bool { _, ok := m[k]; return ok }

// round drops the float noise of unit conversions (0.4 not 0.39999999).
func round(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	return f
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Merge replaces the rows of base that generated has (same cloud, region
// and SKU) and appends the new ones, keeping base's order.
func Merge(base, generated []cost.Price) []cost.Price {
	k := func(p cost.Price) string { return string(p.Cloud) + "|" + p.Region + "|" + p.SKU }
	gen := map[string]cost.Price{}
	for _, p := range generated {
		gen[k(p)] = p
	}
	var out []cost.Price
	for _, p := range base {
		if g, ok := gen[k(p)]; ok {
			p = g
			delete(gen, k(p))
		}
		out = append(out, p)
	}
	for _, p := range generated {
		if _, ok := gen[k(p)]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Read parses a price list file of a cloud.
func Read(c blueprints.Cloud, r io.Reader) (File, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	switch c {
	case blueprints.AWS:
		var f awsOffer
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("AWS offer file: %w", err)
		}
		if f.OfferCode == "" || f.Products == nil {
			return nil, fmt.Errorf("AWS offer file: no offerCode or products")
		}
		return &f, nil
	case blueprints.GCP:
		var f gcpSKUs
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("Cloud Billing Catalog SKU list: %w", err)
		}
		if f.SKUs == nil {
			return nil, fmt.Errorf("Cloud Billing Catalog SKU list: no skus")
		}
		return &f, nil
	case blueprints.Azure:
		var f azurePage
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("Azure Retail Prices page: %w", err)
		}
		if f.Items == nil {
			return nil, fmt.Errorf("Azure Retail Prices page: no Items")
		}
		return &f, nil
	}
	return nil, fmt.Errorf("unknown cloud %q", c)
}
