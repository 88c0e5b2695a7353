package doctor

import (
	"fmt"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/modules"
	"github.com/skyform/skyform/providers"
	"github.com/zclconf/go-cty/cty"
)

// Needs is what a blueprint's resources placed on one cloud ask of it.
type Needs struct {
	Cloud blueprints.Cloud
	// Region is the cloud's own name of the blueprint's region.
	Region string
	// Machines are the VM types (EC2 instance types, GCE machine types,
	// Azure VM sizes) node pools run on: type → "resource pool POOL".
	Machines map[string][]string
	// Databases are the database classes (RDS instance classes with the
	// engine and version; Cloud SQL tiers; Azure flexible server SKUs).
	Databases []DatabaseNeed
	// APIs are the Google Cloud service APIs the module calls use
	// (pubsub.googleapis.com → the resources that need it).
	APIs map[string][]string
	// MinTerraform is the oldest terraform the generated root module
	// accepts.
	MinTerraform string
}

// DatabaseNeed is one database's class.
type DatabaseNeed struct {
	Class    string
	Engine   string
	Version  string
	Resource string
}

// Requirements lowers the blueprint's resources placed on c (nothing is
// written and no function source is read; bp.Retarget(c) moves them all) and reads the module calls for what they ask of
// the cloud. What stops the blueprint compiling for c comes back as the
// compile's own diagnostics, and no Needs.
func Requirements(bp *blueprints.Blueprint, c blueprints.Cloud) (*Needs, diag.Diagnostics, error) {
	rb := bp
	in := &providers.Input{Blueprint: rb, Resources: rb.Placed(c), Packages: map[string]providers.Package{}}
	for _, r := range in.Resources {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip"}
		}
	}
	p := compiler.Lookup(c)
	if p == nil {
		return nil, nil, fmt.Errorf("unknown cloud %q", c)
	}
	frag, ds := p.Lower(in)
	if frag == nil || ds.HasErrors() {
		var errs diag.Diagnostics
		for _, d := range ds {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		return nil, errs, nil
	}
	var subs *modules.Config
	if rb.Modules != "" {
		cfg, mds, err := modules.LoadConfig(rb.Modules)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot read the module config %s: %w", rb.Modules, err)
		}
		if mds.HasErrors() {
			return nil, mds, nil
		}
		subs = cfg
	}
	region, _, _ := rb.Region.For(c)
	n := &Needs{Cloud: c, Region: region, Machines: map[string][]string{}, APIs: map[string][]string{}, MinTerraform: "1.5.0"}
	if frag.MinTerraform != "" && versionLess(n.MinTerraform, frag.MinTerraform) {
		n.MinTerraform = frag.MinTerraform
	}
	byID := map[string]*blueprints.Resource{}
	for _, r := range rb.Resources {
		byID[r.ID()] = r
	}
	for _, m := range frag.Modules {
		a := argsOf(m)
		mod := strings.TrimPrefix(a.str("source"), "./modules/")
		who := "the network"
		var sub *modules.Substitute
		if r := byID[m.Labels[0]]; r != nil {
			who = string(r.Kind) + " " + r.Name
			sub = subs.Lookup(r.Kind, c)
		}
		switch mod {
		case "aws/cluster", "gcp/cluster", "azure/cluster":
			if dp := a.obj("default_pool"); dp != nil {
				n.machine(dp.str("vm_size"), who+" pool "+dp.str("name"))
			}
			pools := a.obj("node_pools")
			for _, pool := range sortedKeys(pools) {
				pa := pools.obj(pool)
				for _, t := range append(pa.strs("instance_types"), pa.str("machine_type"), pa.str("vm_size")) {
					n.machine(t, who+" pool "+pool)
				}
			}
		case "aws/database":
			n.Databases = append(n.Databases, DatabaseNeed{Class: a.str("instance_class"), Engine: a.str("engine"), Version: a.str("engine_version"), Resource: who})
		case "gcp/database":
			n.Databases = append(n.Databases, DatabaseNeed{Class: a.str("tier"), Engine: a.str("engine"), Version: a.str("database_version"), Resource: who})
		case "azure/database":
			n.Databases = append(n.Databases, DatabaseNeed{Class: a.str("sku_name"), Engine: a.str("engine"), Version: a.str("engine_version"), Resource: who})
		}
		if c == blueprints.GCP && (sub == nil || !sub.Remote()) {
			// A team's local module is read as it is; a remote one is not
			// known before terraform init fetches it.
			var files map[string][]byte
			if sub != nil {
				files = sub.Files
			} else {
				f, err := modules.Files(mod)
				if err != nil {
					return nil, nil, fmt.Errorf("cannot read module %s: %w", mod, err)
				}
				files = f
			}
			apis, err := moduleAPIs(mod, files, a, sub == nil)
			if err != nil {
				return nil, nil, err
			}
			for _, api := range apis {
				n.APIs[api] = appendOnce(n.APIs[api], who)
			}
		}
	}
	return n, nil, nil
}

