package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
)

// erroredGlob matches the states terraform could not save: its own
// errored.tfstate and the errored-<time>.tfstate skyform keeps it as.
const erroredGlob = "errored*.tfstate"

// pushedSuffix is added to an errored state once it is in the backend:
// kept (it is a copy of the state) but no longer waiting.
const pushedSuffix = ".pushed"

// UnsavedStateError says the workdir holds a state terraform could not
// save to its backend: the backend's state lacks what the run changed,
// so any plan or apply now would work from the wrong state. It is
// returned by the apply that failed to save (Err is its failure) and by
// every later Open until PushErrored succeeds (Err is nil).
type UnsavedStateError struct {
	Dir string
	// Files are the kept states, oldest first.
	Files []string
	// Resources is how many resources the newest one holds.
	Resources int
	Err       error
}

func (e *UnsavedStateError) Error() string {
	files := strings.Join(e.Files, ", ")
	if e.Err != nil {
		return fmt.Sprintf("terraform could not save the state to the backend (%v); the state it could not save, with %d resources, is kept in %s", e.Err, e.Resources, files)
	}
	return fmt.Sprintf("the last run could not save its state to the backend: the state with %d resources is kept in %s, and the backend's state lacks its changes, so nothing runs until it is pushed", e.Resources, files)
}

func (e *UnsavedStateError) Unwrap() error { return e.Err }

// erroredStates lists the workdir's unsaved states, oldest first (the
// names hold the time; terraform's own errored.tfstate, which a killed run
// may leave, is the newest).
func erroredStates(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, erroredGlob))
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool {
		bi, bj := filepath.Base(files[i]), filepath.Base(files[j])
		if (bi == "errored.tfstate") != (bj == "errored.tfstate") {
			return bj == "errored.tfstate"
		}
		return bi < bj
	})
	return files, nil
}

// unsaved returns an UnsavedStateError when the workdir holds a state
// terraform could not save, with err as its cause.
func unsaved(dir string, err error) error {
	files, gerr := erroredStates(dir)
	if gerr != nil || len(files) == 0 {
		return nil
	}
	if err != nil {
		// terraform's advice to push errored.tfstate by hand names a file
		// skyform has moved, and a command skyform runs itself.
		if msg, _, cut := strings.Cut(err.Error(), "; Failed to persist state to backend"); cut {
			err = errors.New(msg)
		}
	}
	n := 0
	if data, rerr := os.ReadFile(files[len(files)-1]); rerr == nil {
		n, _ = state.CountResources(data)
	}
	return &UnsavedStateError{Dir: dir, Files: files, Resources: n, Err: err}
}

// keepErroredState moves an errored.tfstate terraform left behind to a
// name no later run overwrites, and returns that path.
func (d *Deployment) keepErroredState() string {
	src := filepath.Join(d.Dir, "errored.tfstate")
	if _, err := os.Stat(src); err != nil {
		return ""
	}
	dst := filepath.Join(d.Dir, "errored-"+time.Now().UTC().Format("20060102T150405.000Z")+".tfstate")
	if err := os.Rename(src, dst); err != nil {
		return src
	}
	return dst
}

// Pushed is one unsaved state PushErrored wrote to the backend.
type Pushed struct {
	File string `json:"file"`
	// Archived is where the file is now.
	Archived  string `json:"archived"`
	Resources int    `json:"resources"`
}

// PushResult is what PushErrored did.
type PushResult struct {
	Dir     string         `json:"workdir"`
	Backend *state.Backend `json:"backend,omitempty"`
	// Pushed is empty when there was nothing to push.
	Pushed []Pushed `json:"pushed"`
}

// StateConflictError is terraform refusing to push a state because the
// backend's state is not the one it came from: another lineage (a state
// started elsewhere) or a newer or diverging serial (another run saved
// since).
type StateConflictError struct {
	File    string
	Backend string
	Reason  string
	// Terraform is terraform's own words for it.
	Terraform string
	Err       error
}

