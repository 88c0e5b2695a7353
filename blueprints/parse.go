package blueprints

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	goyaml "github.com/goccy/go-yaml"
	goparser "github.com/goccy/go-yaml/parser"
	"github.com/skyform/skyform/blueprints/templates"
	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// The node budget bounds how many YAML nodes decoding may visit, so that
// an alias bomb (a few lines expanding to billions of nodes) is refused at
// once instead of eating memory: a few visits per node the file really
// holds, plus slack for honest aliases and merge keys.
const (
	visitsPerNode = 8
	aliasSlack    = 100_000
)

// countNodes counts the nodes of a document without following aliases:
// linear in the size of the file.
func countNodes(n *yaml.Node) (count int, aliases bool) {
	count, aliases = 1, n.Kind == yaml.AliasNode
	for _, k := range n.Content {
		c, a := countNodes(k)
		count, aliases = count+c, aliases || a
	}
	return count, aliases
}

// Load reads and parses a blueprint file. The returned error is for system
// failures only (the file cannot be read); problems in the blueprint are
// diagnostics.
func Load(path string, opts ...Option) (*Blueprint, diag.Diagnostics, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read blueprint: %w", err)
	}
	bp, ds := Parse(path, src, opts...)
	return bp, ds, nil
}

// Parse decodes and validates a blueprint. file names the blueprint in
// diagnostics and locates function sources (relative to its directory).
// The Blueprint is returned even when there are errors, for tools that want
// partial results; it must not be lowered then. A blueprint with uses: is
// expanded from its template (see package templates) first.
func Parse(file string, src []byte, opts ...Option) (*Blueprint, diag.Diagnostics) {
	d := &decoder{file: file}
	for _, o := range opts {
		o(&d.opts)
	}
	bp := &Blueprint{File: file, Dir: filepath.Dir(file), Source: src}
	if d.opts.dir != "" {
		bp.Dir = d.opts.dir
	}
	root, ok := parseChunked(src)
	if !ok {
		if root, ok = d.parseYAML(src); !ok {
			return bp, d.ds
		}
	}
	count, aliases := countNodes(root)
	d.maxNodes = visitsPerNode*count + aliasSlack
	// A template's expansion is a new tree, counted again; without one,
	// the tree is the one counted (a large blueprint has a million nodes).
	if expanded := d.useTemplate(root, bp); expanded != root {
		root = expanded
		count, aliases = countNodes(root)
		d.maxNodes = visitsPerNode*count + aliasSlack
	}
	d.aliases = aliases
	d.decodeTop(root, bp)
	if !d.overBudget {
		d.checkRefs(bp)
	}
	d.ds.Sort()
	return bp, d.ds
}

type decoder struct {
	file     string
	ds       diag.Diagnostics
	nodes    int
	maxNodes int
	// declared holds every resource name written, valid or not, so that a
	// reference to a resource with its own errors is not reported twice.
	declared map[string]bool
	// overBudget is set once the node budget is exhausted; decoding stops.
	overBudget bool

	// doc names the kind of document in messages ("blueprint" when empty)
	// and needs says which keys it must have at least.
	doc, needs string
	opts       options
	// ext is the expansion of the blueprint's template: which nodes come
	// from the template file, and where parameter values were given.
	ext *templates.Expansion
	// stats caches what a function source directory is, by path: a large
	// blueprint's functions mostly share a few.
	stats map[string]sourceStat
	// aliases is set when the document uses a YAML alias anywhere.
	aliases bool
}

// sourceStat is what os.Stat said about a source directory.
type sourceStat struct {
	isDir bool
	err   error
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses the one document src holds: by the fast path when it
// can, else with yaml.v3, which reports syntax errors, an empty file and
// extra documents (the fast path declines all of these).
func (d *decoder) parseYAML(src []byte) (*yaml.Node, bool) {
	if n, ok := parseFast(src); ok {
		return n, true
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.empty()
			return nil, false
		}
		d.syntaxError(src, err)
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "", "more than one YAML document", "a %s file holds exactly one document; remove the second '---'", d.docName())
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(src, err)
		return nil, false
	}
	if len(doc.Content) == 0 {
		d.empty()
		return nil, false
	}
	return doc.Content[0], true
}

func (d *decoder) docName() string {
	if d.doc == "" {
		return "blueprint"
	}
	return d.doc
}

func (d *decoder) empty() {
	needs := d.needs
	if needs == "" {
		needs = "the keys blueprint and resources"
	}
	d.ds = d.ds.Errorf(diag.Range{File: d.file, Start: diag.Pos{Line: 1, Column: 1}}, "", "empty "+d.docName(), "a %s needs at least %s", d.docName(), needs)
}

