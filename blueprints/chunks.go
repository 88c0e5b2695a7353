package blueprints

import (
	"bytes"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"
)

// splitAbove is the size of a resources block, in bytes, above which
// parseChunked parses it in pieces side by side. YAML parsing is most of
// the time a large blueprint takes to compile, and it runs on one core.
const splitAbove = 32 << 10

// parseChunked parses a large blueprint's resources block in pieces, one
// per core, each piece a run of whole resource entries, and puts the
// pieces back together as the one mapping a whole parse gives. It reports
// false when it cannot do so safely, and the caller parses the whole file
// as usual (which also reports any syntax error, with its position):
//
//   - the resources block must be a block mapping under a top-level
//     "resources:" key, its entries starting at one indentation, in a file
//     with no document markers or directives;
//   - every piece must parse alone as exactly one block mapping. A piece
//     cut inside a multi-line value (an unclosed quote or flow collection)
//     does not, and neither does one using an anchor defined in another
//     piece.
//
// Every piece is parsed at its own line numbers (the text before it is
// replaced by as many newlines), so every position is the one a whole
// parse gives. Comments may attach to other nodes than in a whole parse;
// blueprints do not read them.
func parseChunked(src []byte) (*yaml.Node, bool) {
	parts := runtime.GOMAXPROCS(0)
	if parts < 2 || len(src) < splitAbove {
		return nil, false
	}
	start, end, entries := resourceEntries(src)
	if end-start < splitAbove || len(entries) < 2*parts {
		return nil, false
	}
	// The cuts: entries at even shares of the block's bytes.
	cuts := []int{start}
	for i, k := 1, 0; i < parts; i++ {
		target := start + (end-start)*i/parts
		for k < len(entries) && entries[k] < target {
			k++
		}
		if k < len(entries) && entries[k] > cuts[len(cuts)-1] {
			cuts = append(cuts, entries[k])
		}
	}
	cuts = append(cuts, end)

	// The rest of the file, with the block blanked out line for line.
	head := blankOut(src, start, end)
	docs := make([]*yaml.Node, len(cuts)) // docs[0] is the rest; docs[i] the i-th piece
	oks := make([]bool, len(cuts))
	var wg sync.WaitGroup
	for i := range cuts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := head
			if i > 0 {
				lines := bytes.Count(src[:cuts[i-1]], nl)
				text = make([]byte, lines, lines+cuts[i]-cuts[i-1])
				for j := range text {
					text[j] = '\n'
				}
				text = append(text, src[cuts[i-1]:cuts[i]]...)
			}
			docs[i], oks[i] = parseOne(text)
		}()
	}
	wg.Wait()
	for _, ok := range oks {
		if !ok {
			return nil, false
		}
	}
	root := docs[0]
	if root.Kind != yaml.MappingNode {
		return nil, false
	}
	var slot *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "resources" && k.Column == 1 {
			if slot != nil {
				return nil, false
			}
			slot = root.Content[i+1]
		}
	}
	if slot == nil || slot.Kind != yaml.ScalarNode || slot.Tag != "!!null" || slot.Value != "" {
		return nil, false
	}
	block := docs[1]
	for _, piece := range docs[1:] {
		if piece.Kind != yaml.MappingNode || piece.Style != 0 || piece.Column != block.Column || piece.Anchor != "" {
			return nil, false
		}
	}
	for _, piece := range docs[2:] {
		block.Content = append(block.Content, piece.Content...)
	}
	*slot = *block
	return root, true
}

var nl = []byte{'\n'}

