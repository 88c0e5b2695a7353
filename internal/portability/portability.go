// Package portability reports how faithfully each cloud expresses a
// blueprint: the blueprint is moved whole to every cloud and compiled in
// memory, and every feature the blueprint writes is judged from what that
// cloud's lowering said about it. A feature nothing was said about is
// exact; a warning ("… approximated on gcp") makes it approximated, with the
// warning's explanation as the how; an error makes it unsupported.
package portability

import (
	"fmt"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/diag"
)

// Status is how one cloud expresses one feature.
type Status string

// The statuses, from best to worst.
const (
	Exact        Status = "exact"
	Approximated Status = "approximated"
	Unsupported  Status = "unsupported"
)

func (s Status) rank() int {
	switch s {
	case Approximated:
		return 1
	case Unsupported:
		return 2
	}
	return 0
}

// BlueprintRow is the resource name of the rows about the blueprint as a
// whole (its region, its labels).
const BlueprintRow = "(blueprint)"

// Note is one thing a cloud's lowering said about a feature.
type Note struct {
	Summary string     `json:"summary"`
	Detail  string     `json:"detail,omitempty"`
	Range   diag.Range `json:"range"`
}

// Cell is one cloud's verdict on one feature.
type Cell struct {
	Cloud  blueprints.Cloud `json:"cloud"`
	Status Status           `json:"status"`
	Notes  []Note           `json:"notes,omitempty"`
}

// Row is one feature of one resource, judged on every cloud.
type Row struct {
	Resource string          `json:"resource"`
	Kind     blueprints.Kind `json:"kind,omitempty"`
	// Feature is the field path below the resource (a trigger, an
	// environment variable and a node pool each have their own row).
	Feature string `json:"feature"`
	// Range is where the feature is written; zero when it is implied.
	Range diag.Range `json:"range"`
	Cells []Cell     `json:"cells"`
}

// Cell returns the row's cell for cloud c.
func (r *Row) Cell(c blueprints.Cloud) *Cell {
	for i := range r.Cells {
		if r.Cells[i].Cloud == c {
			return &r.Cells[i]
		}
	}
	return nil
}

// Score sums up one cloud.
type Score struct {
	Cloud        blueprints.Cloud `json:"cloud"`
	Exact        int              `json:"exact"`
	Approximated int              `json:"approximated"`
	Unsupported  int              `json:"unsupported"`
	Total        int              `json:"total"`
	// Percent is the share of features expressed exactly, rounded down.
	Percent int `json:"percent_exact"`
}

// Line is the score as one sentence.
func (s Score) Line() string {
	return fmt.Sprintf("%s: %d of %d features exact, %d approximated, %d unsupported (%d%% exact)",
		s.Cloud, s.Exact, s.Total, s.Approximated, s.Unsupported, s.Percent)
}

// Report is the portability of one blueprint across the clouds.
type Report struct {
	Blueprint string             `json:"blueprint"`
	File      string             `json:"file"`
	Clouds    []blueprints.Cloud `json:"clouds"`
	Rows      []Row              `json:"rows"`
	Scores    []Score            `json:"scores"`
}

// Options narrows the report.
type Options struct {
	// Clouds to judge; nil means every cloud.
	Clouds []blueprints.Cloud
}

// Analyze compiles bp for each cloud in memory and judges every feature.
// An error is a system failure (a function source that cannot be read);
// what the clouds cannot express is in the report, never an error.
func Analyze(bp *blueprints.Blueprint, opts Options) (*Report, error) {
	clouds := opts.Clouds
	if len(clouds) == 0 {
		clouds = blueprints.Clouds
	}
	rep := &Report{Blueprint: bp.Name, File: bp.File, Clouds: clouds}
	rows := newRowSet(bp, clouds)
	comp := compiler.New()
	for _, c := range clouds {
		_, ds, err := comp.Compile(bp, c)
		if err != nil {
			return nil, fmt.Errorf("cannot compile blueprint %q for %s: %w", bp.Name, c, err)
		}
		for i := range ds {
			rows.judge(c, ds[i])
		}
		rows.overrides(c)
	}
	rep.Rows = rows.sorted()
	for _, c := range clouds {
		s := Score{Cloud: c}
		for i := range rep.Rows {
			switch rep.Rows[i].Cell(c).Status {
			case Exact:
				s.Exact++
			case Approximated:
				s.Approximated++
			case Unsupported:
				s.Unsupported++
			}
			s.Total++
		}
		if s.Total > 0 {
			s.Percent = s.Exact * 100 / s.Total
		}
		rep.Scores = append(rep.Scores, s)
	}
	return rep, nil
}

// ignored are the fields that say where or how a resource is placed or
// priced rather than what it is; moving the blueprint rewrites or ignores
// them by design. Overrides get rows of their own (overrides).
var ignored = map[string]bool{"kind": true, "cloud": true, "usage": true, "renamed_from": true, "overrides": true}

// perItem are the fields whose entries each get a row: a trigger, an
// environment variable, a node pool.
var perItem = map[string]bool{"triggers": true, "env": true, "node_pools": true}

