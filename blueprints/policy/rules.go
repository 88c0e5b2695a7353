package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"gopkg.in/yaml.v3"
)

// ruleDef is one rule of the table: its parameters (a field table the
// decoder checks), how they are read, and how a blueprint is checked.
type ruleDef struct {
	name string
	doc  string
	// fields are the rule's parameters; severity is added to every rule.
	fields []blueprints.Field
	// decode reads the parameters into a Rule; nil for rules without any,
	// which may then be written as true.
	decode func(x *blueprints.Decoder, o *blueprints.Object, r *Rule)
	check  func(c *checker, r *Rule)
}

var severityField = blueprints.Field{Name: "severity", Type: blueprints.TString, Enum: []string{"error", "warn"}, Default: "error", Doc: "error fails validate, compile and plan; warn reports and goes on"}

func (d *ruleDef) spec() *blueprints.Field {
	return &blueprints.Field{Type: blueprints.TObject, Fields: append([]blueprints.Field{severityField}, d.fields...)}
}

func (d *ruleDef) params() string {
	var names []string
	for _, f := range d.fields {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

func ruleFields() []blueprints.Field {
	out := make([]blueprints.Field, len(ruleTable))
	for i, d := range ruleTable {
		out[i] = blueprints.Field{Name: d.name, Type: blueprints.TObject, Doc: d.doc, Fields: d.spec().Fields}
	}
	return out
}

func ruleNames() string {
	names := make([]string, len(ruleTable))
	for i, d := range ruleTable {
		names[i] = d.name
	}
	return strings.Join(names, ", ")
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func list(name string, elem blueprints.Field, doc string) blueprints.Field {
	elem.Type = blueprints.TString
	return blueprints.Field{Name: name, Type: blueprints.TList, Required: true, Elem: &elem, Doc: doc}
}

// ruleTable lists every rule in the order violations are reported and
// docs/policy.md describes them.
var ruleTable = []*ruleDef{
	{
		name:   "allowed_clouds",
		doc:    "the clouds resources may be placed on",
		fields: []blueprints.Field{list("clouds", blueprints.Field{Name: "cloud", Enum: names(blueprints.Clouds)}, "aws, gcp, azure")},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			vs, _ := o.Strings("clouds")
			for _, v := range vs {
				r.Clouds = append(r.Clouds, blueprints.Cloud(v))
			}
			nonEmpty(x, o, "clouds", len(vs))
		},
		check: checkClouds,
	},
	{
		name:   "allowed_regions",
		doc:    "the regions a blueprint may use: neutral keys (that region on every cloud) or a cloud's own region names (that region on that cloud)",
		fields: []blueprints.Field{list("regions", blueprints.Field{Name: "region"}, "neutral or native region names")},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			vs, ns := o.Strings("regions")
			for i, v := range vs {
				reg, ok := blueprints.LookupRegion(v)
				if !ok {
					detail := "a neutral region (" + strings.Join(blueprints.RegionNames()[:len(blueprints.NeutralRegions)], ", ") + ") or a cloud's own region name"
					if s := blueprints.Suggest(v, blueprints.RegionNames()); s != "" {
						detail = fmt.Sprintf("did you mean %q? %s", s, detail)
					}
					x.Errorf(ns[i], fmt.Sprintf("rules.allowed_regions.regions[%d]", i), fmt.Sprintf("unknown region %q", v), "%s", detail)
					continue
				}
				r.Regions = append(r.Regions, allowedRegion{Name: v, Region: reg})
			}
			nonEmpty(x, o, "regions", len(vs))
		},
		check: checkRegions,
	},
	{
		name: "max_size",
		doc:  "the largest size per kind (small < medium < large < xlarge): database sizes, cluster node pool sizes",
		fields: []blueprints.Field{
			{Name: "database", Type: blueprints.TString, Doc: "largest database size: small, medium, large or xlarge"},
			{Name: "cluster", Type: blueprints.TString, Doc: "largest node size of a cluster's pools: small, medium, large or xlarge"},
		},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			r.MaxSize = map[blueprints.Kind]blueprints.Size{}
			sizes := names(blueprints.Sizes)
			for _, k := range []blueprints.Kind{blueprints.KindDatabase, blueprints.KindCluster} {
				s := o.Str(string(k))
				switch {
				case s == "":
				case slices.Contains(sizes, s):
					r.MaxSize[k] = blueprints.Size(s)
				default:
					detail := "sizes: " + strings.Join(sizes, ", ")
					if c := blueprints.Suggest(s, sizes); c != "" {
						detail = fmt.Sprintf("did you mean %q? %s", c, detail)
					}
					x.Errorf(o.Value(string(k)), "rules.max_size."+string(k), fmt.Sprintf("unknown size %q", s), "%s", detail)
				}
			}
			atLeastOne(x, o, "database", "cluster")
		},
		check: checkMaxSize,
	},
	{
		name: "required_labels",
		doc:  "labels every blueprint sets, and the values a label may take",
		fields: []blueprints.Field{
			{Name: "keys", Type: blueprints.TList, Elem: &blueprints.Field{Name: "label key", Type: blueprints.TString, Pattern: blueprints.LabelKeyPattern, Doc: "a label key: lower-case letters, digits, '_' and '-', starting with a letter"}, Doc: "label keys that must be set"},
			{Name: "values", Type: blueprints.TMap, KeyPattern: blueprints.LabelKeyPattern, KeyDoc: "label key", Doc: "allowed values per label key, checked when the label is set",
				Elem: &blueprints.Field{Type: blueprints.TList, Elem: &labelValueField}},
		},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			r.Labels, _ = o.Strings("keys")
			spec := &blueprints.Field{Elem: &labelValueField}
			for _, e := range o.Entries("values") {
				path := "rules.required_labels.values." + e.Key.Value
				vs, _ := x.StringsOf(e.Value, path, spec)
				if r.LabelValues == nil {
					r.LabelValues = map[string][]string{}
				}
				r.LabelValues[e.Key.Value] = vs
				r.Params["values."+e.Key.Value] = x.Range(e.Key)
			}
			atLeastOne(x, o, "keys", "values")
		},
		check: checkLabels,
	},
	{
		name:  "queue_encryption",
		doc:   "every queue is encrypted at rest (encryption: true)",
		check: flagCheck(blueprints.KindQueue, "encryption", "is not encrypted at rest", "set encryption: true (the default)", func(r *blueprints.Resource) bool { return r.Queue.Encryption }),
	},
	{
		name:  "database_deletion_protection",
		doc:   "every database refuses deletion (deletion_protection: true)",
		check: flagCheck(blueprints.KindDatabase, "deletion_protection", "has no deletion protection", "set deletion_protection: true (the default)", func(r *blueprints.Resource) bool { return r.Database.DeletionProtection }),
	},
	{
		name:  "database_high_availability",
		doc:   "every database has a standby in another zone (high_availability: true)",
		check: flagCheck(blueprints.KindDatabase, "high_availability", "has no standby", "set high_availability: true", func(r *blueprints.Resource) bool { return r.Database.HighAvailability }),
	},
	{
		name:   "database_backup_retention",
		doc:    "databases keep automated backups at least this many days",
		fields: []blueprints.Field{{Name: "min_days", Type: blueprints.TInt, Required: true, Min: 1, Max: 35, Doc: "fewest days of backups"}},
		decode: func(_ *blueprints.Decoder, o *blueprints.Object, r *Rule) { r.MinDays = o.Int("min_days") },
		check:  checkBackupRetention,
	},
	{
		name:  "no_public_http",
		doc:   "no function takes unauthenticated HTTP calls (http: {public: true})",
		check: checkPublicHTTP,
	},
	{
		name:  "private_cluster_endpoint",
		doc:   "every cluster's API server is reachable only from the private network (private_endpoint: true)",
		check: flagCheck(blueprints.KindCluster, "private_endpoint", "has a public API endpoint", "set private_endpoint: true", func(r *blueprints.Resource) bool { return r.Cluster.PrivateEndpoint }),
	},
	{
		name: "max_nodes",
		doc:  "the most nodes a node pool (its max) and a cluster (the sum of its pools' max) may have",
		fields: []blueprints.Field{
			{Name: "per_pool", Type: blueprints.TInt, Min: 1, Max: 1000, Doc: "largest max of one node pool"},
			{Name: "per_cluster", Type: blueprints.TInt, Min: 1, Max: 100000, Doc: "largest sum of a cluster's pools' max"},
		},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			r.PerPool, r.PerCluster = o.Int("per_pool"), o.Int("per_cluster")
			atLeastOne(x, o, "per_pool", "per_cluster")
		},
		check: checkMaxNodes,
	},
	{
		name:   "allowed_runtimes",
		doc:    "the function runtimes allowed",
		fields: []blueprints.Field{list("runtimes", blueprints.Field{Name: "runtime", Enum: names(blueprints.Runtimes)}, "function runtimes")},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			vs, _ := o.Strings("runtimes")
			for _, v := range vs {
				r.Runtimes = append(r.Runtimes, blueprints.Runtime(v))
			}
			nonEmpty(x, o, "runtimes", len(vs))
		},
		check: checkRuntimes,
	},
	{
		name:   "allowed_engine_versions",
		doc:    "the database versions allowed per engine; an engine not listed is not restricted",
		fields: engineFields(),
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			r.Versions = map[blueprints.Engine][]string{}
			var engines []string
			for _, e := range blueprints.Engines {
				engines = append(engines, string(e))
				if o.Has(string(e)) {
					vs, _ := o.Strings(string(e))
					r.Versions[e] = vs
					nonEmpty(x, o, string(e), len(vs))
				}
			}
			atLeastOne(x, o, engines...)
		},
		check: checkEngineVersions,
	},
	{
		name:   "allowed_kubernetes_versions",
		doc:    "the Kubernetes minor versions clusters may run",
		fields: []blueprints.Field{list("versions", blueprints.Field{Name: "kubernetes version", Enum: blueprints.KubernetesVersions}, "Kubernetes minor versions")},
		decode: func(x *blueprints.Decoder, o *blueprints.Object, r *Rule) {
			r.Kubernetes, _ = o.Strings("versions")
			nonEmpty(x, o, "versions", len(r.Kubernetes))
		},
		check: checkKubernetes,
	},
}

