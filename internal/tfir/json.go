package tfir

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/skyform/skyform/internal/jsonindent"
)

// JSON renders the config in Terraform's JSON syntax, one entry per file
// keyed by file name with the ".tf.json" extension. Keys are sorted (by
// encoding/json); literal strings have "${" and "%{" escaped.
func (c *Config) JSON() (map[string][]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(c.Files))
	for _, f := range c.Files {
		root := map[string]any{}
		if c.Header != "" {
			root["//"] = c.Header
		}
		for _, b := range f.Blocks {
			addJSONBlock(root, b)
		}
		data, err := jsonindent.Marshal(root)
		if err != nil {
			return nil, fmt.Errorf("cannot encode %s as JSON: %w", f.Name, err)
		}
		out[f.Name+".tf.json"] = append(data, '\n')
	}
	return out, nil
}

// addJSONBlock nests a block under its type and labels; a block repeated at
// the same place becomes an array.
func addJSONBlock(parent map[string]any, b *Block) {
	keys := append([]string{b.Type}, b.Labels...)
	m := parent
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	last := keys[len(keys)-1]
	body := jsonBody(&b.Body)
	switch prev := m[last].(type) {
	case nil:
		m[last] = body
	case []any:
		m[last] = append(prev, body)
	default:
		m[last] = []any{prev, body}
	}
}

func jsonBody(b *Body) map[string]any {
	m := map[string]any{}
	for _, it := range b.Items {
		switch {
		case it.Attr != nil:
			m[it.Attr.Name] = jsonExpr(it.Attr.Value)
		case it.Block != nil:
			addJSONBlock(m, it.Block)
		}
	}
	return m
}

func jsonExpr(e Expr) any {
	switch e := e.(type) {
	case Str:
		return escapeTemplate(string(e))
	case Int:
		return json.Number(strconv.FormatInt(int64(e), 10))
	case Literal:
		return jsonValue(e.V)
	case TypeConstraint:
		return string(e)
	case Traversal:
		return "${" + strings.Join(e, ".") + "}"
	case Address:
		return strings.Join(e, ".")
	case Template:
		var sb strings.Builder
		for _, p := range e {
			if s, ok := p.(Str); ok {
				sb.WriteString(escapeTemplate(string(s)))
				continue
			}
			if lit, ok := p.(Literal); ok && lit.V.Type() == cty.String {
				sb.WriteString(escapeTemplate(lit.V.AsString()))
				continue
			}
			sb.WriteString("${")
			sb.WriteString(inlineExpr(p))
			sb.WriteString("}")
		}
		return sb.String()
	case Object:
		m := make(map[string]any, len(e))
		for _, a := range e {
			m[a.Key] = jsonExpr(a.Value)
		}
		return m
	case List:
		l := make([]any, len(e))
		for i, v := range e {
			l[i] = jsonExpr(v)
		}
		return l
	case Call:
		return "${" + inlineExpr(e) + "}"
	}
	panic("tfir: unknown expression type")
}

// inlineExpr renders an expression in native syntax for use inside "${...}".
func inlineExpr(e Expr) string {
	w := &hclWriter{}
	w.expr(e, 0)
	return string(w.b)
}

func jsonValue(v cty.Value) any {
	switch {
	case v.IsNull():
		return nil
	case v.Type() == cty.String:
		return escapeTemplate(v.AsString())
	case v.Type() == cty.Bool:
		return v.True()
	case v.Type() == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			i, _ := bf.Int(new(big.Int))
			return json.Number(i.String())
		}
		return json.Number(bf.Text('g', -1))
	case v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType():
		var l []any
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			l = append(l, jsonValue(ev))
		}
		return l
	case v.Type().IsMapType() || v.Type().IsObjectType():
		m := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			m[k.AsString()] = jsonValue(ev)
		}
		return m
	}
	panic("tfir: unsupported literal type " + v.Type().FriendlyName())
}

// escapeTemplate doubles the introducers of interpolations and directives so
// that Terraform reads the string as the literal text it is.
func escapeTemplate(s string) string {
	s = strings.ReplaceAll(s, "${", "$${")
	return strings.ReplaceAll(s, "%{", "%%{")
}
