package gcp

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// cluster maps a neutral cluster onto a regional GKE Standard cluster with
// one node pool per blueprint pool.
func (l *lowering) cluster(r *blueprints.Resource) *tfir.Block {
	c := r.Cluster
	b := providers.ModuleCall(l.bp, gcp, r)
	b.Set("region", tfir.String(l.region))
	b.Set("network_id", providers.NetworkOutput(gcp, "network_id"))
	b.Set("subnet_id", providers.NetworkOutput(gcp, "subnet_id"))
	version := c.Kubernetes
	if version == "" {
		version = "1.32"
	}
	b.Set("kubernetes_version", tfir.String(version))
	b.Set("private_endpoint", tfir.Bool(c.PrivateEndpoint))

	pools := make(tfir.Object, 0, len(c.NodePools))
	for _, p := range c.NodePools {
		size, ok := sizeOf(blueprints.KindCluster, p.Size)
		if !ok {
			size, _ = sizeOf(blueprints.KindCluster, blueprints.Medium)
		}
		pools = append(pools, tfir.ObjectAttr{Key: p.Name, Value: tfir.Object{
			{Key: "machine_type", Value: tfir.String(size.Type)},
			{Key: "min", Value: tfir.Number(int64(p.Min))},
			{Key: "max", Value: tfir.Number(int64(p.Max))},
			{Key: "spot", Value: tfir.Bool(p.Spot)},
		}})
	}
	b.Set("node_pools", pools)
	return b
}
