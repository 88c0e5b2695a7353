package azure

import (
	"strconv"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// maxPoolName is the longest name of a Linux node pool.
const maxPoolName = 12

// rotationPool is the cluster module's temporary_name_for_rotation; no pool
// may take it.
const rotationPool = "rotating"

func (l *lowering) cluster(r *blueprints.Resource) *tfir.Block {
	c := r.Cluster
	b := providers.ModuleCall(l.bp, azure, r)
	inGroup(b)
	b.Set("kubernetes_version", tfir.String(c.Kubernetes))
	b.Set("private_cluster", tfir.Bool(c.PrivateEndpoint))
	b.Set("subnet_id", providers.NetworkOutput(azure, "cluster_subnet_id"))

	names := poolNames(c.NodePools)
	for _, p := range c.NodePools {
		if names[p.Name] != p.Name {
			l.ds = providers.Approximated(l.ds, azure, r, "node_pools."+p.Name, "node pool name",
				"AKS names Linux node pools with at most 12 lower-case letters and digits; pool %q is called %q", p.Name, names[p.Name])
		}
	}

	// AKS needs a regular system pool: the first regular pool by name.
	def := -1
	for i, p := range c.NodePools {
		if !p.Spot {
			def = i
			break
		}
	}
	if def < 0 && len(c.NodePools) > 0 {
		def = 0
		p := c.NodePools[0]
		l.ds = providers.Approximated(l.ds, azure, r, "node_pools."+p.Name+".spot", "spot node pool",
			"every pool is spot, but an AKS cluster's default (system) pool cannot be; pool %q runs regular nodes of the same size", p.Name)
	}

	var pools tfir.Object
	for i, p := range c.NodePools {
		size := sizeOf(blueprints.KindCluster, p.Size)
		if i == def {
			lo := p.Min
			if lo < 1 {
				lo = 1
				l.ds = providers.Approximated(l.ds, azure, r, "node_pools."+p.Name+".min", "node pool minimum",
					"pool %q is the cluster's default (system) pool, which keeps at least one node for AKS's own services; min 0 becomes 1", p.Name)
			}
			hi := max(p.Max, lo)
			b.Set("default_pool", tfir.Object{
				{Key: "name", Value: tfir.String(names[p.Name])},
				{Key: "vm_size", Value: tfir.String(size.Type)},
				{Key: "min_count", Value: tfir.Number(int64(lo))},
				{Key: "max_count", Value: tfir.Number(int64(hi))},
			})
			continue
		}
		if p.Spot {
			l.ds = providers.Approximated(l.ds, azure, r, "node_pools."+p.Name+".spot", "spot node pool",
				"AKS taints spot nodes with kubernetes.azure.com/scalesetpriority=spot:NoSchedule; only pods that tolerate it run on pool %q, and evicted nodes are deleted", p.Name)
		}
		pools = append(pools, tfir.ObjectAttr{Key: p.Name, Value: tfir.Object{
			{Key: "name", Value: tfir.String(names[p.Name])},
			{Key: "vm_size", Value: tfir.String(size.Type)},
			{Key: "min_count", Value: tfir.Number(int64(p.Min))},
			{Key: "max_count", Value: tfir.Number(int64(p.Max))},
			{Key: "spot", Value: tfir.Bool(p.Spot)},
		}})
	}
	if len(pools) > 0 {
		b.Set("node_pools", pools)
	}
	return b
}

// poolNames derives AKS pool names from blueprint pool names (in name
// order): dashes dropped, cut to 12 characters, and a number appended when
// two pools would otherwise share a name.
func poolNames(pools []blueprints.NodePool) map[string]string {
	used := map[string]bool{rotationPool: true}
	out := make(map[string]string, len(pools))
	for _, p := range pools {
		base := strings.ReplaceAll(p.Name, "-", "")
		if len(base) > maxPoolName {
			base = base[:maxPoolName]
		}
		name := base
		for n := 2; used[name]; n++ {
			suffix := strconv.Itoa(n)
			cut := min(len(base), maxPoolName-len(suffix))
			name = base[:cut] + suffix
		}
		used[name] = true
		out[p.Name] = name
	}
	return out
}