// syntaxError turns a YAML error into a diagnostic. yaml.v3 reports only
// a line, often that of the enclosing mapping, so goccy/go-yaml's parser is
// asked where the problem really is; failing that, the column is the line's
// first non-blank byte.
func (d *decoder) syntaxError(src []byte, err error) {
	var se *goyaml.SyntaxError
	if _, gerr := goparser.ParseBytes(src, 0); errors.As(gerr, &se) && se.Token != nil {
		pos := diag.Pos{Line: se.Token.Position.Line, Column: se.Token.Position.Column}
		d.ds = d.ds.Errorf(diag.Range{File: d.file, Start: pos}, "", "malformed YAML", "%s", se.Message)
		return
	}
	msg := err.Error()
	line := 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	col := 1
	if l, ok := nthLine(src, line); ok {
		col = len(l) - len(strings.TrimLeft(l, " \t")) + 1
	}
	d.ds = d.ds.Errorf(diag.Range{File: d.file, Start: diag.Pos{Line: line, Column: col}}, "", "malformed YAML", "%s", msg)
}

func nthLine(src []byte, n int) (string, bool) {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return "", false
	}
	return lines[n-1], true
}

func (d *decoder) rng(n *yaml.Node) diag.Range {
	file := d.file
	if d.ext != nil {
		if f, ok := d.ext.Files[n]; ok {
			file = f
		}
	}
	return diag.Range{File: file, Start: diag.Pos{Line: n.Line, Column: n.Column}}
}

func (d *decoder) errorf(n *yaml.Node, path, summary, detail string, args ...any) {
	d.ds = d.ds.Errorf(d.rng(n), path, summary, detail, args...)
	if d.ext != nil {
		last := d.ds[len(d.ds)-1]
		last.Related = append(last.Related, d.ext.Related[n]...)
	}
}

// resolve follows aliases and charges the node budget.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.nodes++
	if d.nodes > d.maxNodes && !d.overBudget {
		d.overBudget = true
		d.errorf(n, "", d.docName()+" too large", "its aliases expand to more than %d YAML nodes; refusing to go on", d.maxNodes)
	}
	return n
}

type entry struct {
	key, val *yaml.Node
}

// mapping returns a mapping's entries in order, with merge keys (<<)
// applied, reporting duplicate keys. ok is false when n is not a mapping.
func (d *decoder) mapping(n *yaml.Node, path, what string) ([]entry, bool) {
	n = d.resolve(n)
	if d.overBudget {
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil, true
		}
		d.errorf(n, path, "wrong type", "%s must be a mapping (key: value lines), not %s", what, describe(n))
		return nil, false
	}
	var out []entry
	seen := map[string]*yaml.Node{}
	add := func(k, v *yaml.Node, explicit bool) {
		if prev, dup := seen[k.Value]; dup {
			if explicit {
				d.errorf(k, join(path, k.Value), "duplicate key", "%q is already set at line %d, column %d", k.Value, prev.Line, prev.Column)
			}
			return
		}
		seen[k.Value] = k
		out = append(out, entry{k, v})
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "wrong type", "keys must be plain names, not %s", describe(k))
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		add(k, v, true)
	}
	// Merged entries never override explicit ones.
	for _, m := range merges {
		m = d.resolve(m)
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			es, ok := d.mapping(s, path, "a merged value")
			if !ok {
				continue
			}
			for _, e := range es {
				add(e.key, e.val, false)
			}
		}
	}
	return out, true
}

// describe names a YAML value's shape for diagnostics.
func describe(n *yaml.Node) string { return templates.Describe(n) }

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// obj is a decoded object: its fields checked against a spec.
type obj struct {
	d    *decoder
	spec *Field
	path string
	node *yaml.Node
	// known are the fields of spec written, in order; an object has a few,
	// so they are searched rather than hashed (a large blueprint has tens
	// of thousands of objects, and two maps each were a tenth of decoding).
	known  []objEntry
	fields map[string]diag.Range // positions recorded for the model, may be nil
	prefix string                // prefix of field keys in fields
}

// object decodes a mapping whose keys must be fields of spec. wrongKind, if
// set, explains fields that belong to another kind.
func (d *decoder) object(n *yaml.Node, path string, spec *Field, what string, wrongKind func(string) string) *obj {
	o := &obj{d: d, spec: spec, path: path, node: n}
	es, ok := d.mapping(n, path, what)
	if !ok {
		return o
	}
	o.known = make([]objEntry, 0, len(es))
	for _, e := range es {
		name := e.key.Value
		if spec.child(name) == nil {
			detail := "allowed: " + strings.Join(spec.names(), ", ")
			if hint := wrongKind; hint != nil && hint(name) != "" {
				detail = hint(name) + "; " + detail
			} else if s := suggest(name, spec.names()); s != "" {
				detail = fmt.Sprintf("did you mean %q? %s", s, detail)
			}
			d.errorf(e.key, join(path, name), fmt.Sprintf("unknown field %q in %s", name, what), "%s", detail)
			continue
		}
		o.set(name, e.key, e.val)
	}
	for _, f := range spec.Fields {
		if f.Required && o.val(f.Name) == nil {
			d.errorf(n, join(path, f.Name), fmt.Sprintf("missing field %q in %s", f.Name, what), "%s", f.Doc)
		}
	}
	return o
}

type objEntry struct {
	name     string
	key, val *yaml.Node
}

