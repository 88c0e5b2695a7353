package importer

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/providers"
	"gopkg.in/yaml.v3"
)

// Options choose what is imported and how the blueprint is named.
type Options struct {
	// Region is the cloud's own region name; it becomes the blueprint's.
	Region string
	// Name is the blueprint's name. Empty: the skyform-blueprint tag the
	// imported resources carry, else the prefix without its trailing dash,
	// else "imported".
	Name string
	// Prefix keeps only cloud resources whose name starts with it.
	Prefix string
	// Tags keeps only cloud resources carrying every one of these tags
	// (labels on GCP).
	Tags map[string]string
}

// Result is what an import found.
type Result struct {
	Blueprint string           `json:"blueprint"`
	Cloud     blueprints.Cloud `json:"cloud"`
	Region    string           `json:"region"`
	// Resources are the neutral resources, sorted by name.
	Resources []*Resource `json:"resources"`
	// Unsupported lists the cloud resources (or parts of them) the
	// blueprint cannot express.
	Unsupported []Finding `json:"unsupported"`
	// Warnings are approximations made while importing.
	Warnings []Finding `json:"warnings"`
	// NotRead names what the import does not read at all, so nothing of
	// it is in the blueprint (a function's schedules on AWS).
	NotRead []string `json:"not_read"`
	// Implicit are the objects imported into a cloud's implicit modules
	// (the Azure resource group), by module.
	Implicit map[string][]compiler.Import `json:"implicit,omitempty"`
	labels   []kv
}

// Resource is one imported neutral resource.
type Resource struct {
	Name      string          `json:"name"`
	Kind      blueprints.Kind `json:"kind"`
	CloudName string          `json:"cloud_name"`
	CloudID   string          `json:"cloud_id"`
	// Imports are the objects terraform imports into the resource's module.
	Imports []compiler.Import `json:"imports"`

	fields    []kv
	overrides []kv
	// attrs are the neutral attributes' values in the cloud, for matching
	// environment values to references.
	attrs map[string]string
	// files are the function's code, relative to its source directory.
	files map[string][]byte
	tags  map[string]string
	// pending are the function's environment and triggers, resolved to
	// references once every resource is known.
	env      map[string]string
	triggers []trigger
	notes    []string
	// onRef and onTrigger let a cloud add what a resolved reference or
	// queue trigger implies (the objects its module keys by the target's
	// name).
	onRef     func(target *Resource, attr string)
	onTrigger func(queue *Resource, mappingID string)
}

type trigger struct {
	queueARN  string
	batch     int
	http      *bool
	mappingID string
	// what names the trigger's source in findings (default: the event
	// source mapping).
	what string
	// schedule is a schedule trigger's cron, timezone its IANA zone.
	schedule, timezone string
}

// Finding is a cloud resource, or part of one, and what about it.
type Finding struct {
	// Resource names the cloud resource (a kind and its name).
	Resource string `json:"resource"`
	// Neutral is the neutral resource it belongs to, if any.
	Neutral string `json:"neutral,omitempty"`
	Message string `json:"message"`
}

// kv is one key of an ordered YAML mapping; Value is a string, int, bool,
// []any or []kv.
type kv struct {
	Key   string
	Value any
}

func (r *Result) warn(n *Resource, resource, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	name := ""
	if n != nil {
		name = n.Name
		n.notes = append(n.notes, msg)
	}
	r.Warnings = append(r.Warnings, Finding{Resource: resource, Neutral: name, Message: msg})
}

func (r *Result) unsupported(n *Resource, resource, format string, args ...any) {
	name := ""
	if n != nil {
		name = n.Name
	}
	r.Unsupported = append(r.Unsupported, Finding{Resource: resource, Neutral: name, Message: fmt.Sprintf(format, args...)})
}

// keep applies the prefix and tag filters to a cloud resource.
func (o *Options) keep(name string, tags map[string]string) bool {
	if !strings.HasPrefix(name, o.Prefix) {
		return false
	}
	for k, v := range o.Tags {
		if tags[k] != v {
			return false
		}
	}
	return true
}

// blueprintName decides the blueprint's name from the options and the tags
// skyform puts on what it deploys.
func (o *Options) blueprintName(tagged []map[string]string) string {
	if o.Name != "" {
		return o.Name
	}
	count := map[string]int{}
	for _, t := range tagged {
		if b := t["skyform-blueprint"]; b != "" {
			count[b]++
		}
	}
	best := ""
	for b, n := range count {
		if n > count[best] || n == count[best] && b < best {
			best = b
		}
	}
	if best != "" && nameRE.MatchString(best) {
		return best
	}
	if p := strings.TrimRight(o.Prefix, "-"); p != "" && nameRE.MatchString(p) && len(p) <= 20 {
		return p
	}
	return "imported"
}

