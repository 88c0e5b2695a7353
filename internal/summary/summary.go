package summary

import (
	"fmt"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/skyform/skyform/blueprints"
)

// Action is what a plan does to a cloud resource.
type Action string

// The actions, in the order a summary lists them.
const (
	Create  Action = "create"
	Update  Action = "update"
	Replace Action = "replace"
	Delete  Action = "delete"
	Read    Action = "read"
	// Move changes only the object's address in the state (a rename).
	Move Action = "move"
	// Import brings an existing cloud object into the state, unchanged.
	Import Action = "import"
	NoOp   Action = "no-op"
)

// Change is one cloud resource in the plan.
type Change struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Action  Action `json:"action"`
	// MovedFrom is the address the object's state moves from, when it moves
	// (whatever else happens to it).
	MovedFrom string `json:"moved_from,omitempty"`
	// Imported is set when the plan imports the object (whatever else
	// happens to it).
	Imported bool `json:"imported,omitempty"`
}

// Resource groups the changes behind one neutral resource (or one implicit
// module, such as a cloud's network).
type Resource struct {
	// Name is the blueprint resource name, or e.g. "aws network" for an
	// implicit module.
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Cloud    string `json:"cloud"`
	Implicit bool   `json:"implicit,omitempty"`
	// MovedFrom names the blueprint resource whose state this one takes
	// over (a rename), when the plan moves it.
	MovedFrom string   `json:"moved_from,omitempty"`
	Action    Action   `json:"action"`
	Changes   []Change `json:"changes"`
}

// Counts totals cloud resources by action.
type Counts struct {
	Create  int `json:"create"`
	Update  int `json:"update"`
	Replace int `json:"replace"`
	Delete  int `json:"delete"`
	// Move counts objects whose state only moves to a new address.
	Move int `json:"move"`
	// Import counts objects imported into the state (an imported object
	// that is also updated counts in Update too).
	Import int `json:"import"`
}

// Summary is a plan in blueprint terms.
type Summary struct {
	Resources []Resource `json:"resources"`
	Counts    Counts     `json:"counts"`
	// Destructive is true when anything is replaced or deleted.
	Destructive bool `json:"destructive"`
}

// HasChanges reports whether the plan changes anything. A move changes
// no cloud object but still needs an apply to record the new addresses.
func (s *Summary) HasChanges() bool {
	return s.Counts.Create+s.Counts.Update+s.Counts.Replace+s.Counts.Delete+s.Counts.Move+s.Counts.Import > 0
}

// FromPlan summarises a terraform JSON plan. bp gives the neutral names;
// module addresses it does not know (a resource removed from the
// blueprint) are named after the module.
func FromPlan(p *tfjson.Plan, bp *blueprints.Blueprint) *Summary {
	var cs []Change
	for _, rc := range p.ResourceChanges {
		if rc.Change == nil || rc.Mode == tfjson.DataResourceMode {
			continue
		}
		c := Change{Address: rc.Address, Type: rc.Type, Action: action(rc.Change.Actions), MovedFrom: rc.PreviousAddress}
		if c.Action == NoOp && c.MovedFrom != "" {
			c.Action = Move
		}
		if rc.Change.Importing != nil {
			c.Imported = true
			if c.Action == NoOp {
				c.Action = Import
			}
		}
		cs = append(cs, c)
	}
	return FromChanges(cs, bp)
}

// UIAction maps the action of a planned_change message in terraform's
// machine-readable UI ("create", "update", "replace", "delete", "read",
// "noop", "move", "remove", "import") to an Action.
func UIAction(a string) Action {
	switch a {
	case "create":
		return Create
	case "import":
		return Import
	case "update":
		return Update
	case "move":
		return Move
	case "replace":
		return Replace
	case "delete", "remove":
		return Delete
	case "read":
		return Read
	}
	return NoOp
}

