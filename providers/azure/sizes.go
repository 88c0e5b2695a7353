package azure

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
)

// The size table. Database SKUs exist for both flexible server engines
// (Dadsv5 is a General Purpose series of PostgreSQL and of MySQL), so one
// row serves both. Node sizes are Dsv5 VMs, four GiB per vCPU.
var sizes = []providers.SizeMapping{
	{Kind: blueprints.KindDatabase, Size: blueprints.Small, Type: "B_Standard_B2s", VCPU: 2, MemoryGiB: 4,
		Note: "Burstable: full speed only while CPU credits last, and no high availability"},
	{Kind: blueprints.KindDatabase, Size: blueprints.Medium, Type: "GP_Standard_D2ads_v5", VCPU: 2, MemoryGiB: 8},
	{Kind: blueprints.KindDatabase, Size: blueprints.Large, Type: "GP_Standard_D4ads_v5", VCPU: 4, MemoryGiB: 16},
	{Kind: blueprints.KindDatabase, Size: blueprints.XLarge, Type: "GP_Standard_D8ads_v5", VCPU: 8, MemoryGiB: 32},

	{Kind: blueprints.KindCluster, Size: blueprints.Small, Type: "Standard_D2s_v5", VCPU: 2, MemoryGiB: 8},
	{Kind: blueprints.KindCluster, Size: blueprints.Medium, Type: "Standard_D4s_v5", VCPU: 4, MemoryGiB: 16},
	{Kind: blueprints.KindCluster, Size: blueprints.Large, Type: "Standard_D8s_v5", VCPU: 8, MemoryGiB: 32},
	{Kind: blueprints.KindCluster, Size: blueprints.XLarge, Type: "Standard_D16s_v5", VCPU: 16, MemoryGiB: 64},
}

// haDatabaseSKU replaces the Burstable size when a database wants high
// availability, which Burstable servers cannot have: the smallest General
// Purpose size, with more memory than asked.
const haDatabaseSKU = "GP_Standard_D2ads_v5"

// Sizes returns the size table.
func (*Cloud) Sizes() []providers.SizeMapping { return sizes }

func sizeOf(k blueprints.Kind, s blueprints.Size) providers.SizeMapping {
	for _, m := range sizes {
		if m.Kind == k && m.Size == s {
			return m
		}
	}
	return providers.SizeMapping{}
}
