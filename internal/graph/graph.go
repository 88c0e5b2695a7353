package graph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
)

// Graph is a blueprint drawn as nodes grouped by cloud and edges between them.
type Graph struct {
	Blueprint string `json:"blueprint"`
	// Groups hold one cloud each, in blueprints.Clouds order.
	Groups []Group `json:"clouds"`
	// Edges are sorted by source, then target, then kind.
	Edges []Edge `json:"edges"`
	// Detailed is set once Detail has listed the cloud resources.
	Detailed bool `json:"detailed"`
}

// Group is the part of the graph placed on one cloud.
type Group struct {
	Cloud blueprints.Cloud `json:"cloud"`
	// Nodes are the implicit modules first, then the neutral resources, each in name order.
	Nodes []*Node `json:"nodes"`
}

// Node is a neutral resource, or (with detail) an implicit module such as a
// cloud's network.
type Node struct {
	// Name is the neutral resource's name, or the implicit module's name ("aws_network").
	Name string `json:"name"`
	// Kind is the neutral kind, or the implicit module's kind ("network", "group").
	Kind string `json:"kind"`
	// Implicit is set for a module skyform adds, which the blueprint does not name.
	Implicit bool `json:"implicit,omitempty"`
	// Summary is one line on what the resource is ("postgres 16, small").
	Summary string `json:"summary,omitempty"`
	// Module is the resource's module address in the root module.
	Module string `json:"module"`
	// Resources are the cloud resources behind it (with detail), as
	// addresses inside the module; [?] stands for instances that are known
	// only at apply.
	Resources []string `json:"resources,omitempty"`
}

// EdgeKind says what an edge is.
type EdgeKind string

// The kinds of edge. Every edge points from the resource that provides to
// the one that uses: messages flow from a queue to the function it
// triggers, values from a database to the function whose environment
// references it.
const (
	Trigger   EdgeKind = "trigger"
	Reference EdgeKind = "reference"
	// Uses links an implicit module to the resources built on it (with detail).
	Uses EdgeKind = "uses"
)

// Edge is one link between two nodes.
type Edge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind EdgeKind `json:"kind"`
	// Labels are the edge's lines: "trigger", or each reference written
	// (${orders-db.host}), in the order the blueprint first writes them.
	Labels []string `json:"labels"`
}

// Build draws a valid blueprint's neutral resources and their wiring.
func Build(bp *blueprints.Blueprint) *Graph {
	g := &Graph{Blueprint: bp.Name}
	for _, c := range bp.CloudsUsed() {
		grp := Group{Cloud: c}
		for _, r := range bp.Placed(c) {
			grp.Nodes = append(grp.Nodes, &Node{Name: r.Name, Kind: string(r.Kind), Summary: summarize(r), Module: "module." + r.ID()})
		}
		g.Groups = append(g.Groups, grp)
	}
	edges := map[[2]string]*Edge{}
	var order []*Edge
	add := func(from, to string, kind EdgeKind, label string) {
		k := [2]string{from, to + "\x00" + string(kind)}
		e := edges[k]
		if e == nil {
			e = &Edge{From: from, To: to, Kind: kind}
			edges[k] = e
			order = append(order, e)
		}
		for _, l := range e.Labels {
			if l == label {
				return
			}
		}
		e.Labels = append(e.Labels, label)
	}
	for _, r := range bp.Resources {
		if r.Function == nil {
			continue
		}
		for _, t := range r.Function.Triggers {
			if t.Queue != "" {
				label := "trigger"
				if t.BatchSize > 0 {
					label = fmt.Sprintf("trigger, batch %d", t.BatchSize)
				}
				add(t.Queue, r.Name, Trigger, label)
			}
		}
		for _, e := range r.Function.Env {
			for _, ref := range e.Value.Refs() {
				add(ref.Resource, r.Name, Reference, "${"+ref.Resource+"."+ref.Attribute+"}")
			}
		}
	}
	g.Edges = sortEdges(order)
	return g
}

func sortEdges(es []*Edge) []Edge {
	out := make([]Edge, len(es))
	for i, e := range es {
		out[i] = *e
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Kind < b.Kind
	})
	return out
}

// summarize is the node's second line: what the resource is, briefly.
func summarize(r *blueprints.Resource) string {
	var parts []string
	switch {
	case r.Queue != nil:
		if r.Queue.FIFO {
			parts = append(parts, "fifo")
		} else {
			parts = append(parts, "standard")
		}
		if r.Queue.DeadLetter != nil {
			parts = append(parts, fmt.Sprintf("dead letter after %d", r.Queue.DeadLetter.MaxDeliveries))
		}
	case r.Function != nil:
		parts = append(parts, string(r.Function.Runtime))
		for _, t := range r.Function.Triggers {
			if t.HTTP != nil {
				if t.HTTP.Public {
					parts = append(parts, "public http")
				} else {
					parts = append(parts, "http")
				}
			}
			if s := t.Schedule; s != nil {
				when := "schedule " + strings.TrimSpace(s.Cron.Text)
				if s.Timezone != "UTC" {
					when += " " + s.Timezone
				}
				parts = append(parts, when)
			}
		}
	case r.Database != nil:
		parts = append(parts, string(r.Database.Engine)+" "+r.Database.Version, string(r.Database.Size))
		if r.Database.HighAvailability {
			parts = append(parts, "high availability")
		}
	case r.Cluster != nil:
		if r.Cluster.Kubernetes != "" {
			parts = append(parts, "kubernetes "+r.Cluster.Kubernetes)
		}
		n := len(r.Cluster.NodePools)
		parts = append(parts, fmt.Sprintf("%d node %s", n, map[bool]string{true: "pool", false: "pools"}[n == 1]))
	}
	return strings.Join(parts, ", ")
}

// node finds a node by name.
func (g *Graph) node(name string) *Node {
	for _, grp := range g.Groups {
		for _, n := range grp.Nodes {
			if n.Name == name {
				return n
			}
		}
	}
	return nil
}