// set records a field's key and value, replacing an earlier one.
func (o *obj) set(name string, key, val *yaml.Node) {
	for i := range o.known {
		if o.known[i].name == name {
			o.known[i].key, o.known[i].val = key, val
			return
		}
	}
	o.known = append(o.known, objEntry{name, key, val})
}

// val is the value node of field name, nil when it is not written.
func (o *obj) val(name string) *yaml.Node {
	for i := range o.known {
		if o.known[i].name == name {
			return o.known[i].val
		}
	}
	return nil
}

// key is the key node of field name, nil when it is not written.
func (o *obj) key(name string) *yaml.Node {
	for i := range o.known {
		if o.known[i].name == name {
			return o.known[i].key
		}
	}
	return nil
}

// drop forgets field name.
func (o *obj) drop(name string) {
	o.known = slices.DeleteFunc(o.known, func(e objEntry) bool { return e.name == name })
}

func (o *obj) has(name string) bool { return o.val(name) != nil }

func (o *obj) record(name string) {
	if o.fields != nil && o.key(name) != nil {
		o.fields[o.prefix+name] = o.d.rng(o.key(name))
	}
}

// scalar returns the resolved value node of a scalar field, or nil when the
// field is absent or has the wrong shape (an error is reported then).
func (o *obj) scalar(name string) (*yaml.Node, *Field) {
	f := o.spec.child(name)
	n := o.val(name)
	if n == nil {
		return nil, f
	}
	n = o.d.resolve(n)
	o.record(name)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		o.d.errorf(n, join(o.path, name), "wrong type", "%s must be %s, not %s", name, typeName(f), describe(n))
		return nil, f
	}
	return n, f
}

func typeName(f *Field) string {
	switch f.Type {
	case TInt:
		return "a whole number"
	case TBool:
		return "true or false"
	case TDuration:
		return "a duration such as 30s, 5m, 4h or 4d"
	case TObject, TMap:
		return "a mapping"
	case TList:
		return "a list"
	}
	return "a string"
}

func (o *obj) str(name string) string {
	n, f := o.scalar(name)
	if n == nil {
		if s, ok := f.Default.(string); ok {
			return s
		}
		return ""
	}
	v, _ := o.d.strValue(n, f, join(o.path, name), name)
	return v
}

// strValue checks a scalar string value against its field's enum and
// pattern; name is what messages call it.
func (d *decoder) strValue(n *yaml.Node, f *Field, path, name string) (string, bool) {
	if n.Tag == "!!bool" || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float") {
		d.errorf(n, path, "wrong type", "%s must be a string, not %s", name, describe(n))
		return "", false
	}
	v := n.Value
	if len(f.Enum) > 0 && !contains(f.Enum, v) {
		detail := "allowed: " + strings.Join(f.Enum, ", ")
		if s := suggest(v, f.Enum); s != "" {
			detail = fmt.Sprintf("did you mean %q? %s", s, detail)
		}
		d.errorf(n, path, fmt.Sprintf("unknown %s %q", strings.ReplaceAll(name, "_", " "), v), "%s", detail)
		return "", false
	}
	if f.Pattern != "" && !matches(f.Pattern, v) {
		d.errorf(n, path, fmt.Sprintf("invalid %s %q", strings.ReplaceAll(name, "_", " "), v), "%s", f.Doc)
		return "", false
	}
	return v, true
}

