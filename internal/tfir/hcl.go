package tfir

import (
	"bytes"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/apparentlymart/go-textseg/v15/textseg"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// HCL renders the config as HCL, one entry per file keyed by file name
// with the ".tf" extension.
//
// The output is written already in `terraform fmt` layout (two-space
// indents, "=" aligned across runs of one-line attributes, exactly as
// hclwrite.Format lays it out; tests hold it to that) rather than built
// as hclwrite tokens and formatted afterwards: the formatter re-lexes the
// whole file and dominated compile time. hclwrite still escapes every
// string that needs it, and identifiers are checked before anything is
// written.
func (c *Config) HCL() (map[string][]byte, error) {
	out := make(map[string][]byte, len(c.Files))
	errs := make([]error, len(c.Files))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, f := range c.Files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Room for the whole file up front: grown by doubling, the
			// buffers of a large root module were a quarter of what a
			// compile allocates. A block of a root module takes 300 to
			// 400 bytes.
			w := &hclWriter{b: make([]byte, 0, len(c.Header)+64+512*len(f.Blocks))}
			if c.Header != "" {
				for _, l := range strings.Split(strings.TrimRight(c.Header, "\n"), "\n") {
					w.str(strings.TrimRight("# "+l, " "))
					w.nl()
				}
				w.nl()
			}
			for i, b := range f.Blocks {
				if i > 0 {
					w.nl()
				}
				w.block(b, 0)
			}
			// The writer checks every identifier as it writes it; when one
			// is wrong, checkFile says which and where.
			if w.bad {
				if errs[i] = checkFile(f); errs[i] == nil {
					errs[i] = fmt.Errorf("%s.tf: an identifier would not parse back as written", f.Name)
				}
				return
			}
			mu.Lock()
			out[f.Name+".tf"] = w.b
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first file's, as check would
		}
	}
	return out, nil
}

type hclWriter struct {
	b []byte
	// bad is set when something written is not a valid identifier where
	// one must be (see checkFile, which tells what).
	bad bool
	// sub renders the values of this writer's assignments before they are
	// aligned (a value's own assignments go to sub's sub), keeping where
	// each ends in its ends and multi; attrs and keys are the buffers of
	// body's and an object's assignments. All are reused, call after call:
	// a root module has hundreds of thousands of assignments.
	sub   *hclWriter
	ends  []int
	multi []bool
	attrs []assignment
	keys  []assignment
}

func (w *hclWriter) str(s string) { w.b = append(w.b, s...) }

// ident writes an identifier, noting when it is not one.
func (w *hclWriter) ident(s string) {
	w.bad = w.bad || !ValidIdentifier(s)
	w.b = append(w.b, s...)
}

func (w *hclWriter) nl() { w.b = append(w.b, '\n') }
func (w *hclWriter) indent(n int) {
	for i := 0; i < n; i++ {
		w.b = append(w.b, "  "...)
	}
}

func (w *hclWriter) block(b *Block, depth int) {
	w.indent(depth)
	w.ident(b.Type)
	for _, l := range b.Labels {
		w.bad = w.bad || !ValidIdentifier(l)
		w.b = append(w.b, ' ')
		w.quoted(l)
	}
	w.str(" {\n")
	w.body(b.Items, depth+1)
	w.indent(depth)
	w.str("}\n")
}

// body writes attributes and nested blocks; a nested block that follows
// an attribute gets a blank line before it.
func (w *hclWriter) body(items []Item, depth int) {
	for i := 0; i < len(items); {
		it := items[i]
		switch {
		case it.Block != nil:
			if i > 0 && items[i-1].Attr != nil {
				w.nl()
			}
			w.block(it.Block, depth)
			i++
		case it.Attr != nil:
			j := i
			attrs := w.attrs[:0]
			for ; j < len(items) && items[j].Attr != nil; j++ {
				name := items[j].Attr.Name
				ok, ascii := asciiIdentifier(name)
				width := len(name)
				if !ascii {
					width = columns(name)
				}
				w.bad = w.bad || !ok || !ascii
				attrs = append(attrs, assignment{key: name, width: width, value: items[j].Attr.Value})
			}
			w.attrs = attrs
			w.assignments(attrs, depth) // done with attrs before a nested block reuses them
			i = j
		default:
			w.nl()
			i++
		}
	}
}

// assignment is one "key = value" line (or the first line of a multi-line
// value).
type assignment struct {
	key   string // as written: an identifier or a quoted string
	width int    // display columns of key
	value Expr
}

