package tfir

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// HCL renders the config as formatted HCL, one entry per file, keyed by
// file name with the ".tf" extension.
func (c *Config) HCL() (map[string][]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(c.Files))
	for _, f := range c.Files {
		hf := hclwrite.NewEmptyFile()
		body := hf.Body()
		if c.Header != "" {
			body.AppendUnstructuredTokens(commentTokens(c.Header))
			body.AppendNewline()
		}
		for i, b := range f.Blocks {
			if i > 0 {
				body.AppendNewline()
			}
			writeBlock(body, b)
		}
		out[f.Name+".tf"] = hclwrite.Format(hf.Bytes())
	}
	return out, nil
}

func commentTokens(text string) hclwrite.Tokens {
	var ts hclwrite.Tokens
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		ts = append(ts, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimRight("# "+l, " ") + "\n")})
	}
	return ts
}

func writeBlock(parent *hclwrite.Body, b *Block) {
	nb := parent.AppendNewBlock(b.Type, b.Labels)
	writeBody(nb.Body(), &b.Body)
}

func writeBody(hb *hclwrite.Body, b *Body) {
	for i, it := range b.Items {
		switch {
		case it.Attr != nil:
			hb.SetAttributeRaw(it.Attr.Name, exprTokens(it.Attr.Value))
		case it.Block != nil:
			// A nested block after attributes reads better with a blank line.
			if i > 0 && b.Items[i-1].Attr != nil {
				hb.AppendNewline()
			}
			writeBlock(hb, it.Block)
		default:
			hb.AppendNewline()
		}
	}
}

func exprTokens(e Expr) hclwrite.Tokens {
	switch e := e.(type) {
	case Literal:
		return hclwrite.TokensForValue(e.V)
	case Traversal:
		return traversalTokens(e)
	case Template:
		ts := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
		for _, p := range e {
			if lit, ok := p.(Literal); ok && lit.V.Type() == cty.String {
				ts = append(ts, &hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: quotedLit(lit.V.AsString())})
				continue
			}
			ts = append(ts, &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")})
			ts = append(ts, exprTokens(p)...)
			ts = append(ts, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")})
		}
		return append(ts, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
	case Object:
		attrs := make([]hclwrite.ObjectAttrTokens, len(e))
		for i, a := range e {
			name := hclwrite.TokensForIdentifier(a.Key)
			if !hclsyntax.ValidIdentifier(a.Key) {
				name = hclwrite.TokensForValue(cty.StringVal(a.Key))
			}
			attrs[i] = hclwrite.ObjectAttrTokens{Name: name, Value: exprTokens(a.Value)}
		}
		return hclwrite.TokensForObject(attrs)
	case List:
		items := make([]hclwrite.Tokens, len(e))
		for i, v := range e {
			items[i] = exprTokens(v)
		}
		return hclwrite.TokensForTuple(items)
	case Call:
		args := make([]hclwrite.Tokens, len(e.Args))
		for i, a := range e.Args {
			args[i] = exprTokens(a)
		}
		return hclwrite.TokensForFunctionCall(e.Name, args...)
	}
	panic("tfir: unknown expression type")
}

func traversalTokens(t Traversal) hclwrite.Tokens {
	tr := hcl.Traversal{hcl.TraverseRoot{Name: t[0]}}
	for _, s := range t[1:] {
		tr = append(tr, hcl.TraverseAttr{Name: s})
	}
	return hclwrite.TokensForTraversal(tr)
}

// quotedLit returns s escaped for the inside of a quoted HCL string: hclwrite
// does the escaping (including "$${" and "%%{") when it renders a literal.
func quotedLit(s string) []byte {
	ts := hclwrite.TokensForValue(cty.StringVal(s))
	var b []byte
	for _, t := range ts[1 : len(ts)-1] {
		b = append(b, t.Bytes...)
	}
	return b
}