func (o *obj) int(name string) int {
	n, f := o.scalar(name)
	if n == nil {
		if v, ok := f.Default.(int); ok {
			return v
		}
		return 0
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if n.Tag != "!!int" || err != nil {
		o.d.errorf(n, join(o.path, name), "wrong type", "%s must be a whole number, not %s", name, describe(n))
		return 0
	}
	if v < f.Min || v > f.Max {
		o.d.errorf(n, join(o.path, name), fmt.Sprintf("%s out of range", name), "%d is not between %d and %d", v, f.Min, f.Max)
		return 0
	}
	return int(v)
}

func (o *obj) bool(name string) bool {
	n, f := o.scalar(name)
	if n == nil {
		v, _ := f.Default.(bool)
		return v
	}
	if n.Tag != "!!bool" {
		o.d.errorf(n, join(o.path, name), "wrong type", "%s must be true or false, not %s", name, describe(n))
		v, _ := f.Default.(bool)
		return v
	}
	return strings.EqualFold(n.Value, "true")
}

func (o *obj) dur(name string) time.Duration {
	n, f := o.scalar(name)
	if n == nil {
		v, _ := ParseDuration(f.Default.(string))
		return v
	}
	v, err := ParseDuration(n.Value)
	if err != nil || n.Tag != "!!str" {
		o.d.errorf(n, join(o.path, name), fmt.Sprintf("invalid duration %q", n.Value), "%s must be %s", name, typeName(f))
		return 0
	}
	if v < f.MinDur || v > f.MaxDur {
		o.d.errorf(n, join(o.path, name), fmt.Sprintf("%s out of range", name), "%s is not between %s and %s", n.Value, FormatDuration(f.MinDur), FormatDuration(f.MaxDur))
		return 0
	}
	return v
}

// sub decodes a nested object field, or returns nil when it is absent.
func (o *obj) sub(name, what string) *obj {
	n := o.val(name)
	if n == nil {
		return nil
	}
	o.record(name)
	c := o.d.object(n, join(o.path, name), o.spec.child(name), what, nil)
	c.fields, c.prefix = o.fields, o.prefix+name+"."
	return c
}

// entries returns the entries of a map field with keys checked against
// the field's key pattern.
func (o *obj) entries(name string) []entry {
	n := o.val(name)
	if n == nil {
		return nil
	}
	o.record(name)
	f := o.spec.child(name)
	es, ok := o.d.mapping(n, join(o.path, name), name)
	if !ok {
		return nil
	}
	var out []entry
	for _, e := range es {
		if !matches(f.KeyPattern, e.key.Value) {
			o.d.errorf(e.key, join(join(o.path, name), e.key.Value), fmt.Sprintf("invalid %s %q", f.KeyDoc, e.key.Value), "must match %s", f.KeyPattern)
			continue
		}
		if o.fields != nil {
			o.fields[o.prefix+name+"."+e.key.Value] = o.d.rng(e.key)
		}
		out = append(out, e)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

var reservedPrefixes = []string{"aws-", "gcp-", "azure-"}

// validName is namePattern without a regular expression (names are
// checked once per resource, and the expression was a large blueprint's
// hottest check): a lower-case letter, then letters, digits and dashes,
// not ending with a dash.
func validName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func (d *decoder) checkName(n *yaml.Node, path, what string, max int) bool {
	name := n.Value
	switch {
	case !validName(name):
		d.errorf(n, path, fmt.Sprintf("invalid %s name %q", what, name), "use lower-case letters, digits and dashes, starting with a letter and not ending with a dash")
	case len(name) > max:
		d.errorf(n, path, fmt.Sprintf("%s name %q is too long", what, name), "%d characters; at most %d", len(name), max)
	default:
		return true
	}
	return false
}

func (d *decoder) decodeTop(root *yaml.Node, bp *Blueprint) {
	top := d.object(root, "", topSpec, "the blueprint", nil)
	if d.overBudget {
		return
	}
	bp.Fields = map[string]diag.Range{}
	top.fields = bp.Fields
	top.record("blueprint")
	bp.Policy = top.str("policy")
	if n := top.val("blueprint"); n != nil {
		if n = d.resolve(n); n.Kind == yaml.ScalarNode && d.checkName(n, "blueprint", "blueprint", maxBlueprintName) {
			bp.Name = n.Value
		}
	}
	bp.Cloud = Cloud(top.str("cloud"))
	regionName := top.str("region")
	bp.Region.Range = d.rng(root)
	if n := top.val("region"); n != nil {
		bp.Region.Range = d.rng(d.resolve(n))
	}
	if regionName != "" {
		if r, ok := LookupRegion(regionName); ok {
			r.Range = bp.Region.Range
			bp.Region = r
		} else {
			detail := "neutral regions: " + strings.Join(RegionNames()[:len(NeutralRegions)], ", ") + "; or a cloud's own region name"
			if s := suggest(regionName, RegionNames()); s != "" {
				detail = fmt.Sprintf("did you mean %q? %s", s, detail)
			}
			d.ds = d.ds.Errorf(bp.Region.Range, "region", fmt.Sprintf("unknown region %q", regionName), "%s", detail)
		}
	}
	for _, e := range top.entries("labels") {
		v := d.resolve(e.val)
		path := "labels." + e.key.Value
		switch {
		case strings.HasPrefix(e.key.Value, "skyform-"):
			d.errorf(e.key, path, fmt.Sprintf("reserved label key %q", e.key.Value), "keys starting with skyform- are set by skyform itself")
		case v.Kind != yaml.ScalarNode || v.Tag == "!!null":
			d.errorf(v, path, "wrong type", "a label value must be a string, not %s", describe(v))
		case !pattern(labelValPattern).MatchString(v.Value):
			d.errorf(v, path, fmt.Sprintf("invalid label value %q", v.Value), "label values hold at most 63 lower-case letters, digits, '_' and '-' so that they are valid on every cloud")
		default:
			bp.Labels = append(bp.Labels, Label{e.key.Value, v.Value})
		}
	}
	sort.Slice(bp.Labels, func(i, j int) bool { return bp.Labels[i].Key < bp.Labels[j].Key })
	if m := top.str("modules"); m != "" {
		bp.Modules = filepath.Join(bp.Dir, m)
		bp.ModulesRange = d.rng(d.resolve(top.val("modules")))
	}
	if m := top.str("imports"); m != "" {
		bp.Imports = filepath.Join(bp.Dir, m)
		bp.ImportsRange = d.rng(d.resolve(top.val("imports")))
	}
	if n := top.val("backend"); n != nil {
		bp.Backend = d.decodeBackend(top.key("backend"), n)
	}
	if st := top.sub("state", "state"); st != nil {
		if enc := st.sub("encryption", "state.encryption"); enc != nil {
			if name := enc.str("passphrase_env"); name != "" {
				bp.StateEncryption = &StateEncryption{PassphraseEnv: name, Range: d.rng(d.resolve(enc.val("passphrase_env")))}
			}
		}
	}

	if top.val("resources") == nil && bp.Uses == nil && top.val("uses") == nil {
		d.errorf(root, "resources", `missing field "resources" in the blueprint`, "%s", topSpec.child("resources").Doc)
	}
	if n := top.val("resources"); n != nil {
		es, _ := d.mapping(n, "resources", "resources")
		if len(es) == 0 && !d.overBudget {
			d.errorf(d.resolve(n), "resources", "no resources", "a blueprint declares at least one resource")
		}
		bp.Resources = append(bp.Resources, d.decodeResources(bp, es)...)
		if d.overBudget {
			return
		}
		sort.Slice(bp.Resources, func(i, j int) bool { return bp.Resources[i].Name < bp.Resources[j].Name })
		d.checkRenames(bp)
	}
}

func (d *decoder) decodeResource(bp *Blueprint, e entry) *Resource {
	name := e.key.Value
	path := "resources." + name
	if d.declared == nil {
		d.declared = map[string]bool{}
	}
	d.declared[name] = true
	nameOK := d.checkName(e.key, path, "resource", maxResourceName)
	for _, p := range reservedPrefixes {
		if nameOK && strings.HasPrefix(name, p) {
			d.errorf(e.key, path, fmt.Sprintf("reserved resource name %q", name), "names starting with aws-, gcp- or azure- are kept for skyform's implicit modules")
			nameOK = false
		}
	}
	// The kind decides which fields are allowed, so read it first.
	val := d.resolve(e.val)
	var kind Kind
	kindNode := (*yaml.Node)(nil)
	if es, ok := d.mapping(val, path, "a resource"); ok {
		for _, f := range es {
			if f.key.Value == "kind" {
				kindNode = d.resolve(f.val)
			}
		}
		if kindNode == nil {
			d.errorf(e.key, path+".kind", `missing field "kind" in resource `+name, "allowed kinds: %s", strings.Join(stringsOf(Kinds), ", "))
			return nil
		}
		if kindNode.Kind == yaml.ScalarNode && contains(stringsOf(Kinds), kindNode.Value) {
			kind = Kind(kindNode.Value)
		} else {
			detail := "allowed kinds: " + strings.Join(stringsOf(Kinds), ", ")
			if s := suggest(kindNode.Value, stringsOf(Kinds)); s != "" {
				detail = fmt.Sprintf("did you mean %q? %s", s, detail)
			}
			d.errorf(kindNode, path+".kind", fmt.Sprintf("unknown kind %q", kindNode.Value), "%s", detail)
			return nil
		}
	} else {
		return nil
	}
	r := &Resource{Name: name, Kind: kind, Range: d.rng(e.key), Fields: map[string]diag.Range{}}
	o := d.object(val, path, kindSpecs[kind], "a "+string(kind), func(field string) string {
		for _, k := range Kinds {
			if k != kind && kindSpecs[k].child(field) != nil {
				return fmt.Sprintf("%s is a field of a %s, not of a %s", field, k, kind)
			}
		}
		return ""
	})
	o.fields = r.Fields
	o.record("kind")
	r.Cloud = bp.Cloud
	if c := o.str("cloud"); c != "" {
		r.Cloud = Cloud(c)
	}
	d.decodeOverrides(o, r)
	d.decodeRenamedFrom(o, r)
	switch kind {
	case KindQueue:
		r.Queue = d.decodeQueue(o)
	case KindFunction:
		r.Function = d.decodeFunction(bp, o)
	case KindDatabase:
		r.Database = d.decodeDatabase(o)
	case KindCluster:
		r.Cluster = d.decodeCluster(o)
	}
	if n := o.val("usage"); n != nil {
		o.record("usage")
		r.Usage = d.decodeUsage(n, path+".usage", r)
	}
	if !nameOK {
		return nil
	}
	return r
}

// decodeRenamedFrom reads a resource's former names: one name or a list,
// oldest first, each a valid resource name that is not the resource's own.
func (d *decoder) decodeRenamedFrom(o *obj, r *Resource) {
	n := o.val("renamed_from")
	if n == nil {
		return
	}
	o.record("renamed_from")
	n = d.resolve(n)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	path := join(o.path, "renamed_from")
	seen := map[string]bool{}
	for i, it := range items {
		it = d.resolve(it)
		p := path
		if n.Kind == yaml.SequenceNode {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		if it.Kind != yaml.ScalarNode || it.Tag != "!!str" {
			d.errorf(it, p, "wrong type", "renamed_from is a former resource name or a list of them, not %s", describe(it))
			continue
		}
		if !d.checkName(it, p, "former resource", maxResourceName) {
			continue
		}
		old := it.Value
		switch {
		case old == r.Name:
			d.errorf(it, p, fmt.Sprintf("%s is renamed from itself", r.Name), "renamed_from names the resource's former names, not its current one")
			continue
		case seen[old]:
			d.errorf(it, p, fmt.Sprintf("former name %q listed twice", old), "list each former name once, oldest first")
			continue
		}
		for _, pre := range reservedPrefixes {
			if strings.HasPrefix(old, pre) {
				d.errorf(it, p, fmt.Sprintf("reserved resource name %q", old), "names starting with aws-, gcp- or azure- are kept for skyform's implicit modules, so no resource can have had one")
				old = ""
				break
			}
		}
		if old == "" {
			continue
		}
		seen[old] = true
		r.Fields[fmt.Sprintf("renamed_from[%d]", len(r.RenamedFrom))] = d.rng(it)
		r.RenamedFrom = append(r.RenamedFrom, old)
	}
}

// checkRenames refuses former names that are a current resource's name or
// that two resources both claim: terraform could not tell where the state
// of that name belongs.
func (d *decoder) checkRenames(bp *Blueprint) {
	claimed := map[string]*Resource{}
	for _, r := range bp.Resources {
		for i, old := range r.RenamedFrom {
			at := r.At(fmt.Sprintf("renamed_from[%d]", i))
			path := r.Path("renamed_from")
			if cur := bp.Resource(old); cur != nil || d.declared[old] {
				d.ds = d.ds.Errorf(at, path, fmt.Sprintf("%s is renamed from %q, which is still a resource", r.Name, old),
					"a former name must no longer be in the blueprint; remove or rename resource %q first", old)
				continue
			}
			if prev, ok := claimed[old]; ok {
				d.ds = d.ds.Errorf(at, path, fmt.Sprintf("%q is claimed as a former name by %s and %s", old, prev.Name, r.Name),
					"the state of one former resource can move to one resource only")
				continue
			}
			claimed[old] = r
		}
	}
}

func (d *decoder) decodeOverrides(o *obj, r *Resource) {
	ov := o.sub("overrides", "overrides")
	if ov == nil {
		return
	}
	r.Overrides = map[Cloud]map[string]any{}
	for _, c := range Clouds {
		es := ov.entries(string(c))
		if len(es) == 0 {
			continue
		}
		m := map[string]any{}
		for _, e := range es {
			m[e.key.Value] = d.anyValue(e.val, join(ov.path, string(c)+"."+e.key.Value))
		}
		r.Overrides[c] = m
	}
}

// anyValue decodes an override value: scalars by their YAML type, lists and
// mappings recursively.
func (d *decoder) anyValue(n *yaml.Node, path string) any {
	n = d.resolve(n)
	if d.overBudget {
		return nil
	}
	switch n.Kind {
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			l = append(l, d.anyValue(c, fmt.Sprintf("%s[%d]", path, i)))
		}
		return l
	case yaml.MappingNode:
		es, _ := d.mapping(n, path, "an override value")
		m := make(map[string]any, len(es))
		for _, e := range es {
			m[e.key.Value] = d.anyValue(e.val, join(path, e.key.Value))
		}
		return m
	}
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true")
	case "!!int":
		if v, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return v
		}
	case "!!float":
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return v
		}
	}
	return n.Value
}