// featureOf cuts a field path below a resource to the feature it belongs
// to: "dead_letter.max_deliveries" → "dead_letter",
// "triggers[0].batch_size" → "triggers[0]", "env.DB_HOST" → "env.DB_HOST".
func featureOf(field string) string {
	head, rest, _ := strings.Cut(field, ".")
	base, idx, isList := strings.Cut(head, "[")
	if perItem[base] {
		if isList {
			return base + "[" + idx
		}
		if item, _, _ := strings.Cut(rest, "."); item != "" {
			return base + "." + item
		}
	}
	return base
}

type rowSet struct {
	bp     *blueprints.Blueprint
	clouds []blueprints.Cloud
	rows   map[[2]string]*Row
}

func newRowSet(bp *blueprints.Blueprint, clouds []blueprints.Cloud) *rowSet {
	s := &rowSet{bp: bp, clouds: clouds, rows: map[[2]string]*Row{}}
	s.row(BlueprintRow, "", "region", bp.Region.Range)
	if len(bp.Labels) > 0 {
		s.row(BlueprintRow, "", "labels", bp.At("labels"))
	}
	for _, r := range bp.Resources {
		s.row(r.Name, r.Kind, "", r.Range)
		for field, rng := range r.Fields {
			f := featureOf(field)
			// triggers, env and node_pools stand for their entries' rows.
			if f == "" || ignored[strings.SplitN(f, ".", 2)[0]] || perItem[f] {
				continue
			}
			row := s.row(r.Name, r.Kind, f, rng)
			// The feature's own position, not one of its sub-fields'.
			if field == f || before(rng, row.Range) {
				row.Range = rng
			}
		}
	}
	return s
}

func before(a, b diag.Range) bool {
	return a.Start.Line < b.Start.Line || a.Start.Line == b.Start.Line && a.Start.Column < b.Start.Column
}

// row returns the row of a feature, making it (exact everywhere) the
// first time.
func (s *rowSet) row(resource string, kind blueprints.Kind, feature string, rng diag.Range) *Row {
	k := [2]string{resource, feature}
	if r, ok := s.rows[k]; ok {
		return r
	}
	r := &Row{Resource: resource, Kind: kind, Feature: feature, Range: rng}
	for _, c := range s.clouds {
		r.Cells = append(r.Cells, Cell{Cloud: c, Status: Exact})
	}
	s.rows[k] = r
	return r
}

// judge records what cloud c's compile said, on the feature its path
// names. A diagnostic about no resource field belongs to the blueprint.
func (s *rowSet) judge(c blueprints.Cloud, d *diag.Diagnostic) {
	status := Approximated
	if d.Severity == diag.Error {
		status = Unsupported
	}
	var row *Row
	if rest, ok := strings.CutPrefix(d.Path, "resources."); ok {
		name, field, _ := strings.Cut(rest, ".")
		if r := s.bp.Resource(name); r != nil {
			f := featureOf(field)
			if ignored[f] {
				f = ""
			}
			row = s.row(r.Name, r.Kind, f, r.At(field))
		}
	}
	if row == nil {
		feature := d.Path
		if feature == "" {
			feature = d.Summary
		}
		row = s.row(BlueprintRow, "", feature, d.Range)
	}
	cell := row.Cell(c)
	if status.rank() > cell.Status.rank() {
		cell.Status = status
	}
	cell.Notes = append(cell.Notes, Note{Summary: d.Summary, Detail: d.Detail, Range: d.Range})
}

// overrides judges the escape hatches: attributes given to one cloud's
// module are exact there and dropped elsewhere, which the compile does
// not warn about because it is what overrides are for.
func (s *rowSet) overrides(c blueprints.Cloud) {
	for _, r := range s.bp.Resources {
		for oc, attrs := range r.Overrides {
			row := s.row(r.Name, r.Kind, "overrides."+string(oc), r.At("overrides."+string(oc)))
			if oc == c {
				continue
			}
			keys := make([]string, 0, len(attrs))
			for k := range attrs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			cell := row.Cell(c)
			if cell.Status == Exact {
				cell.Status = Approximated
			}
			cell.Notes = append(cell.Notes, Note{
				Summary: fmt.Sprintf("%s overrides not carried to %s", oc, c),
				Detail:  fmt.Sprintf("%s are set for %s's module only; on %s its module's defaults apply", strings.Join(keys, ", "), oc, c),
				Range:   r.At("overrides." + string(oc)),
			})
		}
	}
}

// sorted returns the rows: the blueprint's first, then each resource in
// name order with the resource itself first and its features by position.
func (s *rowSet) sorted() []Row {
	out := make([]Row, 0, len(s.rows))
	for _, r := range s.rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if (a.Resource == BlueprintRow) != (b.Resource == BlueprintRow) {
			return a.Resource == BlueprintRow
		}
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if (a.Feature == "") != (b.Feature == "") {
			return a.Feature == ""
		}
		if a.Range.Start != b.Range.Start {
			return before(a.Range, b.Range)
		}
		return a.Feature < b.Feature
	})
	return out
}
