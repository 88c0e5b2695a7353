package aws

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
)

// sizes maps the neutral sizes onto RDS instance classes and EC2 instance
// types. Targets (the same on every cloud): database small 2 vCPU/4 GiB,
// medium 2/8, large 4/16, xlarge 8/32; cluster node small 2/8, medium 4/16,
// large 8/32, xlarge 16/64.
//
// Databases use Graviton3 db.m7g, which RDS offers for every MySQL and
// PostgreSQL version the blueprint accepts (at the default minor versions RDS
// picks for them); RDS has no fixed-performance class with 2 vCPU and 4 GiB,
// so small is the burstable db.t4g.medium. Nodes use x86 m7i so that any
// container image runs (EKS's AL2023_x86_64_STANDARD AMI).
var sizes = []providers.SizeMapping{
	{Kind: blueprints.KindDatabase, Size: blueprints.Small, Type: "db.t4g.medium", VCPU: 2, MemoryGiB: 4,
		Note: "burstable: sustained CPU above the baseline (20% of each vCPU) spends CPU credits, then costs extra (unlimited mode)"},
	{Kind: blueprints.KindDatabase, Size: blueprints.Medium, Type: "db.m7g.large", VCPU: 2, MemoryGiB: 8},
	{Kind: blueprints.KindDatabase, Size: blueprints.Large, Type: "db.m7g.xlarge", VCPU: 4, MemoryGiB: 16},
	{Kind: blueprints.KindDatabase, Size: blueprints.XLarge, Type: "db.m7g.2xlarge", VCPU: 8, MemoryGiB: 32},
	{Kind: blueprints.KindCluster, Size: blueprints.Small, Type: "m7i.large", VCPU: 2, MemoryGiB: 8},
	{Kind: blueprints.KindCluster, Size: blueprints.Medium, Type: "m7i.xlarge", VCPU: 4, MemoryGiB: 16},
	{Kind: blueprints.KindCluster, Size: blueprints.Large, Type: "m7i.2xlarge", VCPU: 8, MemoryGiB: 32},
	{Kind: blueprints.KindCluster, Size: blueprints.XLarge, Type: "m7i.4xlarge", VCPU: 16, MemoryGiB: 64},
}

// spotAlternatives are further instance types of exactly the same vCPU and
// memory as the primary one. A spot node group that may draw on several
// types is interrupted less often and finds capacity more easily.
var spotAlternatives = map[string][]string{
	"m7i.large":   {"m6i.large", "m7a.large", "m6a.large"},
	"m7i.xlarge":  {"m6i.xlarge", "m7a.xlarge", "m6a.xlarge"},
	"m7i.2xlarge": {"m6i.2xlarge", "m7a.2xlarge", "m6a.2xlarge"},
	"m7i.4xlarge": {"m6i.4xlarge", "m7a.4xlarge", "m6a.4xlarge"},
}

// Sizes is the AWS size table.
func (*Cloud) Sizes() []providers.SizeMapping {
	return append([]providers.SizeMapping(nil), sizes...)
}

func sizeFor(k blueprints.Kind, s blueprints.Size) (providers.SizeMapping, bool) {
	for _, m := range sizes {
		if m.Kind == k && m.Size == s {
			return m, true
		}
	}
	return providers.SizeMapping{}, false
}