// FromChanges summarises the planned changes of managed resources.
func FromChanges(cs []Change, bp *blueprints.Blueprint) *Summary {
	byID := map[string]*blueprints.Resource{}
	for _, r := range bp.Resources {
		byID[r.ID()] = r
	}
	groups := map[string]*Resource{}
	s := &Summary{}
	for _, c := range cs {
		if c.Action == NoOp || c.Action == Read {
			continue
		}
		mod := topModule(c.Address)
		g := groups[mod]
		if g == nil {
			g = group(mod, byID, c.Type)
			groups[mod] = g
		}
		g.Changes = append(g.Changes, c)
		if c.MovedFrom != "" && g.MovedFrom == "" {
			if from := topModule(c.MovedFrom); from != mod {
				g.MovedFrom = strings.ReplaceAll(from, "_", "-")
			}
		}
		switch c.Action {
		case Create:
			s.Counts.Create++
		case Update:
			s.Counts.Update++
		case Replace:
			s.Counts.Replace++
		case Delete:
			s.Counts.Delete++
		case Move:
			s.Counts.Move++
		}
		if c.Imported || c.Action == Import {
			s.Counts.Import++
		}
	}
	for _, g := range groups {
		g.Action = overall(g.Changes)
		sort.Slice(g.Changes, func(i, j int) bool { return g.Changes[i].Address < g.Changes[j].Address })
		s.Resources = append(s.Resources, *g)
	}
	sort.Slice(s.Resources, func(i, j int) bool {
		a, b := s.Resources[i], s.Resources[j]
		if a.Implicit != b.Implicit {
			return a.Implicit
		}
		return a.Name < b.Name
	})
	s.Destructive = s.Counts.Replace+s.Counts.Delete > 0
	return s
}

func action(as tfjson.Actions) Action {
	switch {
	case as.Replace():
		return Replace
	case as.Create():
		return Create
	case as.Update():
		return Update
	case as.Delete():
		return Delete
	case as.Read():
		return Read
	}
	return NoOp
}

// topModule returns the first module name of an address
// ("module.orders_db.aws_sqs_queue.this" → "orders_db"), or "" for a
// resource in the root module.
func topModule(addr string) string {
	if !strings.HasPrefix(addr, "module.") {
		return ""
	}
	rest := addr[len("module."):]
	if i := strings.IndexAny(rest, ".["); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func group(mod string, byID map[string]*blueprints.Resource, typ string) *Resource {
	if r, ok := byID[mod]; ok {
		return &Resource{Name: r.Name, Kind: string(r.Kind), Cloud: string(r.Cloud)}
	}
	for _, c := range blueprints.Clouds {
		if what, ok := strings.CutPrefix(mod, string(c)+"_"); ok {
			return &Resource{Name: string(c) + " " + what, Kind: what, Cloud: string(c), Implicit: true}
		}
	}
	name := strings.ReplaceAll(mod, "_", "-")
	if mod == "" {
		name = "(root)"
	}
	return &Resource{Name: name, Kind: "removed from the blueprint", Cloud: cloudOf(typ)}
}

func cloudOf(typ string) string {
	switch {
	case strings.HasPrefix(typ, "aws_"):
		return "aws"
	case strings.HasPrefix(typ, "google_"):
		return "gcp"
	case strings.HasPrefix(typ, "azurerm_"):
		return "azure"
	}
	return ""
}

// overall is the most consequential action among a resource's changes.
func overall(cs []Change) Action {
	rank := map[Action]int{Delete: 6, Replace: 5, Update: 4, Create: 3, Import: 2, Move: 1}
	best := NoOp
	for _, c := range cs {
		if rank[c.Action] > rank[best] {
			best = c.Action
		}
	}
	// A resource whose every cloud resource is new is simply created.
	return best
}

// CountLine is the closing line of a plan summary; moves are counted only
// when there are some.
func (s *Summary) CountLine() string {
	line := fmt.Sprintf("Plan: %d to create, %d to update, %d to replace, %d to destroy", s.Counts.Create, s.Counts.Update, s.Counts.Replace, s.Counts.Delete)
	if s.Counts.Move > 0 {
		line += fmt.Sprintf(", %d to move", s.Counts.Move)
	}
	if s.Counts.Import > 0 {
		line += fmt.Sprintf(", %d to import", s.Counts.Import)
	}
	return line + "."
}