func (e *StateConflictError) Error() string {
	return fmt.Sprintf("%s was not pushed: the state in %s %s since the run that could not save it (terraform: %s), and pushing would throw that state away. Compare the two (terraform -chdir=%s state pull), then either remove %s to keep the backend's state, or push it over the backend's state with --force",
		e.File, e.Backend, e.Reason, e.Terraform, filepath.Dir(e.File), filepath.Base(e.File))
}

// conflictReasons are terraform's refusals of state push (internal/command
// state_push.go and statemgr), with what each means.
var conflictReasons = []struct{ match, reason string }{
	{"unrelated state with lineage", "is another state (another lineage): it was created or replaced"},
	{"over newer state with serial", "is newer: another run saved it"},
	{"with a different state that has the same serial", "diverged: another run saved it"},
}

// PushErrored writes the workdir's unsaved states to the backend the
// workdir is initialised with (terraform state push, holding the state
// lock), oldest first, and archives each once pushed. It does not compile
// into the workdir or run init: the backend is the one the failed run
// was writing to. force pushes over a backend state of another lineage or
// a newer serial.
func PushErrored(ctx context.Context, bp *blueprints.Blueprint, opts Options, force bool) (*PushResult, error) {
	res, ds, err := compiler.New().Compile(bp, opts.Target)
	if err != nil {
		return nil, err
	}
	if ds.HasErrors() {
		return nil, fmt.Errorf("%s has errors; fix them so skyform can find its workdir", bp.File)
	}
	dir, err := filepath.Abs(Workdir(bp, res.Clouds, opts.Offline))
	if err != nil {
		return nil, fmt.Errorf("cannot find workdir: %w", err)
	}
	out := &PushResult{Dir: dir, Pushed: []Pushed{}}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	lock, err := state.Acquire(dir, "skyform state push-errored", opts.LockTimeout)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	files, err := erroredStates(dir)
	if err != nil || len(files) == 0 {
		return out, err
	}
	if out.Backend, err = state.ReadBackendRecord(dir); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, ".terraform")); err != nil {
		return nil, fmt.Errorf("%s is not initialised (no .terraform), so skyform cannot tell which backend the state belongs to; push it yourself: terraform -chdir=%s init, then terraform -chdir=%s state push %s", dir, dir, dir, filepath.Base(files[0]))
	}
	d := &Deployment{Dir: dir, opts: opts}
	if err := d.newRunner(ctx); err != nil {
		return nil, err
	}
	where := "the backend"
	if out.Backend != nil {
		where = out.Backend.String()
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return out, fmt.Errorf("cannot read %s: %w", f, err)
		}
		n, err := state.CountResources(data)
		if err != nil {
			return out, fmt.Errorf("%s is not a terraform state: %w", f, err)
		}
		if err := d.runner.StatePush(ctx, f, tfrun.PushForce(force)); err != nil {
			for _, c := range conflictReasons {
				if line := lineWith(err.Error(), c.match); line != "" {
					return out, &StateConflictError{File: f, Backend: where, Reason: c.reason, Terraform: line, Err: err}
				}
			}
			return out, &TerraformError{Op: "state push", Err: err}
		}
		archived := f + pushedSuffix
		if err := os.Rename(f, archived); err != nil {
			return out, fmt.Errorf("%s is in the backend now, but cannot be archived (remove it yourself): %w", f, err)
		}
		out.Pushed = append(out.Pushed, Pushed{File: f, Archived: archived, Resources: n})
	}
	return out, nil
}

// ansiRE matches the colour codes terraform state push writes (it has no
// -no-color).
var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// lineWith returns the line of terraform's output that contains s,
// without colours or surrounding space.
func lineWith(out, s string) string {
	for _, l := range strings.Split(ansiRE.ReplaceAllString(out, ""), "\n") {
		if strings.Contains(l, s) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
