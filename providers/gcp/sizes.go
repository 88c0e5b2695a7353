package gcp

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
)

// sizes is the GCP size table. Every row matches the neutral vCPU and memory
// exactly, so using a size never needs a warning.
//
// Databases use Cloud SQL custom tiers db-custom-<vCPUs>-<MiB>: 1 or an even
// number of vCPUs, 0.9 to 6.5 GiB per vCPU in 256 MiB steps, at least
// 3840 MiB; 2 vCPUs with 4 GiB (2 GiB per vCPU) is within those rules. Custom
// tiers exist in the Enterprise edition only, which the database module sets.
//
// Cluster nodes use E2 standard machine types (4 GiB per vCPU), which GKE
// supports as on-demand and as Spot VMs.
var sizes = []providers.SizeMapping{
	{Kind: blueprints.KindDatabase, Size: blueprints.Small, Type: "db-custom-2-4096", VCPU: 2, MemoryGiB: 4},
	{Kind: blueprints.KindDatabase, Size: blueprints.Medium, Type: "db-custom-2-8192", VCPU: 2, MemoryGiB: 8},
	{Kind: blueprints.KindDatabase, Size: blueprints.Large, Type: "db-custom-4-16384", VCPU: 4, MemoryGiB: 16},
	{Kind: blueprints.KindDatabase, Size: blueprints.XLarge, Type: "db-custom-8-32768", VCPU: 8, MemoryGiB: 32},
	{Kind: blueprints.KindCluster, Size: blueprints.Small, Type: "e2-standard-2", VCPU: 2, MemoryGiB: 8},
	{Kind: blueprints.KindCluster, Size: blueprints.Medium, Type: "e2-standard-4", VCPU: 4, MemoryGiB: 16},
	{Kind: blueprints.KindCluster, Size: blueprints.Large, Type: "e2-standard-8", VCPU: 8, MemoryGiB: 32},
	{Kind: blueprints.KindCluster, Size: blueprints.XLarge, Type: "e2-standard-16", VCPU: 16, MemoryGiB: 64},
}

// Sizes is the GCP size table.
func (*Cloud) Sizes() []providers.SizeMapping {
	return append([]providers.SizeMapping(nil), sizes...)
}

// sizeOf returns the table row of a kind and size.
func sizeOf(k blueprints.Kind, s blueprints.Size) (providers.SizeMapping, bool) {
	for _, m := range sizes {
		if m.Kind == k && m.Size == s {
			return m, true
		}
	}
	return providers.SizeMapping{}, false
}
