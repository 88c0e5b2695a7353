package azure

import (
	"sort"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
	"github.com/zclconf/go-cty/cty"
)

const azure = blueprints.Azure

// groupID is the implicit module holding the blueprint's resource group.
const groupID = "azure_group"

// Cloud lowers blueprints to Azure.
type Cloud struct{}

var _ providers.Cloud = (*Cloud)(nil)

// New returns the Azure lowering.
func New() *Cloud { return &Cloud{} }

// Name is azure.
func (*Cloud) Name() blueprints.Cloud { return azure }

// Provider is hashicorp/azurerm at the release the embedded schemas come from.
func (*Cloud) Provider() providers.Provider {
	return providers.Provider{LocalName: "azurerm", Source: "hashicorp/azurerm", Version: offline.AzureRMVersion}
}

// lowering carries what every resource's lowering needs.
type lowering struct {
	in  *providers.Input
	bp  *blueprints.Blueprint
	ds  diag.Diagnostics
	net networkNeeds
	// databases holds what each function's environment refers to.
	databases map[string][]*blueprints.Resource
}

// Lower turns the resources placed on Azure into module calls.
func (c *Cloud) Lower(in *providers.Input) (*providers.Fragment, diag.Diagnostics) {
	l := &lowering{in: in, bp: in.Blueprint}
	location, rds := providers.Region(l.bp, azure)
	l.ds = append(l.ds, rds...)
	l.databases = referencedDatabases(l.bp, in.Resources)
	l.net = needs(in.Resources, l.databases)

	frag := &providers.Fragment{
		Providers:   []*tfir.Block{providerBlock(resourceProviders(in.Resources, l.net))},
		Variables:   []*tfir.Block{subscriptionVariable()},
		Modules:     []*tfir.Block{groupCall(l.bp, location)},
		ModulesUsed: []string{"azure/group"},
	}
	for _, r := range in.Resources {
		if r.Database != nil && r.Database.Engine == blueprints.MySQL {
			// The MySQL administrator password reaches Azure only through
			// write-only arguments, which terraform understands from 1.11 on.
			frag.MinTerraform = "1.11.0"
		}
	}
	if providers.NeedsNetwork(l.bp, in.Resources) && l.net.any() {
		frag.Modules = append(frag.Modules, l.networkCall())
		frag.ModulesUsed = append(frag.ModulesUsed, "azure/network")
	}
	kinds := map[blueprints.Kind]bool{}
	for _, r := range in.Resources {
		kinds[r.Kind] = true
	}
	frag.Modules = append(frag.Modules, providers.EachCopy(l.bp, in.Resources, l, func(l *lowering, r *blueprints.Resource) *tfir.Block {
		return providers.Call(azure, r, providers.Kinds{Queue: l.queue, Function: l.function, Database: l.database, Cluster: l.cluster})
	})...)
	for _, k := range blueprints.Kinds {
		if kinds[k] {
			frag.ModulesUsed = append(frag.ModulesUsed, "azure/"+string(k))
		}
	}
	return frag, l.ds
}

// Diagnostics is where lowering collects its diagnostics (for
// providers.EachCopy).
func (l *lowering) Diagnostics() *diag.Diagnostics { return &l.ds }

// providerBlock configures azurerm. Since azurerm 4 the subscription must be
// given; leaving the variable null lets ARM_SUBSCRIPTION_ID (or the Azure
// CLI's default subscription) supply it, as CI systems usually do.
func providerBlock(rps []string) *tfir.Block {
	b := tfir.NewBlock("provider", "azurerm")
	b.Nest("features")
	b.Set("subscription_id", tfir.Ref("var", "azure_subscription_id"))
	b.SetIf(len(rps) > 0, "resource_providers_to_register", tfir.Strings(rps...))
	return b
}

