package blueprints

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// refRE is what may stand inside ${...} to be a reference. Anything else
// inside ${...} is literal text: it reaches Terraform escaped, never as an
// interpolation.
var refRE = regexp.MustCompile(`^\s*([a-z][a-z0-9-]*)\.([a-z_][a-z0-9_]*)\s*$`)

// template splits a string into literal text and references. "$${" writes
// a literal "${". Text a template parameter supplied is data: a "${" in it
// is literal, never a reference.
func (d *decoder) template(n *yaml.Node, path string) Template {
	s := n.Value
	data := d.dataMask(n)
	var t Template
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t = append(t, Part{Text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case data[i]:
			lit.WriteByte(s[i])
			i++
		case strings.HasPrefix(s[i:], "$${"):
			lit.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end >= 0 && data[i+end] {
				lit.WriteString("${")
				i += 2
				continue
			}
			if end < 0 {
				lit.WriteString(s[i:])
				i = len(s)
				continue
			}
			inner := s[i+2 : i+end]
			if m := refRE.FindStringSubmatch(inner); m != nil {
				flush()
				t = append(t, Part{Ref: &Ref{Resource: m[1], Attribute: m[2], Range: d.offsetRange(n, i)}})
			} else {
				lit.WriteString(s[i : i+end+1])
			}
			i += end + 1
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return t
}

// offsetRange is the position of byte off of a scalar's value: exact for
// plain and quoted one-line scalars, the scalar's start otherwise.
func (d *decoder) offsetRange(n *yaml.Node, off int) diag.Range {
	r := d.rng(n)
	if d.synthesized(n) || strings.Contains(n.Value, "\n") {
		return r
	}
	switch n.Style {
	case 0:
		r.Start.Column += off
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		r.Start.Column += off + 1
	}
	return r
}

// checkRefs resolves triggers and references once every resource is
// known, and refuses reference cycles.
func (d *decoder) checkRefs(bp *Blueprint) {
	names := make([]string, len(bp.Resources))
	for i, r := range bp.Resources {
		names[i] = r.Name
	}
	renamedTo := map[string]string{}
	for _, r := range bp.Resources {
		for _, old := range r.RenamedFrom {
			renamedTo[old] = r.Name
		}
	}
	unknown := func(name, fallback string) string {
		if to, ok := renamedTo[name]; ok {
			return fmt.Sprintf("%s was renamed to %s; refer to it by its new name", name, to)
		}
		return didYouMean(name, names, fallback)
	}
	edges := map[string][]*Ref{}
	for _, r := range bp.Resources {
		if r.Function == nil {
			continue
		}
		for i, t := range r.Function.Triggers {
			if t.Queue == "" {
				continue
			}
			field := fmt.Sprintf("triggers[%d].queue", i)
			q := bp.Resource(t.Queue)
			switch {
			case q == nil && d.declared[t.Queue]:
			case q == nil:
				d.ds = d.ds.Errorf(r.At(field), r.Path(field), fmt.Sprintf("unknown queue %q", t.Queue), "%s", unknown(t.Queue, "no resource of that name"))
			case q.Kind != KindQueue:
				d.ds = d.ds.Errorf(r.At(field), r.Path(field), fmt.Sprintf("%q is a %s, not a queue", t.Queue, q.Kind), "a queue trigger names a resource of kind queue")
			}
		}
		for _, e := range r.Function.Env {
			for _, ref := range e.Value.Refs() {
				path := r.Path("env." + e.Name)
				t := bp.Resource(ref.Resource)
				if t == nil && d.declared[ref.Resource] {
					continue
				}
				if t == nil {
					d.ds = d.ds.Errorf(ref.Range, path, fmt.Sprintf("unknown reference ${%s.%s}", ref.Resource, ref.Attribute), "%s", unknown(ref.Resource, "no resource of that name; write $${...} for a literal ${...}"))
					continue
				}
				attr, ok := LookupAttribute(t.Kind, ref.Attribute)
				if !ok {
					var allowed []string
					for _, a := range Attributes[t.Kind] {
						allowed = append(allowed, a.Name)
					}
					d.ds = d.ds.Errorf(ref.Range, path, fmt.Sprintf("unknown attribute %q of %s %q", ref.Attribute, t.Kind, t.Name), "%s", didYouMean(ref.Attribute, allowed, "a "+string(t.Kind)+" has no such attribute"))
					continue
				}
				if t.Kind == KindFunction && attr.Name == "url" && !hasHTTP(t.Function) {
					d.ds = d.ds.Errorf(ref.Range, path, fmt.Sprintf("function %q has no url", t.Name), "only a function with an http trigger has an address")
					continue
				}
				edges[r.Name] = append(edges[r.Name], ref)
			}
		}
	}
	d.checkCycles(bp, edges)
}

func hasHTTP(f *Function) bool {
	for _, t := range f.Triggers {
		if t.HTTP != nil {
			return true
		}
	}
	return false
}

// checkCycles refuses references that lead back to where they start:
// Terraform could not order the resources.
func (d *decoder) checkCycles(bp *Blueprint, edges map[string][]*Ref) {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(n string)
	visit = func(n string) {
		state[n] = active
		stack = append(stack, n)
		for _, ref := range edges[n] {
			switch state[ref.Resource] {
			case active:
				i := len(stack) - 1
				for stack[i] != ref.Resource {
					i--
				}
				cycle := append(append([]string{}, stack[i:]...), ref.Resource)
				d.ds = d.ds.Errorf(ref.Range, bp.Resource(n).Path("env"), "reference cycle", "%s refer to each other in a loop; break it by removing one reference", strings.Join(cycle, " → "))
			case unseen:
				visit(ref.Resource)
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
	}
	keys := make([]string, 0, len(edges))
	for k := range edges {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if state[k] == unseen {
			visit(k)
		}
	}
}

// dataMask marks the bytes of a scalar that a template parameter supplied.
func (d *decoder) dataMask(n *yaml.Node) []bool {
	mask := make([]bool, len(n.Value)+1)
	if d.ext == nil {
		return mask
	}
	for _, sp := range d.ext.Data[n] {
		for i := sp.Start; i < sp.End && i < len(n.Value); i++ {
			mask[i] = true
		}
	}
	return mask
}

// synthesized reports whether a scalar was written by expanding a
// template: its offsets no longer match a line of any file.
func (d *decoder) synthesized(n *yaml.Node) bool {
	if d.ext == nil {
		return false
	}
	_, ok := d.ext.Data[n]
	return ok
}
