package blueprints

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// RenameResult is what Rename changed.
type RenameResult struct {
	// Source is the rewritten blueprint.
	Source []byte
	// References counts the ${old.attribute} references and queue triggers
	// that now name the new resource.
	References int
	// RenamedFrom is the resource's former names after the rename, oldest
	// first (old last).
	RenamedFrom []string
}

// Rename rewrites a blueprint's source so that resource old is called new:
// the key is edited where it is written, renamed_from gains old (so the
// next plan moves the resource's state instead of replacing it), and
// references (${old.attribute}, triggers [{queue: old}]) follow. Only those
// bytes change; comments and layout stay. A blueprint that has errors, an
// old that is not a resource, or a new that is already taken is refused
// with diagnostics, and the result is always reparsed: an edit that would
// leave the blueprint invalid is refused as well.
func Rename(file string, src []byte, old, new string) (*RenameResult, diag.Diagnostics) {
	bp, ds := Parse(file, src)
	if ds.HasErrors() {
		return nil, ds
	}
	d := &decoder{file: file, maxNodes: 1 << 30}
	root, _ := d.parseYAML(src)
	var resources, resourcesKey *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "resources" {
			resourcesKey, resources = root.Content[i], d.resolve(root.Content[i+1])
		}
	}
	var oldKey, oldVal, newKey *yaml.Node
	for i := 0; i+1 < len(resources.Content); i += 2 {
		switch resources.Content[i].Value {
		case old:
			oldKey, oldVal = resources.Content[i], d.resolve(resources.Content[i+1])
		case new:
			newKey = resources.Content[i]
		}
	}
	switch {
	case oldKey == nil:
		names := make([]string, len(bp.Resources))
		for i, r := range bp.Resources {
			names[i] = r.Name
		}
		return nil, ds.Errorf(d.rng(resourcesKey), "resources", fmt.Sprintf("no resource %q to rename", old), "%s", didYouMean(old, names, "the blueprint has no resource of that name"))
	case newKey != nil:
		return nil, ds.Errorf(d.rng(newKey), "resources."+new, fmt.Sprintf("resource %q already exists", new), "pick a name no resource has, or rename %q first", new)
	case oldVal.Kind != yaml.MappingNode:
		return nil, ds.Errorf(d.rng(oldVal), "resources."+old, "cannot rename a resource written through an alias", "write the resource out under its name, then rename it")
	}
	r := bp.Resource(old)
	for i, former := range r.RenamedFrom {
		if former == new {
			return nil, ds.Errorf(r.At(fmt.Sprintf("renamed_from[%d]", i)), r.Path("renamed_from"), fmt.Sprintf("%q is a former name of %s", new, old),
				"renaming a resource back to a former name is not supported: the moves recorded in renamed_from would go in a circle")
		}
	}
	e := &editor{src: src}
	e.replaceScalar(oldKey, new)
	e.addRenamedFrom(oldVal, old)
	refs := 0
	for i := 0; i+1 < len(resources.Content); i += 2 {
		refs += e.references(d, d.resolve(resources.Content[i+1]), old, new)
	}
	out, err := e.apply()
	if err != nil {
		return nil, ds.Errorf(d.rng(oldKey), "resources."+old, "cannot rename "+old, "%v", err)
	}
	nbp, nds := Parse(file, out)
	if nds.HasErrors() {
		return nil, append(ds.Errorf(d.rng(oldKey), "resources."+old, "cannot rename "+old,
			"the renamed blueprint would not be valid; nothing was changed"), nds...)
	}
	nr := nbp.Resource(new)
	if nr == nil || nbp.Resource(old) != nil || len(nr.RenamedFrom) == 0 || nr.RenamedFrom[len(nr.RenamedFrom)-1] != old {
		return nil, ds.Errorf(d.rng(oldKey), "resources."+old, "cannot rename "+old, "the blueprint's layout defeated the rewrite; rename the key and add renamed_from: %s by hand", old)
	}
	return &RenameResult{Source: out, References: refs, RenamedFrom: nr.RenamedFrom}, ds
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

type editor struct {
	src   []byte
	edits []edit
}

// offset turns a yaml.v3 line and column (1-based, in characters) into a
// byte offset.
func (e *editor) offset(line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(e.src[off:], '\n')
		if i < 0 {
			return len(e.src)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(e.src) && e.src[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(e.src[off:])
		off += n
	}
	return off
}

// lineStart is the offset of the first byte of the line holding off.
func (e *editor) lineStart(off int) int {
	return bytes.LastIndexByte(e.src[:off], '\n') + 1
}

// nextLine is the offset just past the end of the line holding off; a last
// line without a newline gets one.
func (e *editor) nextLine(off int) int {
	i := bytes.IndexByte(e.src[off:], '\n')
	if i < 0 {
		e.edits = append(e.edits, edit{len(e.src), len(e.src), "\n"})
		return len(e.src)
	}
	return off + i + 1
}

// replaceScalar rewrites a one-line scalar (a key, a queue name) in place,
// keeping its quotes.
func (e *editor) replaceScalar(n *yaml.Node, text string) {
	start := e.offset(n.Line, n.Column)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start++
	}
	e.edits = append(e.edits, edit{start, start + len(n.Value), text})
}

