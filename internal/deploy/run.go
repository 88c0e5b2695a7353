package deploy

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/skyform/skyform/internal/summary"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
)

// planFile is the plan every Plan saves in the workdir.
const planFile = ".skyform.tfplan"

// Plan is a terraform plan and its summary in blueprint terms.
type Plan struct {
	Summary *summary.Summary
	Destroy bool
	// File is the saved plan inside the workdir.
	File string
}

// Plan runs terraform plan (of a destroy when destroy is set) and saves it.
func (d *Deployment) Plan(ctx context.Context, destroy bool, progress func(Event)) (*Plan, error) {
	file := filepath.Join(d.Dir, planFile)
	opts := []tfrun.PlanOption{tfrun.PlanOut(file)}
	if destroy {
		opts = append(opts, tfrun.PlanDestroy())
	}
	// The summary comes from the planned_change messages plan streams, so
	// no second terraform process has to read the plan file back.
	var changes []summary.Change
	if _, err := d.stream(ctx, "plan", func(e Event) {
		if e.Phase == "planned" {
			changes = append(changes, summary.Change{Address: e.Address, Type: e.Type, Action: summary.UIAction(e.Action), MovedFrom: e.MovedFrom, Imported: e.Importing})
		}
		if progress != nil {
			progress(e)
		}
	}, func(w io.Writer) error {
		_, err := d.runner.PlanJSON(ctx, w, opts...)
		return err
	}); err != nil {
		return nil, err
	}
	return &Plan{Summary: summary.FromChanges(changes, d.Blueprint), Destroy: destroy, File: file}, nil
}

// Apply applies a plan, streaming progress per neutral resource, then
// records the deployment.
func (d *Deployment) Apply(ctx context.Context, p *Plan, progress func(Event)) error {
	_, err := d.stream(ctx, "apply", progress, func(w io.Writer) error {
		return d.runner.ApplyJSON(ctx, w, tfrun.ApplyPlan(p.File))
	})
	os.Remove(p.File)
	if kept := d.keepErroredState(); kept != "" {
		if err == nil {
			err = fmt.Errorf("terraform could not save its state")
		}
		return unsaved(d.Dir, err)
	}
	if err != nil {
		return err
	}
	return d.record(ctx, p.Destroy)
}

func (d *Deployment) record(ctx context.Context, destroyed bool) error {
	sum := sha256.Sum256(d.Blueprint.Source)
	r := &state.Record{
		Blueprint:       d.Blueprint.Name,
		BlueprintSHA256: hex.EncodeToString(sum[:]),
		Offline:         d.opts.Offline,
		Action:          "apply",
		Time:            time.Now().UTC().Truncate(time.Second),
	}
	for _, c := range d.Clouds {
		r.Clouds = append(r.Clouds, string(c))
	}
	if destroyed {
		r.Action = "destroy"
	} else {
		outs, err := d.Outputs(ctx)
		if err != nil {
			return err
		}
		r.Outputs = outs
	}
	return state.WriteRecord(d.Dir, r)
}

// Outputs returns terraform's outputs: one object per neutral resource.
func (d *Deployment) Outputs(ctx context.Context) (map[string]json.RawMessage, error) {
	outs, err := d.runner.Output(ctx)
	if err != nil {
		return nil, &TerraformError{Op: "output", Err: err}
	}
	m := make(map[string]json.RawMessage, len(outs))
	for k, v := range outs {
		m[strings.ReplaceAll(k, "_", "-")] = v.Value
	}
	return m, nil
}

// State returns the resources terraform manages, grouped by neutral resource.
func (d *Deployment) State(ctx context.Context) (*tfjson.State, error) {
	st, err := d.runner.Show(ctx)
	if err != nil {
		return nil, &TerraformError{Op: "show", Err: err}
	}
	return st, nil
}

// Event is progress on one cloud resource, in blueprint terms.
type Event struct {
	// Resource is the neutral resource (or implicit module) it belongs to.
	Resource string
	Address  string
	Type     string
	// Phase is start, progress (still running, every few seconds),
	// complete or errored while applying; planned while planning.
	Phase string
	// MovedFrom is the object's previous address when the plan moves it.
	MovedFrom string
	// Importing is set when the plan imports the object.
	Importing bool
	Action    string
	Elapsed   time.Duration
}