var (
	nameRE    = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)
	invalidRE = regexp.MustCompile(`[^a-z0-9-]+`)
)

// namer gives each cloud resource its neutral name.
type namer struct {
	blueprint string
	used      map[string]bool
}

// name derives the neutral name from the cloud name: the cloud name
// without the "<blueprint>-" prefix skyform gives its resources, made a
// valid and unused resource name. When the module would not name the
// cloud resource "<blueprint>-<name>" as it is named (own), the caller
// tells the module the cloud name with an override, or terraform would
// rename, that is replace, it.
func (n *namer) name(cloudName string) (name string, own bool) {
	base, _ := strings.CutPrefix(cloudName, n.blueprint+"-")
	base = strings.Trim(invalidRE.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if base == "" || base[0] < 'a' || base[0] > 'z' {
		base = "r-" + base
	}
	for _, p := range []string{"aws-", "gcp-", "azure-"} {
		if strings.HasPrefix(base, p) {
			base = "x-" + base
		}
	}
	if len(base) > 30 {
		base = strings.TrimRight(base[:30], "-")
	}
	name = base
	for i := 2; n.used[name]; i++ {
		suffix := fmt.Sprintf("-%d", i)
		name = strings.TrimRight(base[:min(len(base), 30-len(suffix))], "-") + suffix
	}
	n.used[name] = true
	return name, n.blueprint+"-"+name == cloudName
}

// nearestSize picks the neutral size whose cloud type is typ, else the one
// nearest in vCPUs (the smaller on a tie); exact is false then.
func nearestSize(table []providers.SizeMapping, kind blueprints.Kind, typ string, vcpu int) (blueprints.Size, providers.SizeMapping, bool) {
	var best providers.SizeMapping
	found := false
	for _, m := range table {
		if m.Kind != kind {
			continue
		}
		if m.Type == typ {
			return m.Size, m, true
		}
		if !found || abs(m.VCPU-vcpu) < abs(best.VCPU-vcpu) {
			best, found = m, true
		}
	}
	return best.Size, best, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// resolve turns each function's environment and triggers into references
// to the imported resources, then sorts the resources.
func (r *Result) resolve() {
	sort.Slice(r.Resources, func(i, j int) bool { return r.Resources[i].Name < r.Resources[j].Name })
	type target struct {
		res  *Resource
		attr string
	}
	byValue := map[string][]target{}
	for _, res := range r.Resources {
		for a, v := range res.attrs {
			if v != "" && a != "port" && a != "name" && a != "username" {
				byValue[v] = append(byValue[v], target{res, a})
			}
		}
	}
	for _, res := range r.Resources {
		if res.Kind != blueprints.KindFunction {
			continue
		}
		// Ports, database names and users are common words: they become
		// references only next to that database's host.
		hosts := map[*Resource]bool{}
		for _, v := range res.env {
			for _, t := range byValue[v] {
				if t.attr == "host" {
					hosts[t.res] = true
				}
			}
		}
		var env []kv
		for _, k := range sortedKeys(res.env) {
			v := res.env[k]
			ref := ""
			var to *Resource
			attr := ""
			if ts := byValue[v]; len(ts) == 1 {
				to, attr = ts[0].res, ts[0].attr
			}
			for _, db := range sortedResources(hosts) {
				for _, a := range []string{"port", "name", "username"} {
					if db.attrs[a] == v && to == nil {
						to, attr = db, a
					}
				}
			}
			if to != nil {
				ref = "${" + to.Name + "." + attr + "}"
				if res.onRef != nil {
					res.onRef(to, attr)
				}
			}
			if ref == "" {
				// A literal: "${" would otherwise read as a reference.
				ref = strings.ReplaceAll(v, "${", "$${")
			}
			env = append(env, kv{k, ref})
		}
		var triggers []any
		for _, t := range res.triggers {
			switch {
			case t.http != nil:
				triggers = append(triggers, []kv{{"http", []kv{{"public", *t.http}}}})
			case t.schedule != "":
				tr := []kv{{"schedule", t.schedule}}
				if t.timezone != "" && t.timezone != "UTC" {
					tr = append(tr, kv{"timezone", t.timezone})
				}
				triggers = append(triggers, tr)
			default:
				var q *Resource
				for _, tgt := range byValue[t.queueARN] {
					if tgt.res.Kind == blueprints.KindQueue {
						q = tgt.res
					}
				}
				if q == nil {
					what := t.what
					if what == "" {
						what = "event source mapping " + t.mappingID
					}
					r.unsupported(res, what, "reads %s, which is not an imported queue (filtered out or not the cloud's queue service), so the function's trigger is not in the blueprint", t.queueARN)
					continue
				}
				tr := []kv{{"queue", q.Name}}
				if t.batch > 0 {
					tr = append(tr, kv{"batch_size", t.batch})
				}
				triggers = append(triggers, tr)
				if res.onTrigger != nil {
					res.onTrigger(q, t.mappingID)
				}
			}
		}
		if len(triggers) > 0 {
			res.fields = append(res.fields, kv{"triggers", triggers})
		}
		if len(env) > 0 {
			res.fields = append(res.fields, kv{"env", env})
		}
	}
}

func sortedResources(m map[*Resource]bool) []*Resource {
	out := make([]*Resource, 0, len(m))
	for r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// commonLabels are the tags every imported resource carries with the same
// value, valid as blueprint labels; skyform's own tags are left out (it
// sets them itself).
func commonLabels(res []*Resource) []kv {
	if len(res) == 0 {
		return nil
	}
	var out []kv
	labelKey := regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	labelVal := regexp.MustCompile(`^[a-z0-9_-]{0,63}$`)
	for _, k := range sortedKeys(res[0].tags) {
		v := res[0].tags[k]
		if strings.HasPrefix(k, "skyform-") || !labelKey.MatchString(k) || !labelVal.MatchString(v) {
			continue
		}
		all := true
		for _, r := range res[1:] {
			if r.tags[k] != v {
				all = false
			}
		}
		if all {
			out = append(out, kv{k, v})
		}
	}
	return out
}

// Files renders the import into files relative to the blueprint's
// directory: the blueprint at blueprintFile, the import file beside it
// (<name>.imports.yaml) and each function's code under functions/<name>.
func (r *Result) Files(blueprintFile string) (map[string][]byte, error) {
	base := strings.TrimSuffix(path.Base(blueprintFile), path.Ext(blueprintFile))
	importsFile := base + ".imports.yaml"
	dir := path.Dir(blueprintFile)
	files := map[string][]byte{}
	bp, err := r.render(importsFile)
	if err != nil {
		return nil, err
	}
	files[blueprintFile] = bp
	imf := &compiler.ImportFile{Cloud: r.Cloud, Resources: map[string][]compiler.Import{}, Implicit: r.Implicit}
	for _, res := range r.Resources {
		if len(res.Imports) > 0 {
			imf.Resources[res.Name] = res.Imports
		}
		for p, data := range res.files {
			files[path.Join(dir, "functions", res.Name, p)] = data
		}
	}
	im, err := imf.Marshal(fmt.Sprintf("The %s objects behind each resource of %s, imported by terraform into skyform's\nmodules (written by skyform import; compiled into import blocks in the root module).", r.Cloud, path.Base(blueprintFile)))
	if err != nil {
		return nil, err
	}
	files[path.Join(dir, importsFile)] = im
	return files, nil
}

func (r *Result) render(importsFile string) ([]byte, error) {
	top := []kv{
		{"blueprint", r.Blueprint},
		{"cloud", string(r.Cloud)},
		{"region", r.Region},
		{"imports", importsFile},
	}
	if len(r.labels) > 0 {
		top = append(top, kv{"labels", r.labels})
	}
	var resources []kv
	for _, res := range r.Resources {
		fields := append([]kv{{"kind", string(res.Kind)}}, res.fields...)
		if len(res.overrides) > 0 {
			fields = append(fields, kv{"overrides", []kv{{string(r.Cloud), res.overrides}}})
		}
		resources = append(resources, kv{res.Name, fields})
	}
	top = append(top, kv{"resources", resources})
	doc := toNode(top)
	var head strings.Builder
	fmt.Fprintf(&head, "Imported by skyform import --cloud %s --region %s.\n", r.Cloud, r.Region)
	if len(r.Unsupported) == 0 {
		head.WriteString("Everything found was imported.")
	} else {
		head.WriteString("Not imported, as a blueprint cannot express it:")
		for _, u := range r.Unsupported {
			fmt.Fprintf(&head, "\n- %s: %s", u.Resource, u.Message)
		}
	}
	for _, n := range r.NotRead {
		fmt.Fprintf(&head, "\nNot read by skyform import: %s.", n)
	}
	doc.HeadComment = head.String()
	// Each resource's approximations above it.
	res := doc.Content[len(doc.Content)-1]
	for i, n := range r.Resources {
		if len(n.notes) > 0 {
			res.Content[2*i].HeadComment = strings.Join(n.notes, "\n")
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("cannot write the blueprint: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func toNode(v any) *yaml.Node {
	switch v := v.(type) {
	case []kv:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, e := range v {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: e.Key}, toNode(e.Value))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range v {
			n.Content = append(n.Content, toNode(e))
		}
		return n
	default:
		n := &yaml.Node{}
		n.Encode(v)
		return n
	}
}