func (d *decoder) decodeQueue(o *obj) *Queue {
	q := &Queue{
		FIFO:              o.str("ordering") == "fifo",
		VisibilityTimeout: o.dur("visibility_timeout"),
		Retention:         o.dur("retention"),
		Encryption:        o.bool("encryption"),
	}
	if dl := o.sub("dead_letter", "dead_letter"); dl != nil {
		q.DeadLetter = &DeadLetter{MaxDeliveries: dl.int("max_deliveries")}
	}
	return q
}

var reservedEnvPrefixes = []string{"AWS_", "LAMBDA_", "_HANDLER", "_X_AMZN_", "X_GOOGLE_", "K_", "FUNCTIONS_", "WEBSITE_", "AZUREWEBJOBS", "AZUREFUNCTIONSJOBHOST", "AZURE_CLIENT_ID", "SCM_", "APPLICATIONINSIGHTS_", "APPINSIGHTS_"}

func (d *decoder) decodeFunction(bp *Blueprint, o *obj) *Function {
	f := &Function{
		Runtime:     Runtime(o.str("runtime")),
		Source:      o.str("source"),
		Handler:     o.str("handler"),
		MemoryMB:    o.int("memory_mb"),
		Timeout:     o.dur("timeout"),
		Concurrency: o.int("concurrency"),
	}
	if n := o.val("source"); n != nil && f.Source != "" {
		d.checkSource(bp, d.resolve(n), join(o.path, "source"), f)
	}
	for _, e := range o.entries("env") {
		path := join(o.path, "env."+e.key.Value)
		for _, p := range reservedEnvPrefixes {
			if strings.HasPrefix(strings.ToUpper(e.key.Value), p) {
				d.errorf(e.key, path, fmt.Sprintf("reserved environment variable %q", e.key.Value), "names starting with %s are reserved by one of the clouds, so the function would not move between them", p)
			}
		}
		v := d.resolve(e.val)
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			d.errorf(v, path, "wrong type", "an environment value must be a string, not %s", describe(v))
			continue
		}
		f.Env = append(f.Env, EnvVar{Name: e.key.Value, Value: d.template(v, path)})
	}
	if n := o.val("triggers"); n != nil {
		o.record("triggers")
		seq := d.resolve(n)
		if seq.Kind != yaml.SequenceNode {
			d.errorf(seq, join(o.path, "triggers"), "wrong type", "triggers must be a list, not %s", describe(seq))
		} else {
			spec := o.spec.child("triggers").Elem
			https := 0
			for i, tn := range seq.Content {
				path := fmt.Sprintf("%s.triggers[%d]", o.path, i)
				t := d.object(tn, path, spec, "a trigger", nil)
				t.fields, t.prefix = o.fields, fmt.Sprintf("triggers[%d].", i)
				var tr Trigger
				sources := 0
				for _, name := range []string{"queue", "http", "schedule"} {
					if t.has(name) {
						sources++
					}
				}
				if !t.has("schedule") && t.has("timezone") {
					d.errorf(t.key("timezone"), join(path, "timezone"), "timezone is for schedule triggers", "only a schedule has times to read in a time zone; remove timezone or add schedule in its own trigger")
				}
				switch {
				case sources > 1:
					d.errorf(d.resolve(tn), path, "a trigger has one source", "write each queue, http and schedule trigger as its own list item")
				case t.has("queue"):
					tr.Queue = t.str("queue")
					tr.BatchSize = t.int("batch_size")
				case t.has("http"):
					if t.has("batch_size") {
						d.errorf(t.key("batch_size"), join(path, "batch_size"), "batch_size is for queue triggers", "an http trigger receives one request per invocation")
					}
					h := t.sub("http", "http")
					tr.HTTP = &HTTPTrigger{Public: h.bool("public")}
					if https++; https > 1 {
						d.errorf(t.key("http"), join(path, "http"), "more than one http trigger", "a function has one HTTPS address")
					}
				case t.has("schedule"):
					if t.has("batch_size") {
						d.errorf(t.key("batch_size"), join(path, "batch_size"), "batch_size is for queue triggers", "a schedule starts one invocation at each time it names")
					}
					tr.Schedule = d.schedule(t, path)
				case t.has("timezone"):
					// Reported above: a time zone without a schedule.
				default:
					if len(t.known) > 0 || d.resolve(tn).Kind == yaml.MappingNode {
						d.errorf(d.resolve(tn), path, "empty trigger", "a trigger needs queue: <queue name>, http: {public: true|false} or schedule: <cron schedule>")
					}
				}
				f.Triggers = append(f.Triggers, tr)
			}
		}
	}
	return f
}

