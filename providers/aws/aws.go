package aws

import (
	"maps"
	"sort"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// Cloud lowers the resources a blueprint places on AWS.
type Cloud struct{}

// New returns the AWS lowering.
func New() *Cloud { return &Cloud{} }

var _ providers.Cloud = (*Cloud)(nil)

const cloud = blueprints.AWS

// Name is "aws".
func (*Cloud) Name() blueprints.Cloud { return cloud }

// Provider is hashicorp/aws at the release the embedded schemas come from.
func (*Cloud) Provider() providers.Provider {
	return providers.Provider{LocalName: "aws", Source: "hashicorp/aws", Version: offline.AWSVersion}
}

// lowering holds what one Lower call learns across resources: which
// network the resources need, and which clusters databases must admit.
type lowering struct {
	bp *blueprints.Blueprint
	in *providers.Input
	ds diag.Diagnostics

	// network is set when something on AWS needs the implicit network.
	network bool
	// nat is set when the network gets a NAT gateway: EKS nodes need one.
	nat bool
	// endpoints are the interface endpoints functions in the VPC need,
	// when there is no NAT gateway to reach the AWS APIs through.
	endpoints map[string]bool
	// clusters are the EKS clusters, in name order; databases admit their
	// nodes (through the VPC range) when there is one.
	clusters []*blueprints.Resource
	used     map[blueprints.Kind]bool
	// dbs holds each function's databases on AWS.
	dbs map[string][]*blueprints.Resource
}

// Lower turns the resources placed on AWS into module calls.
func (*Cloud) Lower(in *providers.Input) (*providers.Fragment, diag.Diagnostics) {
	l := &lowering{
		bp:        in.Blueprint,
		in:        in,
		endpoints: map[string]bool{},
		used:      map[blueprints.Kind]bool{},
		dbs:       map[string][]*blueprints.Resource{},
	}
	region, ds := providers.Region(l.bp, cloud)
	l.ds = ds
	l.survey()

	resources := providers.Each(l.bp, in.Resources, l, func() *lowering {
		w := *l
		w.ds, w.endpoints, w.used = nil, map[string]bool{}, map[blueprints.Kind]bool{}
		return &w
	}, func(w *lowering) {
		l.ds = append(l.ds, w.ds...)
		maps.Copy(l.endpoints, w.endpoints)
		maps.Copy(l.used, w.used)
	}, func(l *lowering, r *blueprints.Resource) *tfir.Block {
		b := providers.Call(cloud, r, l.kinds())
		if b == nil {
			return nil
		}
		l.used[r.Kind] = true
		return b
	})

	frag := &providers.Fragment{}
	p := tfir.NewBlock("provider", "aws")
	p.Set("region", tfir.String(region))
	frag.Providers = []*tfir.Block{p}
	if l.network {
		frag.Modules = append(frag.Modules, l.networkCall())
		frag.ModulesUsed = append(frag.ModulesUsed, "aws/network")
	}
	frag.Modules = append(frag.Modules, resources...)
	for _, k := range []blueprints.Kind{blueprints.KindQueue, blueprints.KindFunction, blueprints.KindDatabase, blueprints.KindCluster} {
		if l.used[k] {
			frag.ModulesUsed = append(frag.ModulesUsed, "aws/"+string(k))
		}
	}
	return frag, l.ds
}

// kinds is the lowering of each kind of resource, on l.
func (l *lowering) kinds() providers.Kinds {
	return providers.Kinds{Queue: l.queue, Function: l.function, Database: l.database, Cluster: l.cluster}
}

// survey decides, before any module call is built, what the network must
// offer: databases and clusters live in it, functions join it to reach a
// database on AWS, and clusters need a NAT gateway.
func (l *lowering) survey() {
	for _, r := range l.in.Resources {
		switch r.Kind {
		case blueprints.KindCluster:
			l.network, l.nat = true, true
			l.clusters = append(l.clusters, r)
		case blueprints.KindDatabase:
			l.network = true
		case blueprints.KindFunction:
			l.dbs[r.Name] = l.databasesOnAWS(r)
			if len(l.dbs[r.Name]) > 0 {
				l.network = true
			}
		}
	}
}

// databasesOnAWS are the databases on AWS a function's environment refers
// to, in name order; the function joins the VPC to reach them.
// (providers.DatabasesReferenced does the same for every cloud, but looks
// each reference up by a scan of the blueprint.)
func (l *lowering) databasesOnAWS(r *blueprints.Resource) []*blueprints.Resource {
	seen := map[string]bool{}
	var out []*blueprints.Resource
	for _, e := range r.Function.Env {
		for _, ref := range e.Value.Refs() {
			t := l.bp.Resource(ref.Resource)
			if t != nil && t.Kind == blueprints.KindDatabase && t.Cloud == cloud && !seen[t.Name] {
				seen[t.Name] = true
				out = append(out, t)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (l *lowering) networkCall() *tfir.Block {
	b := providers.NetworkCall(l.bp, cloud)
	b.SetIf(l.nat, "nat_gateway", tfir.Bool(true))
	if len(l.endpoints) > 0 {
		b.Set("interface_endpoints", tfir.Strings(sortedKeys(l.endpoints)...))
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
