// Package pricelist reads the clouds' public price list files and maps the
// SKUs skyform prices onto rows of its price table (internal/cost):
//
//   - AWS: Price List API bulk offer files (offers/v1.0/aws/<offer>/current/<region>/index.json):
//     products with attributes, and terms.OnDemand price dimensions;
//   - GCP: Cloud Billing Catalog API SKU lists (services/<id>/skus): skus with
//     a description, category, serviceRegions and tiered pricingInfo;
//   - Azure: Retail Prices API pages (api/retail/prices): Items with a
//     service, product, SKU and meter name, armRegionName and retailPrice.
//
// Rules (rules.go) say which product, SKU or meter each table row comes from
// and how its unit converts. A rule that matches nothing in the files given
// yields no row: the row stays as researched, or absent. `make prices` runs
// the command in ./cmd.
package pricelist