// schedule decodes a schedule trigger: its cron expression, each mistake
// pointed at in place, and its time zone. It returns nil after a mistake.
func (d *decoder) schedule(t *obj, path string) *ScheduleTrigger {
	text := t.str("schedule")
	n := d.resolve(t.val("schedule"))
	var st *ScheduleTrigger
	if text != "" || n.Tag == "!!str" {
		c, err := ParseCron(text)
		if err != nil {
			d.ds = d.ds.Errorf(d.offsetRange(n, err.Offset), join(path, "schedule"), err.Summary, "%s", err.Detail)
		} else {
			st = &ScheduleTrigger{Cron: c}
		}
	}
	tz := t.str("timezone")
	loc, err := loadZone(tz)
	if err != nil {
		at := t.val("timezone")
		if at == nil {
			at = n
		}
		d.errorf(d.resolve(at), join(path, "timezone"), fmt.Sprintf("unknown time zone %q", tz), "%s", err)
		return nil
	}
	if st != nil {
		st.Timezone, st.Location = tz, loc
	}
	return st
}

// checkSource resolves a function's source directory: it must be a
// directory inside the blueprint's directory.
func (d *decoder) checkSource(bp *Blueprint, n *yaml.Node, path string, f *Function) {
	if filepath.IsAbs(f.Source) || strings.HasPrefix(filepath.ToSlash(filepath.Clean(f.Source)), "../") || filepath.Clean(f.Source) == ".." {
		d.errorf(n, path, fmt.Sprintf("source %q is outside the blueprint's directory", f.Source), "give a relative path below the directory holding the blueprint")
		return
	}
	dir := filepath.Join(bp.Dir, f.Source)
	st, ok := d.stats[dir]
	if !ok {
		fi, err := os.Stat(dir)
		st = sourceStat{err: err, isDir: err == nil && fi.IsDir()}
		if d.stats == nil {
			d.stats = map[string]sourceStat{}
		}
		d.stats[dir] = st
	}
	switch {
	case st.err != nil:
		shown := dir
		if d.opts.dir != "" {
			// Checked before being written: name where it will be.
			shown = filepath.Join(filepath.Dir(d.file), f.Source)
		}
		d.errorf(n, path, fmt.Sprintf("source directory %q not found", f.Source), "looked for %s", shown)
	case !st.isDir:
		d.errorf(n, path, fmt.Sprintf("source %q is not a directory", f.Source), "source names the directory that holds the function's code")
	default:
		f.SourceDir = dir
	}
}