// assignments writes consecutive assignments, aligning "=" across each run
// of one-line values; a multi-line value ends a run, as in hclwrite.Format.
func (w *hclWriter) assignments(as []assignment, depth int) {
	// The values are rendered one after another into the sub-writer's
	// buffer, then copied out aligned.
	if w.sub == nil {
		w.sub = &hclWriter{}
	}
	vw := w.sub
	vw.b, vw.ends, vw.multi = vw.b[:0], vw.ends[:0], vw.multi[:0]
	for _, a := range as {
		start := len(vw.b)
		vw.expr(a.value, depth)
		vw.ends = append(vw.ends, len(vw.b))
		vw.multi = append(vw.multi, bytes.IndexByte(vw.b[start:], '\n') >= 0)
	}
	w.bad = w.bad || vw.bad
	ends, multi := vw.ends, vw.multi
	rendered := func(i int) []byte {
		if i == 0 {
			return vw.b[:ends[0]]
		}
		return vw.b[ends[i-1]:ends[i]]
	}
	for i := 0; i < len(as); {
		if multi[i] {
			w.indent(depth)
			w.str(as[i].key)
			w.str(" = ")
			w.b = append(w.b, rendered(i)...)
			w.nl()
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(as) && !multi[j]; j++ {
			if as[j].width > width {
				width = as[j].width
			}
		}
		for k := i; k < j; k++ {
			w.indent(depth)
			w.str(as[k].key)
			for pad := as[k].width; pad < width; pad++ {
				w.b = append(w.b, ' ')
			}
			w.str(" = ")
			w.b = append(w.b, rendered(k)...)
			w.nl()
		}
		i = j
	}
}

// columns is how many columns s takes, as hclwrite counts them: one per
// grapheme cluster.
func columns(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			n, _ := textseg.TokenCount([]byte(s), textseg.ScanGraphemeClusters)
			return n
		}
	}
	return len(s)
}

// expr writes an expression whose first line is already positioned; depth
// is the indentation of that line.
func (w *hclWriter) expr(e Expr, depth int) {
	switch e := e.(type) {
	case Str:
		w.quoted(string(e))
	case Int:
		w.b = strconv.AppendInt(w.b, int64(e), 10)
	case Literal:
		w.literal(e.V)
	case TypeConstraint:
		w.bad = w.bad || !typeRE.MatchString(string(e))
		w.str(string(e))
	case Address:
		for i, s := range e {
			if i > 0 {
				w.b = append(w.b, '.')
			}
			w.bad = w.bad || !validAddressStep(s)
			w.str(s)
		}
	case Traversal:
		for i, s := range e {
			if i > 0 {
				w.b = append(w.b, '.')
			}
			w.ident(s)
		}
	case Template:
		w.b = append(w.b, '"')
		for _, p := range e {
			if s, ok := p.(Str); ok {
				w.quotedInner(string(s))
				continue
			}
			if lit, ok := p.(Literal); ok && lit.V.Type() == cty.String && !lit.V.IsNull() {
				w.quotedInner(lit.V.AsString())
				continue
			}
			w.str("${")
			w.expr(p, depth)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, '"')
	case Object:
		if len(e) == 0 {
			w.str("{}")
			return
		}
		w.str("{\n")
		as := w.keys[:0]
		for _, a := range e {
			key := a.Key
			if !validKey(a.Key) {
				kw := &hclWriter{}
				kw.quoted(a.Key)
				key = string(kw.b)
			}
			as = append(as, assignment{key: key, width: columns(key), value: a.Value})
		}
		w.keys = as
		// The values render in w.sub, so nothing in them reuses w.keys
		// before this object is written.
		w.assignments(as, depth+1)
		w.indent(depth)
		w.b = append(w.b, '}')
	case List:
		w.b = append(w.b, '[')
		for i, v := range e {
			if i > 0 {
				w.str(", ")
			}
			w.expr(v, depth)
		}
		w.b = append(w.b, ']')
	case Call:
		w.ident(e.Name)
		w.b = append(w.b, '(')
		for i, a := range e.Args {
			if i > 0 {
				w.str(", ")
			}
			w.expr(a, depth)
		}
		w.b = append(w.b, ')')
	default:
		panic("tfir: unknown expression type")
	}
}

func (w *hclWriter) literal(v cty.Value) {
	switch {
	case v.IsNull():
		w.str("null")
	case v.Type() == cty.String:
		w.quoted(v.AsString())
	case v.Type() == cty.Bool:
		w.str(strconv.FormatBool(v.True()))
	case v.Type() == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			i, _ := bf.Int(new(big.Int))
			w.str(i.String())
			return
		}
		w.b = append(w.b, hclwrite.TokensForValue(v).Bytes()...)
	default:
		w.b = append(w.b, hclwrite.TokensForValue(v).Bytes()...)
	}
}

func (w *hclWriter) quoted(s string) {
	w.b = append(w.b, '"')
	w.quotedInner(s)
	w.b = append(w.b, '"')
}

// quotedInner writes s escaped for the inside of a quoted string. Plain
// printable ASCII is written as it is; anything else ("${", "%{", quotes,
// backslashes, control or non-ASCII characters) goes through hclwrite's
// escaping.
func (w *hclWriter) quotedInner(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '$' || c == '%' {
			w.b = append(w.b, quotedLit(s)...)
			return
		}
	}
	w.str(s)
}

// quotedLit returns s escaped by hclwrite for the inside of a quoted string.
func quotedLit(s string) []byte {
	ts := hclwrite.TokensForValue(cty.StringVal(s))
	var b []byte
	for _, t := range ts[1 : len(ts)-1] {
		b = append(b, t.Bytes...)
	}
	return b
}

// validKey reports whether an object key can be written bare: as HCL's
// scanner decides, which an ASCII key need not be given to.
func validKey(s string) bool {
	if ok, ascii := asciiIdentifier(s); ascii {
		return ok
	}
	return hclsyntax.ValidIdentifier(s)
}
