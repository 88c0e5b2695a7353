package aws

import (
	"fmt"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// eksMaxNodesPerGroup is EKS's default quota of nodes per managed node
// group (adjustable through Service Quotas).
const eksMaxNodesPerGroup = 450

// cluster maps a neutral cluster onto EKS with one managed node group per
// node pool.
func (l *lowering) cluster(r *blueprints.Resource) *tfir.Block {
	c := r.Cluster
	b := providers.ModuleCall(l.bp, cloud, r)

	version := c.Kubernetes
	if v, ok := eksVersions[version]; ok && v.Replacement != "" && !providers.Overridden(r, cloud, "kubernetes_version") {
		l.ds = providers.Approximated(l.ds, cloud, r, "kubernetes", "Kubernetes "+version,
			"%s; the cluster is created on %s instead, as EKS itself would upgrade it, so check the workloads against the APIs removed since %s (or override kubernetes_version for aws)", v.Replaced, v.Replacement, version)
		version = v.Replacement
	}
	if v, ok := eksVersions[version]; ok && v.Extended != "" && !providers.Overridden(r, cloud, "kubernetes_version") {
		l.ds = l.ds.Warnf(r.At("kubernetes"), r.Path("kubernetes"), fmt.Sprintf("Kubernetes %s is in EKS extended support", version),
			"%s; EKS bills a cluster in extended support $0.60 instead of $0.10 per hour. Override kubernetes_version for aws to a version in standard support to avoid it", v.Extended)
	}
	b.Set("kubernetes_version", tfir.String(version))

	// The API server always has a private endpoint, so nodes reach it
	// without leaving the VPC; private_endpoint removes the public one.
	b.Set("endpoint_private_access", tfir.Bool(true))
	b.Set("endpoint_public_access", tfir.Bool(!c.PrivateEndpoint))
	b.Set("subnet_ids", providers.NetworkOutput(cloud, "private_subnet_ids"))

	pools := make(tfir.Object, 0, len(c.NodePools))
	var scaling []string
	for _, p := range c.NodePools {
		m, _ := sizeFor(blueprints.KindCluster, p.Size)
		types := []string{m.Type}
		capacity := "ON_DEMAND"
		if p.Spot {
			types = append(types, spotAlternatives[m.Type]...)
			capacity = "SPOT"
		}
		if p.Max > eksMaxNodesPerGroup {
			field := "node_pools." + p.Name + ".max"
			l.ds = l.ds.Warnf(r.At(field), r.Path(field), fmt.Sprintf("node pool %s exceeds the EKS default quota", p.Name),
				"EKS allows %d nodes per managed node group by default; request a higher \"Nodes per managed node group\" quota before the pool grows past it", eksMaxNodesPerGroup)
		}
		if p.Min < p.Max {
			scaling = append(scaling, p.Name)
		}
		pools = append(pools, tfir.ObjectAttr{Key: p.Name, Value: tfir.Object{
			{Key: "instance_types", Value: tfir.Strings(types...)},
			{Key: "capacity_type", Value: tfir.String(capacity)},
			{Key: "min_size", Value: tfir.Number(int64(p.Min))},
			{Key: "max_size", Value: tfir.Number(int64(p.Max))},
		}})
	}
	b.Set("node_pools", pools)
	if len(scaling) > 0 {
		l.ds = providers.Approximated(l.ds, cloud, r, "node_pools", "node pool autoscaling",
			"an EKS managed node group only bounds its size between min and max; it starts at min (at least 1) and changes only when an autoscaler such as Cluster Autoscaler or Karpenter runs in the cluster (pools: %s)", strings.Join(scaling, ", "))
	}
	return b
}