func (d *decoder) decodeDatabase(o *obj) *Database {
	db := &Database{
		Engine:              Engine(o.str("engine")),
		Version:             o.str("version"),
		Size:                Size(o.str("size")),
		StorageGB:           o.int("storage_gb"),
		HighAvailability:    o.bool("high_availability"),
		BackupRetentionDays: o.int("backup_retention_days"),
		DeletionProtection:  o.bool("deletion_protection"),
	}
	versions, ok := databaseVersions[db.Engine]
	if !ok {
		return db
	}
	if db.Version == "" && !o.has("version") {
		db.Version = versions[len(versions)-2]
		if db.Engine == MySQL {
			db.Version = "8.0"
		}
	} else if db.Version != "" && !contains(versions, db.Version) {
		n := d.resolve(o.val("version"))
		d.errorf(n, join(o.path, "version"), fmt.Sprintf("unsupported %s version %q", db.Engine, db.Version), "versions offered on every cloud: %s", strings.Join(versions, ", "))
	}
	return db
}

func (d *decoder) decodeCluster(o *obj) *Cluster {
	c := &Cluster{Kubernetes: o.str("kubernetes"), PrivateEndpoint: o.bool("private_endpoint")}
	spec := o.spec.child("node_pools").Elem
	for _, e := range o.entries("node_pools") {
		path := join(o.path, "node_pools."+e.key.Value)
		p := d.object(e.val, path, spec, "a node pool", nil)
		p.fields, p.prefix = o.fields, "node_pools."+e.key.Value+"."
		np := NodePool{Name: e.key.Value, Size: Size(p.str("size")), Min: p.int("min"), Max: p.int("max"), Spot: p.bool("spot")}
		if np.Min > np.Max {
			at := e.key
			if p.key("min") != nil {
				at = p.key("min")
			}
			d.errorf(at, join(path, "min"), "min is larger than max", "min %d, max %d", np.Min, np.Max)
		}
		c.NodePools = append(c.NodePools, np)
	}
	if o.has("node_pools") && len(c.NodePools) == 0 && !d.ds.HasErrors() {
		d.errorf(d.resolve(o.val("node_pools")), join(o.path, "node_pools"), "no node pools", "a cluster needs at least one node pool")
	}
	sort.Slice(c.NodePools, func(i, j int) bool { return c.NodePools[i].Name < c.NodePools[j].Name })
	return c
}

