package gcp

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

const gcp = blueprints.GCP

// projectVariable is the root variable that names the Google Cloud project.
const projectVariable = "gcp_project"

// Cloud lowers blueprints to Google Cloud.
type Cloud struct{}

var _ providers.Cloud = (*Cloud)(nil)

// New returns the Google Cloud lowering.
func New() *Cloud { return &Cloud{} }

// Name is gcp.
func (*Cloud) Name() blueprints.Cloud { return gcp }

// Provider is hashicorp/google at the release the embedded schemas come from.
func (*Cloud) Provider() providers.Provider {
	return providers.Provider{LocalName: "google", Source: "hashicorp/google", Version: offline.GoogleVersion}
}

// lowering carries what every resource's lowering needs.
type lowering struct {
	in     *providers.Input
	bp     *blueprints.Blueprint
	ds     diag.Diagnostics
	region string
	// consumers lists, per queue name, the functions placed on GCP that the
	// queue triggers, in name order.
	consumers map[string][]string
}

// Lower turns the resources placed on Google Cloud into module calls.
func (c *Cloud) Lower(in *providers.Input) (*providers.Fragment, diag.Diagnostics) {
	l := &lowering{in: in, bp: in.Blueprint, consumers: map[string][]string{}}
	region, rds := providers.Region(l.bp, gcp)
	l.region = region
	l.ds = append(l.ds, rds...)
	for _, r := range in.Resources {
		if r.Kind != blueprints.KindFunction {
			continue
		}
		seen := map[string]bool{}
		for _, t := range r.Function.Triggers {
			if t.Queue != "" && !seen[t.Queue] {
				seen[t.Queue] = true
				l.consumers[t.Queue] = append(l.consumers[t.Queue], r.Name)
			}
		}
	}

	frag := &providers.Fragment{
		Providers: []*tfir.Block{l.providerBlock()},
		Variables: []*tfir.Block{projectVariableBlock()},
	}
	if providers.NeedsNetwork(l.bp, in.Resources) {
		b := providers.NetworkCall(l.bp, gcp)
		b.Set("region", tfir.String(l.region))
		frag.Modules = append(frag.Modules, b)
		frag.ModulesUsed = append(frag.ModulesUsed, "gcp/network")
	}
	kinds := map[blueprints.Kind]bool{}
	for _, r := range in.Resources {
		kinds[r.Kind] = true
	}
	frag.Modules = append(frag.Modules, providers.EachCopy(l.bp, in.Resources, l, func(l *lowering, r *blueprints.Resource) *tfir.Block {
		return providers.Call(gcp, r, providers.Kinds{Queue: l.queue, Function: l.function, Database: l.database, Cluster: l.cluster})
	})...)
	for _, k := range blueprints.Kinds {
		if kinds[k] {
			frag.ModulesUsed = append(frag.ModulesUsed, "gcp/"+string(k))
		}
	}
	return frag, l.ds
}

// Diagnostics is where lowering collects its diagnostics (for
// providers.EachCopy).
func (l *lowering) Diagnostics() *diag.Diagnostics { return &l.ds }

// providerBlock configures google with the project variable and the
// blueprint's region; modules that need a region get it explicitly too, so
// a module read on its own says where it runs.
func (l *lowering) providerBlock() *tfir.Block {
	b := tfir.NewBlock("provider", "google")
	b.Set("project", tfir.Ref("var", projectVariable))
	b.Set("region", tfir.String(l.region))
	return b
}

func projectVariableBlock() *tfir.Block {
	b := tfir.NewBlock("variable", projectVariable)
	b.Set("type", tfir.TypeConstraint("string"))
	b.Set("description", tfir.String("Google Cloud project to deploy into, by id (e.g. my-project-123)."))
	v := b.Nest("validation")
	v.Set("condition", tfir.Call{Name: "can", Args: []tfir.Expr{tfir.Call{Name: "regex", Args: []tfir.Expr{
		tfir.String(`^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$`),
		tfir.Ref("var", projectVariable),
	}}}})
	v.Set("error_message", tfir.String("A project id is 6 to 30 lower-case letters, digits or dashes, starts with a letter and does not end with a dash."))
	return b
}