var labelValueField = blueprints.Field{Name: "label value", Type: blueprints.TString, Pattern: blueprints.LabelValuePattern, Doc: "a label value: at most 63 lower-case letters, digits, '_' and '-'"}

func engineFields() []blueprints.Field {
	var out []blueprints.Field
	for _, e := range blueprints.Engines {
		f := list(string(e), blueprints.Field{Name: string(e) + " version", Enum: blueprints.DatabaseVersions(e)}, string(e)+" versions allowed")
		f.Required = false
		out = append(out, f)
	}
	return out
}

// nonEmpty reports an empty list: a rule allowing nothing is a mistake.
func nonEmpty(x *blueprints.Decoder, o *blueprints.Object, name string, n int) {
	if v := o.Value(name); v != nil && n == 0 && v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		x.Errorf(v, o.Path()+"."+name, "empty list", "%s allows nothing; list at least one value or remove the rule", name)
	}
}

// atLeastOne reports a rule that sets none of its optional parameters.
func atLeastOne(x *blueprints.Decoder, o *blueprints.Object, params ...string) {
	for _, p := range params {
		if o.Has(p) {
			return
		}
	}
	x.Errorf(o.Node(), o.Path(), fmt.Sprintf("rule %s sets no limit", strings.TrimPrefix(o.Path(), "rules.")), "give at least one of %s", strings.Join(params, ", "))
}