// addRenamedFrom appends old to the resource's renamed_from, writing the
// field after kind when there is none.
func (e *editor) addRenamedFrom(res *yaml.Node, old string) {
	var kind, renamed *yaml.Node
	for i := 0; i+1 < len(res.Content); i += 2 {
		switch res.Content[i].Value {
		case "kind":
			kind = res.Content[i]
		case "renamed_from":
			renamed = res.Content[i+1]
		}
	}
	switch {
	case renamed != nil && renamed.Kind == yaml.ScalarNode:
		e.replaceScalarWhole(renamed, "["+renamed.Value+", "+old+"]")
	case renamed != nil && renamed.Kind == yaml.SequenceNode && len(renamed.Content) > 0:
		last := renamed.Content[len(renamed.Content)-1]
		if renamed.Style&yaml.FlowStyle != 0 {
			end := e.scalarEnd(last)
			e.edits = append(e.edits, edit{end, end, ", " + old})
			return
		}
		// A block list: a new "- old" line under the last item.
		ls := e.lineStart(e.offset(last.Line, last.Column))
		indent := e.src[ls:e.offset(last.Line, last.Column)]
		at := e.nextLine(e.offset(last.Line, last.Column))
		e.edits = append(e.edits, edit{at, at, string(indent) + old + "\n"})
	case res.Style&yaml.FlowStyle != 0:
		at := e.offset(res.Line, res.Column) + 1
		e.edits = append(e.edits, edit{at, at, "renamed_from: " + old + ", "})
	default:
		ks := e.offset(kind.Line, kind.Column)
		indent := strings.Repeat(" ", kind.Column-1)
		if e.lineStart(ks) != ks-(kind.Column-1) {
			// kind shares its line with something else: indent as it is.
			indent = string(bytes.Repeat([]byte(" "), utf8.RuneCount(e.src[e.lineStart(ks):ks])))
		}
		at := e.nextLine(ks)
		e.edits = append(e.edits, edit{at, at, indent + "renamed_from: " + old + "\n"})
	}
}

// replaceScalarWhole replaces a one-line scalar including its quotes.
func (e *editor) replaceScalarWhole(n *yaml.Node, text string) {
	start := e.offset(n.Line, n.Column)
	e.edits = append(e.edits, edit{start, e.scalarEnd(n), text})
}

// scalarEnd is the offset just past a one-line scalar, quotes included.
func (e *editor) scalarEnd(n *yaml.Node) int {
	start := e.offset(n.Line, n.Column)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		q := e.src[start]
		for i := start + 1; i < len(e.src) && e.src[i] != '\n'; i++ {
			if e.src[i] == '\\' && q == '"' {
				i++
				continue
			}
			if e.src[i] == q {
				if q == '\'' && i+1 < len(e.src) && e.src[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
	}
	return start + len(n.Value)
}

// references renames old to new in a resource's env references and queue
// triggers, returning how many it changed.
func (e *editor) references(d *decoder, res *yaml.Node, old, new string) int {
	if res.Kind != yaml.MappingNode {
		return 0
	}
	count := 0
	for i := 0; i+1 < len(res.Content); i += 2 {
		v := d.resolve(res.Content[i+1])
		switch res.Content[i].Value {
		case "env":
			for j := 0; j+1 < len(v.Content); j += 2 {
				count += e.envReferences(d.resolve(v.Content[j+1]), old, new)
			}
		case "triggers":
			for _, t := range v.Content {
				t = d.resolve(t)
				for j := 0; j+1 < len(t.Content); j += 2 {
					if q := d.resolve(t.Content[j+1]); t.Content[j].Value == "queue" && q.Kind == yaml.ScalarNode && q.Value == old {
						e.replaceScalar(q, new)
						count++
					}
				}
			}
		}
	}
	return count
}

// envReferences rewrites the first K "${old." in the source from the
// value's position on, K being the references to old the value holds
// ("$${" is a literal and skipped).
func (e *editor) envReferences(v *yaml.Node, old, new string) int {
	if v.Kind != yaml.ScalarNode {
		return 0
	}
	want := 0
	for _, p := range (&decoder{}).template(v, "") {
		if p.Ref != nil && p.Ref.Resource == old {
			want++
		}
	}
	if want == 0 {
		return 0
	}
	re := regexp.MustCompile(`(^|[^$])\$\{(\s*)` + regexp.QuoteMeta(old) + `\.`)
	from := e.offset(v.Line, v.Column)
	done := 0
	for done < want {
		loc := re.FindSubmatchIndex(e.src[from:])
		if loc == nil {
			break
		}
		nameStart := from + loc[5]
		e.edits = append(e.edits, edit{nameStart, nameStart + len(old), new})
		from = nameStart + len(old)
		done++
	}
	return done
}

// apply makes the edits, which must not overlap.
func (e *editor) apply() ([]byte, error) {
	sort.SliceStable(e.edits, func(i, j int) bool { return e.edits[i].start < e.edits[j].start })
	var out bytes.Buffer
	prev := 0
	for _, ed := range e.edits {
		if ed.start < prev {
			return nil, fmt.Errorf("overlapping edits at byte %d", ed.start)
		}
		out.Write(e.src[prev:ed.start])
		out.WriteString(ed.text)
		prev = ed.end
	}
	out.Write(e.src[prev:])
	return out.Bytes(), nil
}
