package portability

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// label is a row's feature as shown: the resource's own row names its kind.
func (r *Row) label() string {
	if r.Feature == "" {
		if r.Kind == "" {
			return "(blueprint)"
		}
		return "(" + string(r.Kind) + ")"
	}
	return r.Feature
}

// where is a note's subject: resource.feature.
func (r *Row) where() string {
	if r.Feature == "" {
		return r.Resource
	}
	if r.Resource == BlueprintRow {
		return r.Feature
	}
	return r.Resource + "." + r.Feature
}

// WriteText renders the report for a terminal: the table, how each
// approximation works or why a feature is unsupported, and the scores.
func (rep *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Portability of blueprint %q (%s), moved whole to each cloud:\n\n", rep.Blueprint, rep.File)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "RESOURCE\tFEATURE")
	for _, c := range rep.Clouds {
		fmt.Fprintf(tw, "\t%s", strings.ToUpper(string(c)))
	}
	fmt.Fprintln(tw)
	for i := range rep.Rows {
		r := &rep.Rows[i]
		fmt.Fprintf(tw, "%s\t%s", r.Resource, r.label())
		for _, c := range r.Cells {
			fmt.Fprintf(tw, "\t%s", c.Status)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if rep.hasNotes() {
		fmt.Fprintln(w, "\nWhat differs:")
		for i := range rep.Rows {
			r := &rep.Rows[i]
			for _, c := range r.Cells {
				for _, n := range c.Notes {
					fmt.Fprintf(w, "  %-5s %s (%s): %s\n", c.Cloud, r.where(), n.Range, n.Summary)
					if n.Detail != "" {
						fmt.Fprintf(w, "        %s\n", n.Detail)
					}
				}
			}
		}
	}
	fmt.Fprintln(w)
	for _, s := range rep.Scores {
		if _, err := fmt.Fprintln(w, s.Line()); err != nil {
			return err
		}
	}
	return nil
}

func (rep *Report) hasNotes() bool {
	for i := range rep.Rows {
		for _, c := range rep.Rows[i].Cells {
			if len(c.Notes) > 0 {
				return true
			}
		}
	}
	return false
}

var marks = map[Status]string{Exact: "✅ exact", Approximated: "⚠️ approximated", Unsupported: "❌ unsupported"}

// WriteMarkdown renders the report for a pull request: the scores, the
// table (each approximation numbered), then the numbered notes.
func (rep *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Portability of `%s`\n\n", rep.Blueprint)
	fmt.Fprintf(&b, "`%s` moved whole to each cloud and compiled there.\n\n", rep.File)
	for _, s := range rep.Scores {
		fmt.Fprintf(&b, "- **%s**: %d of %d features exact, %d approximated, %d unsupported (%d%% exact)\n",
			s.Cloud, s.Exact, s.Total, s.Approximated, s.Unsupported, s.Percent)
	}
	b.WriteString("\n| resource | feature |")
	for _, c := range rep.Clouds {
		fmt.Fprintf(&b, " %s |", c)
	}
	b.WriteString("\n|---|---|")
	for range rep.Clouds {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	var notes []string
	for i := range rep.Rows {
		r := &rep.Rows[i]
		fmt.Fprintf(&b, "| %s | %s |", mdCell(r.Resource), mdCell(r.label()))
		for _, c := range r.Cells {
			cell := marks[c.Status]
			for _, n := range c.Notes {
				notes = append(notes, fmt.Sprintf("%d. **%s**, `%s` (%s): %s. %s", len(notes)+1, c.Cloud, r.where(), n.Range, n.Summary, n.Detail))
				cell += fmt.Sprintf(" [%d]", len(notes))
			}
			fmt.Fprintf(&b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	if len(notes) > 0 {
		b.WriteString("\nWhat differs:\n\n")
		for _, n := range notes {
			b.WriteString(mdLine(n) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell keeps a table cell on one line and its pipes literal.
func mdCell(s string) string {
	return strings.ReplaceAll(mdLine(s), "|", `\|`)
}

func mdLine(s string) string {
	return strings.TrimSpace(strings.Join(strings.Fields(s), " "))
}