// decodeBackend decodes the backend mapping: its type decides which fields
// are allowed, so it is read first. It returns nil when the type is
// missing or unknown.
func (d *decoder) decodeBackend(key, n *yaml.Node) *Backend {
	es, ok := d.mapping(n, "backend", "backend")
	if !ok {
		return nil
	}
	var typeNode *yaml.Node
	for _, e := range es {
		if e.key.Value == "type" {
			typeNode = d.resolve(e.val)
		}
	}
	types := stringsOf(BackendTypes)
	if typeNode == nil {
		d.errorf(key, "backend.type", `missing field "type" in backend`, "allowed types: %s", strings.Join(types, ", "))
		return nil
	}
	if typeNode.Kind != yaml.ScalarNode || !contains(types, typeNode.Value) {
		detail := "allowed types: " + strings.Join(types, ", ")
		if s := suggest(typeNode.Value, types); s != "" {
			detail = fmt.Sprintf("did you mean %q? %s", s, detail)
		}
		d.errorf(typeNode, "backend.type", fmt.Sprintf("unknown backend type %q", typeNode.Value), "%s", detail)
		return nil
	}
	t := BackendType(typeNode.Value)
	b := &Backend{Type: t, Range: d.rng(key), Fields: map[string]diag.Range{}}
	what := "a " + string(t) + " backend"
	if t == BackendS3 || t == BackendAzure {
		what = "an " + string(t) + " backend"
	}
	o := d.object(n, "backend", backendSpecs[t], what, func(field string) string {
		for _, other := range BackendTypes {
			if other != t && backendSpecs[other].child(field) != nil {
				return fmt.Sprintf("%s is a field of the %s backend, not of the %s backend", field, other, t)
			}
		}
		return ""
	})
	o.fields = b.Fields
	o.record("type")
	str := func(name string) string {
		if o.spec.child(name) == nil {
			return ""
		}
		return o.str(name)
	}
	b.Bucket = str("bucket")
	b.Key = str("key")
	b.Region = str("region")
	b.Prefix = str("prefix")
	b.StorageAccount = str("storage_account")
	b.Container = str("container")
	b.ResourceGroup = str("resource_group")
	if l := len(b.Container); l > 63 || (l > 0 && l < 3) {
		d.errorf(d.resolve(o.val("container")), "backend.container", fmt.Sprintf("invalid container %q", b.Container), "a container name has 3 to 63 characters")
		b.Container = ""
	}
	return b
}
