package deploy

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
)

// LockfileVersion is the first terraform whose S3 backend locks with a
// lock file in the bucket (use_lockfile).
const LockfileVersion = "1.10.0"

// Backend is where the deployment's state lives.
func (d *Deployment) Backend() *state.Backend { return d.backend }

// BackendChangedError refuses to switch a workdir whose state is not empty
// to another backend: moving state is for the user to ask for.
type BackendChangedError struct {
	Dir      string
	From, To string
	// Resources is how many resources the state holds.
	Resources int
	// Where names the state that holds them.
	Where string
}

func (e *BackendChangedError) Error() string {
	return fmt.Sprintf("the backend changed from %s to %s, and the state in %s holds %d resources; skyform does not move state on its own: run skyform init --migrate-state with the same blueprint and flags to copy it into the new backend, or go back to the previous backend",
		e.From, e.To, e.Where, e.Resources)
}

type initMode int

const (
	initNormal initMode = iota
	// initReconfigure: the backend changed and no state is lost by
	// taking the new one as it is.
	initReconfigure
	// initMigrate: the backend changed and the user asked to move the state.
	initMigrate
)

// prepareBackend runs before the new configuration is written: it checks
// that terraform can serve the backend and, when the backend differs from
// the one the workdir was initialised with, decides how init must treat
// the previous one, reading the previous state through the configuration
// still in place.
func (d *Deployment) prepareBackend(ctx context.Context) error {
	if d.backend.Type == blueprints.BackendS3 {
		ver, err := d.runner.Version(ctx)
		if err != nil {
			return err
		}
		if v, err := version.NewVersion(ver); err == nil && v.LessThan(version.Must(version.NewVersion(LockfileVersion))) {
			return fmt.Errorf("the s3 backend locks state with a lock file in the bucket (use_lockfile), which needs terraform %s or later, and %s is terraform %s: install a newer terraform (or set SKYFORM_TERRAFORM to one)",
				strings.TrimSuffix(LockfileVersion, ".0"), d.runner.Terraform(), ver)
		}
	}
	prev, err := state.ReadBackendRecord(d.Dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(d.Dir, ".terraform")); err != nil || prev == nil {
		// Either terraform remembers no backend (only a state file left in
		// the workdir could matter), or the workdir was initialised before
		// skyform knew backends: both are the local backend.
		prev = &state.Backend{Type: blueprints.BackendLocal, Config: map[string]string{}}
	}
	if prev.Equal(d.backend) {
		return nil
	}
	if d.opts.MigrateState {
		d.initMode = initMigrate
		return nil
	}
	n, where, err := d.stateResources(ctx, prev)
	if err != nil {
		return fmt.Errorf("the backend changed from %s to %s, and skyform cannot tell whether the previous state is empty, so it changes nothing: %w", prev, d.backend, err)
	}
	if n == 0 && d.backend.Type == blueprints.BackendLocal && !d.backend.Encrypted {
		// Going back to local picks up the workdir's own state file.
		n, where, err = state.LocalStateResources(d.Dir)
		if err != nil {
			return err
		}
	}
	if n > 0 {
		return &BackendChangedError{Dir: d.Dir, From: prev.String(), To: d.backend.String(), Resources: n, Where: where}
	}
	d.initMode = initReconfigure
	return nil
}

// stateResources counts the managed resources in the state of backend b,
// which the workdir is still configured for.
func (d *Deployment) stateResources(ctx context.Context, b *state.Backend) (int, string, error) {
	if b.Type == blueprints.BackendLocal {
		return state.LocalStateResources(d.Dir)
	}
	data, err := d.runner.StatePull(ctx)
	if err != nil {
		return 0, "", err
	}
	n, err := state.CountResources(data)
	return n, b.String(), err
}

// initOptions are what init needs for the backend.
func (d *Deployment) initOptions() []tfrun.InitOption {
	if d.backend == nil {
		return nil
	}
	var opts []tfrun.InitOption
	if s := d.backend.Settings(); len(s) > 0 {
		opts = append(opts, tfrun.BackendConfig(s...))
	}
	switch d.initMode {
	case initReconfigure:
		opts = append(opts, tfrun.Reconfigure())
	case initMigrate:
		opts = append(opts, tfrun.MigrateState())
	}
	return opts
}

// recordBackend notes the backend the workdir is now initialised with.
func (d *Deployment) recordBackend() error {
	p := filepath.Join(d.Dir, state.BackendRecordName)
	data := d.backend.Record()
	if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, data) {
		return nil
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return fmt.Errorf("cannot record the workdir's backend: %w", err)
	}
	return nil
}

// StateLockedError is terraform failing to take the state lock of a
// remote backend because another run holds it.
type StateLockedError struct {
	Dir string
	// Path is the locked state (bucket/key), ID the lock's.
	Path, ID, Who, Operation, Created string
	Err                               error
}

func (e *StateLockedError) Error() string {
	return fmt.Sprintf("the state %s is locked by %s (terraform %s, since %s, lock ID %s); wait for that run to finish, or if it died, release the lock with: terraform -chdir=%s force-unlock %s",
		e.Path, e.Who, e.Operation, e.Created, e.ID, e.Dir, e.ID)
}

func (e *StateLockedError) Unwrap() error { return e.Err }

var lockInfoRE = regexp.MustCompile(`(?m)^\s*(ID|Path|Operation|Who|Created):\s*(.*?)\s*$`)

// stateLockedOr returns a StateLockedError for terraform saying that
// another run holds the state lock (its "Lock Info"), and err otherwise.
func (d *Deployment) stateLockedOr(err *TerraformError) error {
	msg := err.Err.Error()
	i := strings.Index(msg, "Error acquiring the state lock")
	if i < 0 {
		return err
	}
	e := &StateLockedError{Dir: d.Dir, Err: err}
	for _, m := range lockInfoRE.FindAllStringSubmatch(msg[i:], -1) {
		switch m[1] {
		case "ID":
			e.ID = m[2]
		case "Path":
			e.Path = m[2]
			// The gcs backend names its lock file (PREFIX/WORKSPACE.tflock),
			// not the state beside it.
			if p, ok := strings.CutSuffix(m[2], ".tflock"); ok && strings.HasPrefix(p, "gs://") {
				e.Path = p + ".tfstate"
			}
		case "Operation":
			e.Operation = strings.ToLower(strings.TrimPrefix(m[2], "OperationType"))
		case "Who":
			e.Who = m[2]
		case "Created":
			e.Created = m[2]
			if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", m[2]); err == nil {
				e.Created = t.UTC().Format(time.RFC3339)
			}
		}
	}
	if e.ID == "" {
		return err
	}
	return e
}
