package blueprints

import (
	"fmt"

	"github.com/skyform/skyform/blueprints/templates"
	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// Option changes how Parse reads a blueprint.
type Option func(*options)

type options struct {
	resolver   *templates.Resolver
	ignoreLock bool
	dir        string
}

// WithDir resolves function sources and local templates against dir
// instead of the blueprint file's directory: for checking a blueprint
// before it is written where it will live.
func WithDir(dir string) Option { return func(o *options) { o.dir = dir } }

// WithResolver resolves the blueprint's template with r (its git cache,
// its git binary) instead of the default resolver.
func WithResolver(r *templates.Resolver) Option { return func(o *options) { o.resolver = r } }

// IgnoreLock resolves the blueprint's template without comparing it with
// the lock file: for `skyform templates lock`, which writes that file.
func IgnoreLock() Option { return func(o *options) { o.ignoreLock = true } }

// TemplateUse is the template a blueprint is built from.
type TemplateUse struct {
	*templates.Resolved
	// Range is the uses: value in the blueprint.
	Range diag.Range
}

// Sources returns the bytes of every file the blueprint's diagnostics may
// point into: the blueprint, its template and its lock file.
func (b *Blueprint) Sources() diag.Sources {
	src := diag.Sources{b.File: b.Source}
	for f, data := range b.Extra {
		src[f] = data
	}
	return src
}

// topNode returns the value of a top-level key, following aliases.
func topNode(root *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			v = root.Content[i+1]
			for v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return root.Content[i], v
		}
	}
	return nil, nil
}

// useTemplate resolves the blueprint's uses:, checks it against the lock
// file and its with: values against the parameters, and returns the root
// mapping with the template's labels and resources merged in. Without
// uses: the root is returned as it is.
func (d *decoder) useTemplate(root *yaml.Node, bp *Blueprint) *yaml.Node {
	if root.Kind != yaml.MappingNode {
		return root
	}
	usesKey, usesVal := topNode(root, "uses")
	withKey, withVal := topNode(root, "with")
	if usesKey == nil {
		if withKey != nil {
			d.errorf(withKey, "with", "with: without uses:", "with gives the parameters of the template named by uses: <template>@<version>")
		}
		return root
	}
	if usesVal.Kind != yaml.ScalarNode || usesVal.Tag != "!!str" {
		d.errorf(usesVal, "uses", "wrong type", "uses must be a string such as ./templates/web@1.2.0, not %s", describe(usesVal))
		return root
	}
	at := d.rng(usesVal)
	ref, err := templates.ParseRef(usesVal.Value)
	if err != nil {
		d.errorf(usesVal, "uses", fmt.Sprintf("invalid template reference %q", usesVal.Value), "%v", err)
		return root
	}
	r := d.opts.resolver
	if r == nil {
		r = &templates.Resolver{}
	}
	res, ds := r.Resolve(ref, bp.Dir, at)
	d.ds = append(d.ds, ds...)
	if res == nil || res.Template == nil {
		return root
	}
	t := res.Template
	if bp.Extra == nil {
		bp.Extra = diag.Sources{}
	}
	bp.Extra[t.File] = t.Source
	if ds.HasErrors() {
		return root
	}
	bp.Uses = &TemplateUse{Resolved: res, Range: at}
	if !d.opts.ignoreLock {
		lock, lds, err := templates.ReadLock(templates.LockPath(d.file))
		if err != nil {
			d.ds = d.ds.Errorf(at, "uses", "cannot read the lock file", "%v", err)
		} else {
			bp.Extra[lock.File] = lock.Source
			d.ds = append(d.ds, lds...)
			if !lds.HasErrors() {
				d.ds = append(d.ds, lock.Verify(res, at)...)
			}
		}
	}
	missingAt := at
	if withKey != nil {
		missingAt = d.rng(withKey)
	}
	ex, eds := templates.Expand(t, withVal, missingAt, d.rng)
	d.ds = append(d.ds, eds...)
	if ex == nil {
		return root
	}
	d.ext = ex
	return d.merge(root, ex)
}

// merge returns a copy of root whose labels and resources hold the
// template's entries followed by the blueprint's own. A blueprint adds to
// its template; it never replaces what the template declares.
func (d *decoder) merge(root *yaml.Node, ex *templates.Expansion) *yaml.Node {
	out := *root
	out.Content = append([]*yaml.Node(nil), root.Content...)
	for _, part := range []struct {
		key  string
		tmpl *yaml.Node
	}{{"labels", ex.Labels}, {"resources", ex.Resources}} {
		if part.tmpl == nil {
			continue
		}
		idx := -1
		for i := 0; i+1 < len(out.Content); i += 2 {
			if out.Content[i].Value == part.key {
				idx = i
			}
		}
		if idx < 0 {
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: part.key, Line: part.tmpl.Line, Column: part.tmpl.Column}
			ex.Files[key] = ex.Template.File
			out.Content = append(out.Content, key, part.tmpl)
			continue
		}
		own := d.resolve(out.Content[idx+1])
		if own.Kind != yaml.MappingNode {
			// Not a mapping: decoding the blueprint's own value reports it.
			continue
		}
		merged := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: own.Line, Column: own.Column}
		merged.Content = append(merged.Content, part.tmpl.Content...)
		declared := map[string]*yaml.Node{}
		for i := 0; i+1 < len(part.tmpl.Content); i += 2 {
			declared[part.tmpl.Content[i].Value] = part.tmpl.Content[i+1]
		}
		es, _ := d.mapping(own, part.key, part.key)
		for _, e := range es {
			tv, dup := declared[e.key.Value]
			if !dup {
				merged.Content = append(merged.Content, e.key, e.val)
				continue
			}
			if part.key == "labels" {
				if v := d.resolve(e.val); v.Kind == yaml.ScalarNode && v.Value == tv.Value {
					continue
				}
				d.errorf(e.key, "labels."+e.key.Value, fmt.Sprintf("label %q is set by template %s", e.key.Value, ex.Template.Name), "a blueprint adds labels to its template's; it cannot change them")
			} else {
				d.errorf(e.key, "resources."+e.key.Value, fmt.Sprintf("resource %q is already declared by template %s", e.key.Value, ex.Template.Name), "a blueprint adds resources to its template's; give this one another name")
			}
			for i := 0; i < len(part.tmpl.Content); i += 2 {
				if part.tmpl.Content[i].Value == e.key.Value {
					d.ds[len(d.ds)-1].With(d.rng(part.tmpl.Content[i]), "declared by the template here")
				}
			}
		}
		out.Content[idx+1] = merged
	}
	return &out
}
