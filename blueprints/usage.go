package blueprints

import (
	"fmt"
	"sort"
	"strings"

	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// Usage holds the usage assumptions a cost estimate makes for one resource
// (requests, messages, hours, nodes): what the blueprint cannot know about
// a workload. Only the fields written are set; Set tells which.
type Usage struct {
	// Requests is function invocations per month.
	Requests int
	// DurationMS is the average run of one invocation in milliseconds.
	DurationMS int
	// Messages is queue messages sent per month.
	Messages int
	// MessageKB is the average message size in KiB.
	MessageKB int
	// Hours is the hours per month the resource runs.
	Hours int
	// Nodes is the average node count of each node pool, by pool name.
	Nodes map[string]int

	// Fields holds the position of each field written ("requests",
	// "nodes.general"), which is also how to tell a field was set.
	Fields map[string]diag.Range
}

// Set reports whether the field was written.
func (u *Usage) Set(field string) bool {
	if u == nil {
		return false
	}
	_, ok := u.Fields[field]
	return ok
}

// usageKinds lists, for each usage field, the kinds it applies to.
var usageKinds = map[string][]Kind{
	"requests":    {KindFunction},
	"duration_ms": {KindFunction},
	"messages":    {KindQueue},
	"message_kb":  {KindQueue},
	"hours":       {KindDatabase, KindCluster},
	"nodes":       {KindCluster},
}

// usageField is the usage block every resource may carry. Which of its
// fields a resource may set depends on its kind (usageKinds).
var usageField = Field{Name: "usage", Type: TObject, Doc: "usage assumptions for `skyform cost` (they change nothing that is deployed): requests and duration_ms for a function, messages and message_kb for a queue, hours for a database or cluster, nodes for a cluster",
	Fields: []Field{
		{Name: "requests", Type: TInt, Min: 0, Max: 1 << 50, Default: 1_000_000, Doc: "function invocations per month"},
		{Name: "duration_ms", Type: TInt, Min: 1, Max: 3_600_000, Default: 200, Doc: "average run of one invocation in milliseconds"},
		{Name: "messages", Type: TInt, Min: 0, Max: 1 << 50, Default: 1_000_000, Doc: "messages sent to the queue per month"},
		{Name: "message_kb", Type: TInt, Min: 1, Max: 256, Default: 1, Doc: "average message size in KiB"},
		{Name: "hours", Type: TInt, Min: 0, Max: 744, Default: 730, Doc: "hours per month the resource runs"},
		{Name: "nodes", Type: TMap, KeyPattern: poolNamePattern, KeyDoc: "node pool name", Doc: "average node count of each node pool (default: its min)",
			Elem: &Field{Type: TInt, Min: 0, Max: 1000}},
	}}

// decodeUsage reads a resource's usage block (from the blueprint, or from
// a usage file when o is that file's entry for the resource).
func (d *decoder) decodeUsage(n *yaml.Node, path string, r *Resource) *Usage {
	u := &Usage{Fields: map[string]diag.Range{}}
	o := d.object(n, path, &usageField, "usage", nil)
	o.fields = u.Fields
	var allowed []string
	for _, f := range usageField.Fields {
		if contains(stringsOf(usageKinds[f.Name]), string(r.Kind)) {
			allowed = append(allowed, f.Name)
		}
	}
	for _, f := range usageField.Fields {
		if !o.has(f.Name) || contains(allowed, f.Name) {
			continue
		}
		d.errorf(o.key(f.Name), join(path, f.Name), fmt.Sprintf("usage %s does not apply to a %s", f.Name, r.Kind),
			"%s is for a %s; a %s takes: %s", f.Name, strings.Join(stringsOf(usageKinds[f.Name]), " or "), r.Kind, strings.Join(allowed, ", "))
		o.drop(f.Name)
	}
	u.Requests = o.int("requests")
	u.DurationMS = o.int("duration_ms")
	u.Messages = o.int("messages")
	u.MessageKB = o.int("message_kb")
	u.Hours = o.int("hours")
	elem := usageField.child("nodes").Elem
	for _, e := range o.entries("nodes") {
		p := join(path, "nodes."+e.key.Value)
		var pool *NodePool
		if r.Cluster != nil {
			for i := range r.Cluster.NodePools {
				if r.Cluster.NodePools[i].Name == e.key.Value {
					pool = &r.Cluster.NodePools[i]
				}
			}
			if pool == nil {
				var names []string
				for _, np := range r.Cluster.NodePools {
					names = append(names, np.Name)
				}
				d.errorf(e.key, p, fmt.Sprintf("unknown node pool %q", e.key.Value), "node pools of %s: %s", r.Name, strings.Join(names, ", "))
				continue
			}
		}
		v := d.resolve(e.val)
		holder := &obj{d: d, spec: &Field{Type: TObject, Fields: []Field{{Name: e.key.Value, Type: TInt, Min: elem.Min, Max: elem.Max}}},
			path: join(path, "nodes"), known: []objEntry{{e.key.Value, e.key, v}}}
		before := len(d.ds)
		c := holder.int(e.key.Value)
		if len(d.ds) > before {
			continue
		}
		if pool != nil && (c < pool.Min || c > pool.Max) {
			d.errorf(v, p, "node count out of range", "the average of pool %s must be between its min %d and max %d, not %d", pool.Name, pool.Min, pool.Max, c)
			continue
		}
		if u.Nodes == nil {
			u.Nodes = map[string]int{}
		}
		u.Nodes[e.key.Value] = c
	}
	return u
}

// usageFileSpec is the top level of a usage file (`skyform cost --usage`).
var usageFileSpec = &Field{Type: TObject, Fields: []Field{
	{Name: "resources", Type: TMap, Required: true, KeyPattern: namePattern, KeyDoc: "resource name", Doc: "usage assumptions by resource name, the fields of a resource's usage block",
		Elem: &usageField},
}}

// ParseUsage decodes a usage file: usage blocks by resource name, checked
// against the blueprint's resources and their kinds. Problems are
// diagnostics at file:line:column.
func ParseUsage(file string, src []byte, bp *Blueprint) (map[string]*Usage, diag.Diagnostics) {
	d := &decoder{file: file}
	root, ok := d.parseYAML(src)
	if !ok {
		return nil, d.ds
	}
	count, _ := countNodes(root)
	d.maxNodes = visitsPerNode*count + aliasSlack
	top := d.object(root, "", usageFileSpec, "the usage file", nil)
	out := map[string]*Usage{}
	var names []string
	for _, r := range bp.Resources {
		names = append(names, r.Name)
	}
	sort.Strings(names)
	for _, e := range top.entries("resources") {
		r := bp.Resource(e.key.Value)
		if r == nil {
			detail := "resources of blueprint " + bp.Name + ": " + strings.Join(names, ", ")
			if s := suggest(e.key.Value, names); s != "" {
				detail = fmt.Sprintf("did you mean %q? %s", s, detail)
			}
			d.errorf(e.key, "resources."+e.key.Value, fmt.Sprintf("unknown resource %q", e.key.Value), "%s", detail)
			continue
		}
		out[r.Name] = d.decodeUsage(e.val, "resources."+r.Name, r)
	}
	d.ds.Sort()
	return out, d.ds
}