// parseOne parses text that must be exactly one non-empty document, by
// the fast path when it can.
func parseOne(text []byte) (*yaml.Node, bool) {
	if n, ok := parseFast(text); ok {
		return n, true
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil || len(doc.Content) != 1 {
		return nil, false
	}
	return doc.Content[0], true
}

// resourceEntries finds the block under a top-level "resources:" key: the
// byte offsets where it starts and ends, and where each of its entries
// starts (a line at the block's indentation that is not a comment). It
// returns no entries when the file has document markers or directives, or
// when the key holds anything else than an indented block on the lines
// below it.
func resourceEntries(src []byte) (start, end int, entries []int) {
	indent := -1
	for at := 0; at < len(src); {
		eol := bytes.IndexByte(src[at:], '\n')
		next := len(src)
		if eol >= 0 {
			next = at + eol + 1
		}
		line := src[at:next]
		switch {
		case bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) || bytes.HasPrefix(line, []byte("%")):
			return 0, 0, nil
		case start == 0 && indent < 0:
			if rest, ok := bytes.CutPrefix(line, []byte("resources:")); ok {
				if rest = bytes.TrimSpace(rest); len(rest) > 0 && rest[0] != '#' {
					return 0, 0, nil // a value on the key's own line: a flow mapping, an alias...
				}
				start, indent = next, 0
			}
		case indent >= 0 && end == 0:
			body := bytes.TrimLeft(line, " ")
			n := len(line) - len(body)
			switch {
			case len(bytes.TrimSpace(body)) == 0 || body[0] == '#':
				// blank or comment lines belong to whichever entry they are in
			case n == 0:
				end = at // the next top-level key
			case indent == 0:
				if body[0] == '-' || body[0] == '\t' {
					return 0, 0, nil
				}
				indent = n
				entries = append(entries, at)
			case n == indent:
				entries = append(entries, at)
			case n < indent:
				return 0, 0, nil
			}
		}
		at = next
	}
	if indent <= 0 {
		return 0, 0, nil
	}
	if end == 0 {
		end = len(src)
	}
	return start, end, entries
}

// blankOut returns src with the bytes from start to end replaced by the
// newlines among them, so that what follows keeps its line numbers.
func blankOut(src []byte, start, end int) []byte {
	n := bytes.Count(src[start:end], nl)
	out := make([]byte, 0, len(src)-(end-start)+n)
	out = append(out, src[:start]...)
	out = append(out, bytes.Repeat(nl, n)...)
	return append(out, src[end:]...)
}

// decodeSplitAbove is the number of resources above which decodeResources
// decodes them in parts side by side.
const decodeSplitAbove = 256

// decodeResources decodes the entries of the resources mapping, in order.
// Many of them, in a document without aliases, are decoded in one part per
// core, each part by a copy of the decoder with its own diagnostics and
// caches, merged in order afterwards: what a resource decodes to depends on
// its own entry and the blueprint's top-level fields alone. With aliases
// the node budget (which stops an alias bomb) is shared state, and the
// entries are decoded one after another.
func (d *decoder) decodeResources(bp *Blueprint, es []entry) []*Resource {
	parts := runtime.GOMAXPROCS(0)
	if parts < 2 || len(es) < decodeSplitAbove || d.aliases {
		var out []*Resource
		for _, e := range es {
			if d.overBudget {
				break
			}
			if r := d.decodeResource(bp, e); r != nil {
				out = append(out, r)
			}
		}
		return out
	}
	workers := make([]*decoder, parts)
	outs := make([][]*Resource, parts)
	var wg sync.WaitGroup
	for i := range parts {
		w := *d
		w.ds, w.declared, w.stats = nil, nil, nil
		workers[i] = &w
		part := es[len(es)*i/parts : len(es)*(i+1)/parts]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, e := range part {
				if r := w.decodeResource(bp, e); r != nil {
					outs[i] = append(outs[i], r)
				}
			}
		}()
	}
	wg.Wait()
	var out []*Resource
	start := d.nodes
	if d.declared == nil {
		d.declared = map[string]bool{}
	}
	for i, w := range workers {
		d.ds = append(d.ds, w.ds...)
		for name := range w.declared {
			d.declared[name] = true
		}
		d.nodes += w.nodes - start
		out = append(out, outs[i]...)
	}
	return out
}
