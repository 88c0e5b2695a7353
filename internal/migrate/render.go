package migrate

import (
	"fmt"
	"io"
	"strings"

	"github.com/skyform/skyform/internal/summary"
)

var planMarks = map[summary.Action]string{
	summary.Create: "+", summary.Update: "~", summary.Replace: "-/+", summary.Delete: "-", summary.Move: "->",
}

// WriteMarkdown renders the runbook as Markdown: what differs on the
// target, the plan there, and the steps with their commands and checks.
func (rb *Runbook) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Moving `%s` from %s to %s\n\n", rb.Blueprint, rb.From, rb.To)
	fmt.Fprintf(&b, "Run the steps in order, in one bash session, from the directory of `%s`. "+
		"Each step ends with a check: go on only when it holds.\n\n", rb.File)

	fmt.Fprintf(&b, "## What differs on %s\n\n%s.\n\n", rb.To, rb.Score.Line())
	for _, d := range rb.Differences {
		where := d.Resource
		if d.Feature != "" {
			where += "." + d.Feature
		}
		fmt.Fprintf(&b, "- `%s` (%s): %s. %s\n", where, d.Status, d.Summary, oneLine(d.Detail))
	}
	if len(rb.Differences) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## The plan on %s\n\n", rb.To)
	if rb.Offline {
		b.WriteString("Computed with skyform's offline providers: the resources and their addresses are real, values known only once created are not.\n\n")
	}
	if rb.Plan != nil {
		b.WriteString("```\n")
		for _, r := range rb.Plan.Resources {
			label := fmt.Sprintf("%s (%s, %s)", r.Name, r.Kind, r.Cloud)
			if r.Implicit {
				label = r.Name + " (implicit)"
			}
			fmt.Fprintf(&b, "%-3s %s: %s, %d cloud resources\n", planMarks[r.Action], label, r.Action, len(r.Changes))
		}
		fmt.Fprintf(&b, "%s\n```\n\n", rb.Plan.CountLine())
	}

	b.WriteString("## Steps\n")
	for _, s := range rb.Steps {
		fmt.Fprintf(&b, "\n### %d. %s\n\n", s.Number, s.Title)
		fmt.Fprintf(&b, "*%s*", s.Phase)
		if s.Resource != "" {
			fmt.Fprintf(&b, " · `%s`", s.Resource)
		}
		fmt.Fprintf(&b, "\n\n%s\n\n```bash\n%s\n```\n\n", s.Why, strings.Join(s.Commands, "\n"))
		fmt.Fprintf(&b, "Check:\n\n```bash\n%s\n```\n\nExpect: %s.\n", strings.Join(s.Check.Commands, "\n"), s.Check.Expect)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