// uiMessage is the part of terraform's machine-readable UI skyform reads.
type uiMessage struct {
	Type    string `json:"type"`
	Level   string `json:"@level"`
	Message string `json:"@message"`
	Hook    struct {
		Resource struct {
			Addr string `json:"addr"`
		} `json:"resource"`
		Action         string  `json:"action"`
		ElapsedSeconds float64 `json:"elapsed_seconds"`
	} `json:"hook"`
	Diagnostic *struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
		Address  string `json:"address"`
	} `json:"diagnostic"`
	Change struct {
		Resource struct {
			Addr string `json:"addr"`
			Type string `json:"resource_type"`
		} `json:"resource"`
		// PreviousResource is set when the object moves (a moved block).
		PreviousResource *struct {
			Addr string `json:"addr"`
		} `json:"previous_resource"`
		// Importing is set when the plan imports the object.
		Importing *struct {
			ID string `json:"id"`
		} `json:"importing"`
		Action string `json:"action"`
	} `json:"change"`
}

// stream runs op with a writer that turns terraform's JSON UI into events
// and collects its error diagnostics; on failure the error names the
// neutral resources the diagnostics belong to.
func (d *Deployment) stream(ctx context.Context, op string, progress func(Event), run func(io.Writer) error) ([]string, error) {
	pr, pw := io.Pipe()
	done := make(chan []string)
	names := d.names()
	// terraform's own account of the run, for when the summary is not enough.
	logFile, err := os.OpenFile(filepath.Join(d.Dir, ".skyform-"+op+".log.jsonl"), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot write terraform's log: %w", err)
	}
	defer logFile.Close()
	go func() {
		var errs []string
		resources := map[string]bool{}
		sc := bufio.NewScanner(io.TeeReader(pr, logFile))
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var m uiMessage
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				continue
			}
			switch m.Type {
			case "planned_change":
				if progress != nil && !strings.Contains(m.Change.Resource.Addr, ".data.") && !strings.HasPrefix(m.Change.Resource.Addr, "data.") {
					var from string
					if m.Change.PreviousResource != nil {
						from = m.Change.PreviousResource.Addr
					}
					progress(Event{
						MovedFrom: from,
						Importing: m.Change.Importing != nil,
						Resource:  names(m.Change.Resource.Addr),
						Address:   m.Change.Resource.Addr,
						Type:      m.Change.Resource.Type,
						Phase:     "planned",
						Action:    m.Change.Action,
					})
				}
			case "apply_start", "apply_progress", "apply_complete", "apply_errored":
				if progress != nil {
					progress(Event{
						Resource: names(m.Hook.Resource.Addr),
						Address:  m.Hook.Resource.Addr,
						Phase:    strings.TrimPrefix(m.Type, "apply_"),
						Action:   m.Hook.Action,
						Elapsed:  time.Duration(m.Hook.ElapsedSeconds * float64(time.Second)),
					})
				}
			case "diagnostic":
				if m.Diagnostic != nil && m.Diagnostic.Severity == "error" {
					where := ""
					if m.Diagnostic.Address != "" {
						n := names(m.Diagnostic.Address)
						resources[n] = true
						where = n + ": "
					}
					msg := where + m.Diagnostic.Summary
					if m.Diagnostic.Detail != "" {
						msg += ": " + m.Diagnostic.Detail
					}
					errs = append(errs, msg)
				}
			}
		}
		io.Copy(io.Discard, pr)
		var rs []string
		for r := range resources {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		done <- append(rs, errs...)
	}()
	err = run(pw)
	pw.Close()
	collected := <-done
	if err == nil {
		return nil, nil
	}
	var rs, msgs []string
	for _, c := range collected {
		if strings.Contains(c, ": ") || strings.Contains(c, " ") {
			msgs = append(msgs, c)
		} else {
			rs = append(rs, c)
		}
	}
	if ctx.Err() != nil {
		return nil, &TerraformError{Op: op, Resources: rs, Err: fmt.Errorf("interrupted; terraform stopped cleanly and saved its state")}
	}
	if len(msgs) > 0 {
		err = fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	return nil, d.stateLockedOr(&TerraformError{Op: op, Resources: rs, Err: err})
}

// names maps a terraform address to the neutral resource it belongs to.
func (d *Deployment) names() func(addr string) string {
	byID := map[string]string{}
	for _, r := range d.Blueprint.Resources {
		byID[r.ID()] = r.Name
	}
	return func(addr string) string {
		mod := strings.TrimPrefix(addr, "module.")
		if mod == addr {
			return "(root)"
		}
		if i := strings.IndexAny(mod, ".["); i >= 0 {
			mod = mod[:i]
		}
		if n, ok := byID[mod]; ok {
			return n
		}
		return strings.Replace(mod, "_", " ", 1)
	}
}

// Offline reports whether the deployment uses the offline providers.
func (d *Deployment) Offline() bool { return d.opts.Offline }

// ShowPlan summarises a saved plan file.
func (d *Deployment) ShowPlan(ctx context.Context, file string) (*summary.Summary, error) {
	p, err := d.runner.ShowPlan(ctx, file)
	if err != nil {
		return nil, &TerraformError{Op: "show", Err: err}
	}
	return summary.FromPlan(p, d.Blueprint), nil
}