func (n *Needs) machine(t, who string) {
	if t != "" {
		n.Machines[t] = appendOnce(n.Machines[t], who)
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// gcpAPIs maps the prefix of a google provider resource type to the
// service APIs creating it calls. A Cloud Functions (2nd gen) function is
// built by Cloud Build into Artifact Registry and runs on Cloud Run.
var gcpAPIs = []struct {
	prefix string
	apis   []string
}{
	{"google_cloudfunctions2_", []string{"cloudfunctions.googleapis.com", "cloudbuild.googleapis.com", "artifactregistry.googleapis.com", "run.googleapis.com"}},
	{"google_cloud_run_", []string{"run.googleapis.com"}},
	{"google_cloud_scheduler_", []string{"cloudscheduler.googleapis.com"}},
	{"google_compute_", []string{"compute.googleapis.com"}},
	{"google_container_", []string{"container.googleapis.com"}},
	{"google_project_iam_", []string{"cloudresourcemanager.googleapis.com"}},
	{"google_pubsub_", []string{"pubsub.googleapis.com"}},
	{"google_secret_manager_", []string{"secretmanager.googleapis.com"}},
	{"google_service_account", []string{"iam.googleapis.com"}},
	{"google_service_networking_", []string{"servicenetworking.googleapis.com"}},
	{"google_sql_", []string{"sqladmin.googleapis.com"}},
	{"google_storage_", []string{"storage.googleapis.com"}},
}

// moduleAPIs reads a module's resource types and returns the APIs they
// need, sorted. A resource repeated for each element of a variable
// (for_each = var.schedule_triggers) is left out when the call passes that
// variable empty or not at all. In skyform's own modules (strict) every
// google resource type must be known; a team's module may use others.
func moduleAPIs(mod string, files map[string][]byte, call args, strict bool) ([]string, error) {
	set := map[string]bool{}
	for name, src := range files {
		if !strings.HasSuffix(name, ".tf") {
			continue
		}
		f, hds := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if hds.HasErrors() {
			return nil, fmt.Errorf("module %s: %s", mod, hds.Error())
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "resource" || len(b.Labels) == 0 || noneOf(b, call) {
				continue
			}
			known := false
			for _, g := range gcpAPIs {
				if strings.HasPrefix(b.Labels[0], g.prefix) {
					known = true
					for _, a := range g.apis {
						set[a] = true
					}
				}
			}
			if strict && !known && strings.HasPrefix(b.Labels[0], "google_") {
				return nil, fmt.Errorf("module %s creates %s, whose service API skyform doctor does not know; this is a bug in skyform", mod, b.Labels[0])
			}
		}
	}
	return sortedKeys(set), nil
}

// noneOf tells whether a resource's for_each is a variable the call
// leaves empty.
func noneOf(b *hclsyntax.Block, call args) bool {
	fe, ok := b.Body.Attributes["for_each"]
	if !ok {
		return false
	}
	st, ok := fe.Expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) != 2 || st.Traversal.RootName() != "var" {
		return false
	}
	attr, ok := st.Traversal[1].(hcl.TraverseAttr)
	if !ok {
		return false
	}
	switch v := call[attr.Name].(type) {
	case nil:
		return true
	case tfir.Object:
		return len(v) == 0
	case tfir.List:
		return len(v) == 0
	case tfir.Literal:
		return !v.V.IsNull() && v.V.IsKnown() && v.V.CanIterateElements() && v.V.LengthInt() == 0
	}
	return false
}

// args reads the literal arguments of a module call or of an object in one.
type args map[string]tfir.Expr

func argsOf(b *tfir.Block) args {
	a := args{}
	for _, it := range b.Items {
		if it.Attr != nil {
			a[it.Attr.Name] = it.Attr.Value
		}
	}
	return a
}

func (a args) str(name string) string {
	if l, ok := tfir.LiteralOf(a[name]); ok && !l.V.IsNull() && l.V.IsKnown() && l.V.Type() == cty.String {
		return l.V.AsString()
	}
	return ""
}

func (a args) strs(name string) []string {
	var out []string
	if l, ok := a[name].(tfir.List); ok {
		for _, e := range l {
			if v, ok := tfir.LiteralOf(e); ok && v.V.Type() == cty.String {
				out = append(out, v.V.AsString())
			}
		}
	}
	return out
}

func (a args) obj(name string) args {
	o, ok := a[name].(tfir.Object)
	if !ok {
		return nil
	}
	out := args{}
	for _, at := range o {
		out[at.Key] = at.Value
	}
	return out
}

// versionLess compares versions; an unreadable one sorts first.
func versionLess(a, b string) bool {
	va, err := version.NewVersion(a)
	if err != nil {
		return true
	}
	vb, err := version.NewVersion(b)
	if err != nil {
		return false
	}
	return va.LessThan(vb)
}

// machineList is the machine types in order.
func (n *Needs) machineList() []string { return sortedKeys(n.Machines) }
