package pricelist

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/skyform/skyform/blueprints"
)

// awsOffer is an AWS Price List API bulk offer file.
type awsOffer struct {
	OfferCode       string `json:"offerCode"`
	Version         string `json:"version"`
	PublicationDate string `json:"publicationDate"`
	Products        map[string]struct {
		SKU           string            `json:"sku"`
		ProductFamily string            `json:"productFamily"`
		Attributes    map[string]string `json:"attributes"`
	} `json:"products"`
	Terms struct {
		OnDemand map[string]map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				Description  string            `json:"description"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

func (*awsOffer) cloud() blueprints.Cloud { return blueprints.AWS }

func (f *awsOffer) lookup(c component) map[string]found {
	out := map[string]found{}
	if c.Service != f.OfferCode {
		return out
	}
	skus := make([]string, 0, len(f.Products))
	for s := range f.Products {
		skus = append(skus, s)
	}
	sort.Strings(skus)
	for _, s := range skus {
		p := f.Products[s]
		attr := func(k string) string {
			if k == "productFamily" {
				return p.ProductFamily
			}
			return p.Attributes[k]
		}
		reg := p.Attributes["regionCode"]
		if reg == "" || !matchAll(c.Match, attr) {
			continue
		}
		if _, done := out[reg]; done {
			continue
		}
		// The first paid tier: the lowest beginRange with a price above zero.
		best, bestBegin := -1.0, -1.0
		for _, term := range f.Terms.OnDemand[s] {
			for _, d := range term.PriceDimensions {
				usd, err := strconv.ParseFloat(d.PricePerUnit["USD"], 64)
				if err != nil || usd <= 0 {
					continue
				}
				begin, _ := strconv.ParseFloat(d.BeginRange, 64)
				if bestBegin < 0 || begin < bestBegin {
					best, bestBegin = usd, begin
				}
			}
		}
		if best > 0 {
			out[reg] = found{best, "AWS Price List API: " + f.OfferCode + " offer file, SKU " + s + ", publication " + f.PublicationDate}
		}
	}
	return out
}

// gcpSKUs is a Cloud Billing Catalog API SKU list response.
type gcpSKUs struct {
	SKUs []struct {
		SKUID       string `json:"skuId"`
		Description string `json:"description"`
		Category    struct {
			ServiceDisplayName string `json:"serviceDisplayName"`
			ResourceFamily     string `json:"resourceFamily"`
			ResourceGroup      string `json:"resourceGroup"`
			UsageType          string `json:"usageType"`
		} `json:"category"`
		ServiceRegions []string `json:"serviceRegions"`
		PricingInfo    []struct {
			EffectiveTime     string `json:"effectiveTime"`
			PricingExpression struct {
				UsageUnit   string `json:"usageUnit"`
				TieredRates []struct {
					StartUsageAmount json.Number `json:"startUsageAmount"`
					UnitPrice        struct {
						CurrencyCode string      `json:"currencyCode"`
						Units        json.Number `json:"units"`
						Nanos        json.Number `json:"nanos"`
					} `json:"unitPrice"`
				} `json:"tieredRates"`
			} `json:"pricingExpression"`
		} `json:"pricingInfo"`
	} `json:"skus"`
}

func (*gcpSKUs) cloud() blueprints.Cloud { return blueprints.GCP }

func (f *gcpSKUs) lookup(c component) map[string]found {
	out := map[string]found{}
	for _, s := range f.SKUs {
		attr := func(k string) string {
			switch k {
			case "description":
				return s.Description
			case "serviceDisplayName":
				return s.Category.ServiceDisplayName
			case "resourceGroup":
				return s.Category.ResourceGroup
			case "usageType":
				return s.Category.UsageType
			case "usageUnit":
				if len(s.PricingInfo) > 0 {
					return s.PricingInfo[0].PricingExpression.UsageUnit
				}
			}
			return ""
		}
		if len(s.PricingInfo) == 0 || !matchAll(c.Match, attr) {
			continue
		}
		pi := s.PricingInfo[0]
		usd := -1.0
		for _, t := range pi.PricingExpression.TieredRates {
			if t.UnitPrice.CurrencyCode != "USD" {
				continue
			}
			units, _ := t.UnitPrice.Units.Float64()
			nanos, _ := t.UnitPrice.Nanos.Float64()
			if v := units + nanos/1e9; v > 0 {
				usd = v
				break
			}
		}
		if usd <= 0 {
			continue
		}
		for _, reg := range expandGlobal(s.ServiceRegions) {
			if _, done := out[reg]; !done {
				out[reg] = found{usd, "Cloud Billing Catalog API: SKU " + s.SKUID + " (" + s.Description + "), effective " + pi.EffectiveTime}
			}
		}
	}
	return out
}

// azurePage is one page of the Azure Retail Prices API.
type azurePage struct {
	Items []struct {
		CurrencyCode       string  `json:"currencyCode"`
		TierMinimumUnits   float64 `json:"tierMinimumUnits"`
		RetailPrice        float64 `json:"retailPrice"`
		ArmRegionName      string  `json:"armRegionName"`
		EffectiveStartDate string  `json:"effectiveStartDate"`
		MeterID            string  `json:"meterId"`
		MeterName          string  `json:"meterName"`
		ProductName        string  `json:"productName"`
		SKUName            string  `json:"skuName"`
		ServiceName        string  `json:"serviceName"`
		UnitOfMeasure      string  `json:"unitOfMeasure"`
		Type               string  `json:"type"`
		ArmSKUName         string  `json:"armSkuName"`
	} `json:"Items"`
	NextPageLink *string `json:"NextPageLink"`
}

func (*azurePage) cloud() blueprints.Cloud { return blueprints.Azure }

func (f *azurePage) lookup(c component) map[string]found {
	out := map[string]found{}
	best := map[string]float64{}
	for _, it := range f.Items {
		attr := func(k string) string {
			switch k {
			case "serviceName":
				return it.ServiceName
			case "productName":
				return it.ProductName
			case "skuName":
				return it.SKUName
			case "meterName":
				return it.MeterName
			case "armSkuName":
				return it.ArmSKUName
			case "unitOfMeasure":
				return it.UnitOfMeasure
			}
			return ""
		}
		if it.Type != "Consumption" || it.CurrencyCode != "USD" || it.RetailPrice <= 0 || !matchAll(c.Match, attr) {
			continue
		}
		// The first paid tier: the lowest tierMinimumUnits with a price.
		if b, seen := best[it.ArmRegionName]; seen && b <= it.TierMinimumUnits {
			continue
		}
		best[it.ArmRegionName] = it.TierMinimumUnits
		out[it.ArmRegionName] = found{it.RetailPrice / perUnit(it.UnitOfMeasure), "Azure Retail Prices API: meter " + it.MeterID + " (" + it.ProductName + ", " + it.MeterName + " per " + it.UnitOfMeasure + "), effective " + it.EffectiveStartDate}
	}
	return out
}

// perUnit is how many units an Azure unitOfMeasure prices: "1 Hour" 1,
// "10K" 10,000, "1M" 1,000,000, "100 GB Seconds" 100.
func perUnit(uom string) float64 {
	f := strings.Fields(uom)
	if len(f) == 0 {
		return 1
	}
	n, mult := f[0], 1.0
	switch {
	case strings.HasSuffix(n, "K"):
		n, mult = strings.TrimSuffix(n, "K"), 1e3
	case strings.HasSuffix(n, "M"):
		n, mult = strings.TrimSuffix(n, "M"), 1e6
	}
	v, err := strconv.ParseFloat(n, 64)
	if err != nil || v <= 0 {
		return 1
	}
	return v * mult
}

// expandGlobal turns the "global" service region of a SKU priced the same
// everywhere into every GCP region of the neutral table.
func expandGlobal(regions []string) []string {
	var out []string
	for _, r := range regions {
		if r != "global" {
			out = append(out, r)
			continue
		}
		for _, nr := range blueprints.NeutralRegions {
			out = append(out, nr.Native[blueprints.GCP])
		}
	}
	return out
}