// resourceProviders lists the Azure resource providers the fragment's
// resources need beyond azurerm's core set (compute, network, storage,
// managed identity, authorization), which azurerm 5 registers by default.
// A new subscription has none of them, and Microsoft.App, which Flex
// Consumption VNet integration needs, is in none of azurerm's sets.
func resourceProviders(rs []*blueprints.Resource, net networkNeeds) []string {
	set := map[string]bool{}
	for _, r := range rs {
		switch r.Kind {
		case blueprints.KindQueue:
			set["Microsoft.ServiceBus"] = true
		case blueprints.KindFunction:
			set["Microsoft.Web"] = true
		case blueprints.KindDatabase:
			if r.Database.Engine == blueprints.MySQL {
				set["Microsoft.DBforMySQL"] = true
				set["Microsoft.KeyVault"] = true
			} else {
				set["Microsoft.DBforPostgreSQL"] = true
			}
		case blueprints.KindCluster:
			set["Microsoft.ContainerService"] = true
		}
	}
	if net.functions {
		set["Microsoft.App"] = true
	}
	out := make([]string, 0, len(set))
	for rp := range set {
		out = append(out, rp)
	}
	sort.Strings(out)
	return out
}

func subscriptionVariable() *tfir.Block {
	b := tfir.NewBlock("variable", "azure_subscription_id")
	b.Set("type", tfir.TypeConstraint("string"))
	b.Set("description", tfir.String("Azure subscription to deploy into; null uses ARM_SUBSCRIPTION_ID or the Azure CLI's default subscription."))
	b.Set("default", tfir.Literal{V: cty.NullVal(cty.String)})
	return b
}

func groupCall(bp *blueprints.Blueprint, location string) *tfir.Block {
	b := tfir.NewBlock("module", groupID)
	b.Set("source", tfir.String(providers.ModuleSource(azure, "group")))
	b.Set("name", tfir.String(bp.Name))
	b.Set("labels", providers.LabelsExpr(bp, nil))
	b.Set("location", tfir.String(location))
	return b
}

// inGroup places a resource's module in the blueprint's resource group.
func inGroup(b *tfir.Block) {
	b.Set("resource_group_name", groupName)
	b.Set("location", groupLocation)
}

// Every resource refers to the group's name and location: one expression
// each, shared (an expression is never changed once built).
var (
	groupName     = tfir.Ref("module", groupID, "name")
	groupLocation = tfir.Ref("module", groupID, "location")
)

// networkNeeds says which subnets and DNS zones the network must hold.
type networkNeeds struct {
	cluster, functions, postgres, mysql bool
}

func (n networkNeeds) any() bool { return n.cluster || n.functions || n.postgres || n.mysql }

func needs(rs []*blueprints.Resource, databases map[string][]*blueprints.Resource) networkNeeds {
	var n networkNeeds
	for _, r := range rs {
		switch r.Kind {
		case blueprints.KindCluster:
			n.cluster = true
		case blueprints.KindDatabase:
			n.postgres = n.postgres || r.Database.Engine == blueprints.Postgres
			n.mysql = n.mysql || r.Database.Engine == blueprints.MySQL
		case blueprints.KindFunction:
			n.functions = n.functions || onAzure(databases[r.Name])
		}
	}
	return n
}

// referencedDatabases runs DatabasesReferenced once per function.
func referencedDatabases(bp *blueprints.Blueprint, rs []*blueprints.Resource) map[string][]*blueprints.Resource {
	out := map[string][]*blueprints.Resource{}
	for _, r := range rs {
		if r.Kind == blueprints.KindFunction {
			out[r.Name] = providers.DatabasesReferenced(bp, r)
		}
	}
	return out
}

func onAzure(rs []*blueprints.Resource) bool {
	for _, r := range rs {
		if r.Cloud == azure {
			return true
		}
	}
	return false
}

func (l *lowering) networkCall() *tfir.Block {
	b := providers.NetworkCall(l.bp, azure)
	inGroup(b)
	b.SetIf(l.net.cluster, "cluster", tfir.Bool(true))
	b.SetIf(l.net.functions, "functions", tfir.Bool(true))
	b.SetIf(l.net.postgres, "postgres", tfir.Bool(true))
	b.SetIf(l.net.mysql, "mysql", tfir.Bool(true))
	return b
}
