// Package cost estimates what a blueprint costs per month on each cloud,
// from an embedded, dated price table (prices.csv) and explicit usage
// assumptions.
//
// It prices what lowering really emits: the blueprint is retargeted to
// each cloud and lowered by that cloud's package, and every module call
// (the resources' and the implicit ones: network endpoints, NAT) is read
// for the SKUs it creates: instance classes and machine types from the
// clouds' size tables, storage, high availability, node counts. Usage the
// blueprint cannot know (requests, messages, durations, hours, average
// nodes) comes from defaults, the resource's usage block or a usage file,
// and every figure says which.
//
// Nothing is silently zero: an item whose price is not in the table for a
// region is reported as having no price there, and a total that lacks one
// says so. Free tiers are computed per account and kept apart from the
// totals. The table is data, not code: every row names its source (a
// price page or a price list API) and the date it was read; `make prices`
// regenerates it from the providers' price list files (internal/cost/gen).
package cost
