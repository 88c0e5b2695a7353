package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
)

// Violation is one place a blueprint breaks a rule.
type Violation struct {
	Rule     string        `json:"rule"`
	Severity diag.Severity `json:"severity"`
	Summary  string        `json:"summary"`
	Detail   string        `json:"detail,omitempty"`
	// Path is the blueprint field's data path, e.g. resources.jobs.encryption.
	Path string `json:"path"`
	// Range is where the field stands in the blueprint (or the resource, or
	// the blueprint's name, when the field is not written).
	Range diag.Range `json:"range"`
	// RuleRange is where the rule, or the limit broken, stands in the policy.
	RuleRange diag.Range `json:"rule_range"`
	// Policy names the policy, for the related message.
	Policy string `json:"policy"`
}

// Diagnostic is the violation as a diagnostic at the blueprint field,
// with the rule's line in the policy file as a related position.
func (v Violation) Diagnostic() *diag.Diagnostic {
	d := &diag.Diagnostic{Severity: v.Severity, Summary: v.Summary, Detail: v.Detail, Path: v.Path, Range: v.Range}
	return d.With(v.RuleRange, "rule %s of policy %s", v.Rule, v.Policy)
}

// Diagnostics turns violations into diagnostics, sorted by position.
func Diagnostics(vs []Violation) diag.Diagnostics {
	var ds diag.Diagnostics
	for _, v := range vs {
		ds = append(ds, v.Diagnostic())
	}
	ds.Sort()
	return ds
}

// Check evaluates the blueprint against every rule, as it will be
// compiled: with target set (--cloud), every resource is placed there
// first. The blueprint must have parsed without errors. Violations come
// in blueprint order.
func (p *Policy) Check(bp *blueprints.Blueprint, target blueprints.Cloud) []Violation {
	c := &checker{p: p, bp: bp, target: target}
	if target != "" {
		c.bp = bp.Retarget(target)
	}
	for _, r := range p.Rules {
		ruleByName(r.Name).check(c, r)
	}
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i].Range.Start, c.out[j].Range.Start
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return c.out
}

func ruleByName(name string) *ruleDef {
	for _, d := range ruleTable {
		if d.name == name {
			return d
		}
	}
	panic("policy: no rule " + name)
}

type checker struct {
	p      *Policy
	bp     *blueprints.Blueprint
	target blueprints.Cloud
	out    []Violation
}

// violate records a violation of rule r at a blueprint field; param names
// the rule's parameter broken, for the policy position.
func (c *checker) violate(r *Rule, param string, rng diag.Range, path, msg, detail string, args ...any) {
	c.out = append(c.out, Violation{
		Rule: r.Name, Severity: r.Severity, Summary: fmt.Sprintf("policy rule %s: %s", r.Name, msg),
		Detail: fmt.Sprintf(detail, args...), Path: path, Range: rng, RuleRange: r.At(param), Policy: c.p.Title(),
	})
}

