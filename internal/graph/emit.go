package graph

import (
	"bytes"
	"fmt"
	"strings"
)

// Format is an output syntax of the graph.
type Format string

// The formats Write emits; SVG is DOT laid out by Graphviz (the caller runs it).
const (
	Mermaid Format = "mermaid"
	DOT     Format = "dot"
	SVG     Format = "svg"
)

// Formats lists every format.
var Formats = []Format{Mermaid, DOT, SVG}

// lines is a node's label: its name, what it is, and (with detail) the
// cloud resources behind it.
func (n *Node) lines() []string {
	out := []string{n.Name}
	what := n.Kind
	if n.Summary != "" {
		what += ": " + n.Summary
	}
	if n.Implicit {
		what = "implicit " + what
	}
	out = append(out, what)
	return append(out, n.Resources...)
}

// Mermaid renders the graph as a Mermaid flowchart.
func (g *Graph) Mermaid() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%%%% blueprint %s\n", mermaidComment(g.Blueprint))
	b.WriteString("flowchart LR\n")
	for _, grp := range g.Groups {
		fmt.Fprintf(&b, "  subgraph cloud_%s[%s]\n", grp.Cloud, mermaidText(string(grp.Cloud)))
		for _, n := range grp.Nodes {
			open, close := "[", "]"
			if n.Kind == "database" {
				open, close = "[(", ")]"
			}
			fmt.Fprintf(&b, "    %s%s%s%s\n", mermaidID(n), open, mermaidText(n.lines()...), close)
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Kind != Trigger {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|%s| %s\n", mermaidID(g.node(e.From)), arrow, mermaidText(e.Labels...), mermaidID(g.node(e.To)))
	}
	return b.Bytes()
}

// mermaidID is a node's identifier: names hold lower-case letters, digits,
// dashes and underscores only; the prefix keeps them clear of Mermaid's
// keywords (end, graph...) and neutral names apart from implicit modules.
func mermaidID(n *Node) string {
	prefix := "r_"
	if n.Implicit {
		prefix = "m_"
	}
	return prefix + strings.ReplaceAll(n.Name, "-", "_")
}

// mermaidText quotes label lines for Mermaid: a quoted string in which
// every character Mermaid or HTML would read specially is an entity code.
func mermaidText(lines ...string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString("<br>")
		}
		for _, r := range l {
			switch r {
			case '"', '#', '&', '<', '>', '`', '|', '\\':
				fmt.Fprintf(&b, "#%d;", r)
			case '\n', '\r':
				b.WriteString("<br>")
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// mermaidComment keeps a comment on one line.
func mermaidComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// DOT renders the graph for Graphviz.
func (g *Graph) DOT() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(g.Blueprint))
	b.WriteString("  graph [rankdir=LR, fontname=\"Helvetica\"];\n")
	b.WriteString("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, grp := range g.Groups {
		fmt.Fprintf(&b, "  subgraph %s {\n", dotQuote("cluster_"+string(grp.Cloud)))
		fmt.Fprintf(&b, "    label=%s;\n", dotQuote(string(grp.Cloud)))
		for _, n := range grp.Nodes {
			attrs := "label=" + dotLabel(n.lines(), g.Detailed)
			switch {
			case n.Kind == "database":
				attrs += ", shape=cylinder, style=\"\""
			case n.Implicit:
				attrs += ", style=\"rounded,dashed\""
			}
			fmt.Fprintf(&b, "    %s [%s];\n", dotQuote(n.Name), attrs)
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		style := ""
		switch e.Kind {
		case Reference:
			style = ", style=dashed"
		case Uses:
			style = ", style=dotted"
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%s%s];\n", dotQuote(e.From), dotQuote(e.To), dotLabel(e.Labels, false), style)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// dotQuote writes s as a DOT quoted string: only the quote and the
// backslash need escaping there.
func dotQuote(s string) string {
	return `"` + dotEscape(s) + `"`
}

// dotLabel writes label lines as a DOT escaped string; left aligns the
// lines (\l) rather than centring them (\n).
func dotLabel(lines []string, left bool) string {
	sep := `\n`
	if left {
		sep = `\l`
	}
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(dotEscape(l))
	}
	if left {
		b.WriteString(sep)
	}
	b.WriteByte('"')
	return b.String()
}

// dotEscape escapes the backslash (so \N, \G and friends stay literal),
// the quote, and line breaks.
func dotEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// Render writes the graph in a text format (Mermaid or DOT).
func (g *Graph) Render(f Format) ([]byte, error) {
	switch f {
	case Mermaid:
		return g.Mermaid(), nil
	case DOT:
		return g.DOT(), nil
	}
	return nil, fmt.Errorf("no text rendering for format %q", f)
}
