package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/graph"
	"github.com/spf13/cobra"
)

type graphArgs struct {
	blueprintArgs
	Format string
	Detail bool
	Out    string
}

func newGraphCmd(s streams) *cobra.Command {
	var a graphArgs
	cmd := &cobra.Command{
		Use:   "graph [-f FILE] [--format mermaid|dot|svg] [--detail] [-o FILE]",
		Short: "Draw the blueprint: its resources per cloud and their wiring",
		Long: `Draw the blueprint's neutral resources grouped by the cloud each is placed on,
with the wiring between them: a queue triggering a function, a reference such
as ${orders-db.host} from the resource that provides the value to the one that
uses it.

--detail compiles the blueprint (in memory; nothing is written) and adds the
cloud resources behind each neutral resource, as addresses inside its module
(aws_sqs_queue.this, aws_subnet.private["zone-1"]), and the implicit modules
(networks, resource groups) with what uses them. Instances that depend on
values known only at apply are drawn as [?].

--format mermaid (the default) writes a Mermaid flowchart, dot a Graphviz
graph; svg lays the DOT graph out with Graphviz's dot, which must be on PATH.
--json writes the graph as data instead. The drawing goes to stdout, or to
FILE with -o; nothing is written when the blueprint has errors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGraph(cmd.Context(), s, &a)
		},
	}
	a.register(cmd, "aws, gcp or azure: draw the blueprint moved there (default: as placed)")
	cmd.Flags().StringVar(&a.Format, "format", "mermaid", "mermaid, dot or svg")
	cmd.Flags().BoolVar(&a.Detail, "detail", false, "add the cloud resources behind each neutral resource")
	cmd.Flags().StringVarP(&a.Out, "out", "o", "", "write the drawing to FILE instead of stdout")
	return cmd
}

func runGraph(ctx context.Context, s streams, a *graphArgs) error {
	format := graph.Format(a.Format)
	known := false
	for _, f := range graph.Formats {
		known = known || f == format
	}
	if !known {
		return failure(exitUsage, fmt.Errorf("unknown --format %q; allowed: mermaid, dot, svg", a.Format))
	}
	var dot string
	if format == graph.SVG && !a.JSON {
		var err error
		if dot, err = exec.LookPath("dot"); err != nil {
			return failure(exitSystem, fmt.Errorf("--format svg needs Graphviz's dot on PATH, and it is not there: install Graphviz (apt-get install graphviz, brew install graphviz, or https://graphviz.org/download/), or write --format dot and lay it out elsewhere"))
		}
	}
	targets, err := a.targets(false)
	if err != nil {
		return err
	}
	bp, ds, err := a.load()
	if err != nil {
		return err
	}
	src := bp.Sources()
	if ds.HasErrors() {
		return refuse(s, a.JSON, ds, src, "nothing was drawn")
	}
	if targets[0] != "" {
		bp = bp.Retarget(targets[0])
	}
	g := graph.Build(bp)
	if a.Detail {
		res, cds, err := compiler.New().Compile(bp, "")
		if err != nil {
			return failure(exitSystem, err)
		}
		if cds.HasErrors() {
			return refuse(s, a.JSON, append(ds, cds...), src, "nothing was drawn")
		}
		if err := g.Detail(res.Files); err != nil {
			return failure(exitSystem, err)
		}
	}
	var out []byte
	switch {
	case a.JSON:
		var b bytes.Buffer
		writeJSON(&b, g)
		out = b.Bytes()
	case format == graph.SVG:
		if out, err = layOut(ctx, dot, g.DOT()); err != nil {
			return failure(exitSystem, err)
		}
	default:
		if out, err = g.Render(format); err != nil {
			return failure(exitSystem, err)
		}
	}
	if a.Out == "" {
		_, err = s.out.Write(out)
		return err
	}
	if err := os.WriteFile(a.Out, out, 0o644); err != nil {
		return failure(exitSystem, fmt.Errorf("cannot write the graph: %w", err))
	}
	fmt.Fprintf(s.errOut, "Wrote the graph of blueprint %q to %s.\n", bp.Name, a.Out)
	return nil
}

// layOut runs Graphviz's dot on a DOT graph and returns the SVG.
func layOut(ctx context.Context, dot string, src []byte) ([]byte, error) {
	cmd := exec.CommandContext(ctx, dot, "-Tsvg")
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("graphviz dot failed: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