func (c *checker) resources(k blueprints.Kind) []*blueprints.Resource {
	var out []*blueprints.Resource
	for _, r := range c.bp.Resources {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// placement says what put a resource on its cloud, for details.
func (c *checker) placement() string {
	if c.target != "" {
		return "--cloud " + string(c.target)
	}
	return "the blueprint's cloud"
}

func checkClouds(c *checker, r *Rule) {
	allowed := names(r.Clouds)
	for _, cl := range c.bp.CloudsUsed() {
		if slices.Contains(r.Clouds, cl) {
			continue
		}
		var inherited []string
		for _, res := range c.bp.Placed(cl) {
			if _, own := res.Fields["cloud"]; own && c.target == "" {
				c.violate(r, "clouds", res.At("cloud"), res.Path("cloud"), fmt.Sprintf("cloud %s is not allowed", cl), "%s is placed on %s; allowed clouds: %s", res.Name, cl, strings.Join(allowed, ", "))
				continue
			}
			inherited = append(inherited, res.Name)
		}
		if len(inherited) > 0 {
			c.violate(r, "clouds", c.bp.At("cloud"), "cloud", fmt.Sprintf("cloud %s is not allowed", cl), "%s places %s there; allowed clouds: %s", c.placement(), strings.Join(inherited, ", "), strings.Join(allowed, ", "))
		}
	}
}

func checkRegions(c *checker, r *Rule) {
	var allowed []string
	for _, a := range r.Regions {
		allowed = append(allowed, a.Name)
	}
	for _, cl := range c.bp.CloudsUsed() {
		name, _, ok := c.bp.Region.For(cl)
		if !ok {
			continue // compiling reports a region a cloud does not have
		}
		if regionAllowed(r.Regions, cl, name) {
			continue
		}
		c.violate(r, "regions", c.bp.At("region"), "region", fmt.Sprintf("region %s is not allowed on %s", describeRegion(c.bp.Region, name), cl), "allowed regions: %s", strings.Join(allowed, ", "))
	}
}

// regionAllowed reports whether the region name a cloud is compiled for
// is one the policy allows: a neutral key allows that key's region on
// every cloud, a native name that region on its own cloud.
func regionAllowed(allowed []allowedRegion, cl blueprints.Cloud, name string) bool {
	for _, a := range allowed {
		if a.Region.Native != "" {
			if a.Region.NativeCloud == cl && a.Region.Native == name {
				return true
			}
			continue
		}
		if n, _, ok := a.Region.For(cl); ok && n == name {
			return true
		}
	}
	return false
}

func describeRegion(reg blueprints.Region, native string) string {
	written := reg.Name()
	if written == native {
		return fmt.Sprintf("%q", native)
	}
	return fmt.Sprintf("%q (%s)", written, native)
}

func sizeIndex(s blueprints.Size) int { return slices.Index(blueprints.Sizes, s) }

func checkMaxSize(c *checker, r *Rule) {
	if max, ok := r.MaxSize[blueprints.KindDatabase]; ok {
		for _, res := range c.resources(blueprints.KindDatabase) {
			if sizeIndex(res.Database.Size) > sizeIndex(max) {
				c.violate(r, "database", res.At("size"), res.Path("size"), fmt.Sprintf("database %s is %s", res.Name, res.Database.Size), "the largest database size allowed is %s", max)
			}
		}
	}
	if max, ok := r.MaxSize[blueprints.KindCluster]; ok {
		for _, res := range c.resources(blueprints.KindCluster) {
			for _, np := range res.Cluster.NodePools {
				f := "node_pools." + np.Name + ".size"
				if sizeIndex(np.Size) > sizeIndex(max) {
					c.violate(r, "cluster", res.At(f), res.Path(f), fmt.Sprintf("node pool %s of cluster %s is %s", np.Name, res.Name, np.Size), "the largest node size allowed is %s", max)
				}
			}
		}
	}
}

func checkLabels(c *checker, r *Rule) {
	set := map[string]string{}
	for _, l := range c.bp.Labels {
		set[l.Key] = l.Value
	}
	for _, k := range r.Labels {
		if _, ok := set[k]; !ok {
			c.violate(r, "keys", c.bp.At("labels"), "labels."+k, fmt.Sprintf("label %q is required", k), "add %s: <value> under labels", k)
		}
	}
	keys := make([]string, 0, len(r.LabelValues))
	for k := range r.LabelValues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok := set[k]
		if ok && !slices.Contains(r.LabelValues[k], v) {
			c.violate(r, "values."+k, c.bp.At("labels."+k), "labels."+k, fmt.Sprintf("label %s=%s is not allowed", k, v), "allowed values of %s: %s", k, strings.Join(r.LabelValues[k], ", "))
		}
	}
}

// flagCheck is a rule that wants one true-or-false field of every
// resource of a kind to hold.
func flagCheck(k blueprints.Kind, field, msg, fix string, ok func(*blueprints.Resource) bool) func(*checker, *Rule) {
	return func(c *checker, r *Rule) {
		for _, res := range c.resources(k) {
			if !ok(res) {
				c.violate(r, "", res.At(field), res.Path(field), fmt.Sprintf("%s %s %s", k, res.Name, msg), "%s", fix)
			}
		}
	}
}

func checkBackupRetention(c *checker, r *Rule) {
	for _, res := range c.resources(blueprints.KindDatabase) {
		if res.Database.BackupRetentionDays < r.MinDays {
			c.violate(r, "min_days", res.At("backup_retention_days"), res.Path("backup_retention_days"), fmt.Sprintf("database %s keeps backups %d days", res.Name, res.Database.BackupRetentionDays), "at least %d days are required; set backup_retention_days: %d or more", r.MinDays, r.MinDays)
		}
	}
}

func checkPublicHTTP(c *checker, r *Rule) {
	for _, res := range c.resources(blueprints.KindFunction) {
		for i, t := range res.Function.Triggers {
			if t.HTTP != nil && t.HTTP.Public {
				f := fmt.Sprintf("triggers[%d].http.public", i)
				c.violate(r, "", res.At(f), res.Path(f), fmt.Sprintf("function %s takes public HTTP calls", res.Name), "unauthenticated calls are not allowed; set public: false and call it with the cloud's credentials")
			}
		}
	}
}

func checkMaxNodes(c *checker, r *Rule) {
	for _, res := range c.resources(blueprints.KindCluster) {
		total := 0
		for _, np := range res.Cluster.NodePools {
			total += np.Max
			f := "node_pools." + np.Name + ".max"
			if r.PerPool > 0 && np.Max > r.PerPool {
				c.violate(r, "per_pool", res.At(f), res.Path(f), fmt.Sprintf("node pool %s of cluster %s may grow to %d nodes", np.Name, res.Name, np.Max), "a node pool may have at most %d nodes", r.PerPool)
			}
		}
		if r.PerCluster > 0 && total > r.PerCluster {
			c.violate(r, "per_cluster", res.At("node_pools"), res.Path("node_pools"), fmt.Sprintf("cluster %s may grow to %d nodes", res.Name, total), "a cluster may have at most %d nodes (the sum of its pools' max)", r.PerCluster)
		}
	}
}

func checkRuntimes(c *checker, r *Rule) {
	for _, res := range c.resources(blueprints.KindFunction) {
		if !slices.Contains(r.Runtimes, res.Function.Runtime) {
			c.violate(r, "runtimes", res.At("runtime"), res.Path("runtime"), fmt.Sprintf("runtime %s is not allowed", res.Function.Runtime), "function %s; allowed runtimes: %s", res.Name, strings.Join(names(r.Runtimes), ", "))
		}
	}
}

func checkEngineVersions(c *checker, r *Rule) {
	for _, res := range c.resources(blueprints.KindDatabase) {
		db := res.Database
		allowed, ok := r.Versions[db.Engine]
		if !ok || slices.Contains(allowed, db.Version) {
			continue
		}
		c.violate(r, string(db.Engine), res.At("version"), res.Path("version"), fmt.Sprintf("%s %s is not allowed", db.Engine, db.Version), "database %s; allowed %s versions: %s", res.Name, db.Engine, strings.Join(allowed, ", "))
	}
}

func checkKubernetes(c *checker, r *Rule) {
	for _, res := range c.resources(blueprints.KindCluster) {
		if !slices.Contains(r.Kubernetes, res.Cluster.Kubernetes) {
			c.violate(r, "versions", res.At("kubernetes"), res.Path("kubernetes"), fmt.Sprintf("Kubernetes %s is not allowed", res.Cluster.Kubernetes), "cluster %s; allowed versions: %s", res.Name, strings.Join(r.Kubernetes, ", "))
		}
	}
}
