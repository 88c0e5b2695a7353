package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
	"github.com/skyform/skyform/state/encrypted"
)

// Options configure a deployment.
type Options struct {
	// Target moves every resource to one cloud; "" keeps the blueprint's placement.
	Target blueprints.Cloud
	// Offline runs terraform with skyform's offline providers.
	Offline bool
	// Terraform is the terraform binary; "" finds one.
	Terraform string
	// LockTimeout is how long to wait for another run holding the workdir.
	LockTimeout time.Duration
	// Command names this run to another one that finds the workdir locked.
	Command string
	// CacheDir holds the offline mirror and the shared plugin cache; ""
	// is the user's cache directory.
	CacheDir string
	// Variables set root input variables (--var gcp_project=ID). Online,
	// those not given come from the clouds' usual environment variables.
	Variables map[string]string
	// Backend replaces the blueprint's backend type (--backend); "" keeps it.
	Backend string
	// BackendConfig are "KEY=VALUE" backend settings (--backend-config),
	// applied in order over the blueprint's; keys are terraform's setting
	// names or the blueprint's field names.
	BackendConfig []string
	// MigrateState lets init copy the state into a changed backend.
	MigrateState bool
	// Env adds environment variables for terraform (tfrun refuses those
	// that would change the run behind skyform's back).
	Env map[string]string
}

// MissingVariableError says a root variable the clouds need has no value.
type MissingVariableError struct {
	Name string
	Hint string
}

func (e *MissingVariableError) Error() string {
	return fmt.Sprintf("%s has no value: %s", e.Name, e.Hint)
}

// variableSources are where an online run finds a root variable the user
// did not pass with --var, and what to tell them when it finds nothing.
var variableSources = map[string]struct {
	env  []string
	hint string
}{
	"gcp_project":           {[]string{"GOOGLE_CLOUD_PROJECT", "GOOGLE_PROJECT", "CLOUDSDK_CORE_PROJECT"}, "pass --var gcp_project=PROJECT_ID or set GOOGLE_CLOUD_PROJECT"},
	"azure_subscription_id": {[]string{"ARM_SUBSCRIPTION_ID"}, "pass --var azure_subscription_id=ID or set ARM_SUBSCRIPTION_ID"},
}

// offlineValues are placeholders for root variables offline: nothing
// reaches a cloud, but terraform still wants every required variable set.
var offlineValues = map[string]string{
	"gcp_project":           "skyform-offline",
	"azure_subscription_id": "00000000-0000-0000-0000-000000000000",
}

// varsFile is the root variables' values, written into the workdir where
// terraform reads it by itself (so no value is ever on a command line). It
// is not a generated file: it exists, 0600, only while a Deployment is
// open, and Close removes it whatever the run's outcome.
const varsFile = "skyform.auto.tfvars.json"

// SavedPlanFile is where a plan saved with plan -out is copied into the
// workdir to be applied; Close removes it like the workdir's own plan.
const SavedPlanFile = ".skyform.saved.tfplan"

// transient are the workdir files that hold root variable values (a saved
// plan holds them too) and live only while a Deployment is open.
var transient = []string{varsFile, planFile, SavedPlanFile}

func (opts Options) variableValues(vars []compiler.Variable) ([]byte, error) {
	values := map[string]string{}
	for _, v := range vars {
		if val, ok := opts.Variables[v.Name]; ok {
			values[v.Name] = val
			continue
		}
		if opts.Offline {
			if val, ok := offlineValues[v.Name]; ok {
				values[v.Name] = val
				continue
			}
		}
		src := variableSources[v.Name]
		for _, e := range src.env {
			if val := os.Getenv(e); val != "" {
				values[v.Name] = val
				break
			}
		}
		if _, ok := values[v.Name]; !ok && v.Required {
			hint := src.hint
			if hint == "" {
				hint = "pass --var " + v.Name + "=VALUE"
			}
			return nil, &MissingVariableError{Name: v.Name, Hint: hint}
		}
	}
	data, err := json.MarshalIndent(values, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Deployment is an open workdir: compiled, locked and initialised.
type Deployment struct {
	Blueprint *blueprints.Blueprint
	// Dir is the workdir holding the root module and its state (absolute).
	Dir    string
	Clouds []blueprints.Cloud
	// Diagnostics are the compile warnings.
	Diagnostics diag.Diagnostics
	// Initialised is true when this Open ran terraform init.
	Initialised bool
	// Changes are the generated files this Open wrote or removed (only
	// files whose bytes changed are written).
	Changes *state.Changes

	opts    Options
	backend *state.Backend
	// passphrase, stateKey and stateServer serve an encrypted state.
	passphrase  string
	stateKey    *encrypted.Key
	stateServer *encrypted.Server
	initMode    initMode
	runner      *tfrun.Runner
	cliConfig   string
	// pluginCache is the plugin cache every online workdir shares.
	pluginCache string
	lock        *state.Lock
}

// Workdir is where a blueprint's deployment to a set of clouds lives:
// .skyform/<blueprint>/<clouds> beside the blueprint, with ".offline"
// appended for offline runs.
func Workdir(bp *blueprints.Blueprint, clouds []blueprints.Cloud, isOffline bool) string {
	return filepath.Join(bp.Dir, ".skyform", bp.Name, state.DeploymentName(clouds, isOffline))
}

// Open compiles the blueprint, writes the root module into its workdir,
// takes the workdir's lock and initialises terraform if needed. Compile
// errors come back as diagnostics with nothing written. Close releases
// the lock.
func Open(ctx context.Context, bp *blueprints.Blueprint, opts Options) (*Deployment, diag.Diagnostics, error) {
	res, ds, err := compiler.New().Compile(bp, opts.Target)
	if err != nil {
		return nil, nil, err
	}
	if ds.HasErrors() {
		return nil, ds, nil
	}
	// terraform creates state, plans and .terraform with the process umask:
	// 077 keeps state files 0600 and directories 0700 (generated .tf files
	// are made 0644 explicitly).
	syscall.Umask(0o077)
	placed := bp
	if opts.Target != "" {
		placed = bp.Retarget(opts.Target)
	}
	d := &Deployment{Blueprint: placed, Clouds: res.Clouds, Diagnostics: ds, opts: opts}
	dir, err := filepath.Abs(Workdir(bp, res.Clouds, opts.Offline))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot find workdir: %w", err)
	}
	d.Dir = dir
	vals, err := opts.variableValues(res.Variables)
	if err != nil {
		return nil, nil, err
	}
	be, bds, err := state.ResolveBackend(bp, res.Clouds, state.BackendRequest{
		Type: opts.Backend, Config: opts.BackendConfig, Offline: opts.Offline, Target: opts.Target})
	if err != nil {
		return nil, nil, err
	}
	if bds.HasErrors() {
		return nil, append(ds, bds...), nil
	}
	if enc := bp.StateEncryption; enc != nil {
		if be.Type != blueprints.BackendLocal {
			return nil, append(ds, diag.Diagnostics{}.Errorf(enc.Range, "state.encryption", fmt.Sprintf("state encryption needs the local backend, not %s", be.Type),
				"skyform encrypts the state through a backend of its own in front of the workdir's state file; the %s backend keeps state encrypted by its store instead (skyform state bootstrap sets it up, with --kms-key for a key of your own): remove state.encryption, or keep the state local", be.Type)...), nil
		}
		d.passphrase = os.Getenv(enc.PassphraseEnv)
		if d.passphrase == "" {
			return nil, nil, &PassphraseError{Env: enc.PassphraseEnv}
		}
		be.Encrypted = true
	}
	if f, err := be.File(); err != nil {
		return nil, nil, err
	} else if f != nil {
		res.Files[state.BackendFile] = f
	}
	res.InitInputs = append(res.InitInputs, be.InitInputs()...)
	d.backend = be
	if cds, err := claimWorkdirs(bp); err != nil || cds.HasErrors() {
		return nil, append(ds, cds...), err
	}
	// Only now, with everything that can be refused checked, does the
	// workdir come into being.
	if err := os.MkdirAll(d.Dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("cannot create workdir: %w", err)
	}
	if err := os.Chmod(d.Dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("cannot secure workdir: %w", err)
	}
	lock, err := state.Acquire(d.Dir, opts.Command, opts.LockTimeout)
	if err != nil {
		return nil, nil, err
	}
	d.lock = lock
	ok := false
	defer func() {
		if !ok {
			d.Close()
		}
	}()
	// A state terraform could not save comes first: any run now would
	// plan from the backend's state, which lacks what that run changed.
	if err := unsaved(d.Dir, nil); err != nil {
		return nil, nil, err
	}
	if err := d.serveState(); err != nil {
		return nil, nil, err
	}
	if err := d.newRunner(ctx); err != nil {
		return nil, nil, err
	}
	// Before the new configuration replaces the old one, which may be
	// needed to read the previous backend's state.
	if err := d.prepareBackend(ctx); err != nil {
		return nil, nil, err
	}
	if d.Changes, err = state.WriteGeneratedChanges(d.Dir, res.Files); err != nil {
		return nil, nil, err
	}
	// A run killed outright cannot clean up: its leftovers go now.
	d.removeTransient()
	if err := writePrivate(filepath.Join(d.Dir, varsFile), vals); err != nil {
		return nil, nil, fmt.Errorf("cannot write the root variables: %w", err)
	}
	if err := d.initIfNeeded(ctx, res.InitInputs); err != nil {
		return nil, nil, err
	}
	if err := d.removePlaintextState(); err != nil {
		return nil, nil, err
	}
	if err := d.recordBackend(); err != nil {
		return nil, nil, err
	}
	ok = true
	return d, ds, nil
}

// Close removes the files holding root variable values (the variables
// file and any plan) and releases the workdir's lock. Every command defers
// it, so it runs on failure and after an interrupt too.
func (d *Deployment) Close() error {
	d.removeTransient()
	if d.stateServer != nil {
		d.stateServer.Close()
	}
	return d.lock.Unlock()
}

func (d *Deployment) removeTransient() {
	for _, f := range transient {
		_ = os.Remove(filepath.Join(d.Dir, f))
	}
}

// writePrivate writes a file only its owner can read, whatever the file
// was before.
func writePrivate(path string, data []byte) error {
	_ = os.Remove(path)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d *Deployment) cacheDir() (string, error) {
	if d.opts.CacheDir != "" {
		return d.opts.CacheDir, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a cache directory: %w", err)
	}
	return filepath.Join(c, "skyform"), nil
}

func (d *Deployment) newRunner(ctx context.Context) error {
	cache, err := d.cacheDir()
	if err != nil {
		return err
	}
	tf, err := tfrun.Locate(ctx, d.opts.Terraform, cache)
	if err != nil {
		return err
	}
	opts := []tfrun.Option{tfrun.WithTerraform(tf), tfrun.WithLockTimeout(d.opts.LockTimeout)}
	for k, v := range d.opts.Env {
		opts = append(opts, tfrun.WithEnv(k, v))
	}
	if d.stateServer != nil {
		for k, v := range d.stateServer.Env() {
			opts = append(opts, tfrun.WithEnv(k, v))
		}
	}
	if d.opts.Offline {
		cfg, err := offline.Install(filepath.Join(cache, "offline"))
		if err != nil {
			return err
		}
		opts = append(opts, tfrun.WithCLIConfig(cfg))
		d.cliConfig = cfg
	} else {
		// The registry's providers are shared by every workdir.
		plugins := filepath.Join(cache, "plugins")
		if err := os.MkdirAll(plugins, 0o755); err != nil {
			return fmt.Errorf("cannot create plugin cache: %w", err)
		}
		opts = append(opts, tfrun.WithEnv("TF_PLUGIN_CACHE_DIR", plugins))
		d.pluginCache = plugins
	}
	r, err := tfrun.New(d.Dir, opts...)
	if err != nil {
		return err
	}
	ver, err := r.Version(ctx)
	if err != nil {
		return err
	}
	if err := tfrun.CheckVersion(tf, ver); err != nil {
		return err
	}
	d.runner = r
	return nil
}

const initStampName = ".skyform-init"

// initIfNeeded runs terraform init unless the providers, module calls,
// backend, terraform binary and mode are what the last init saw.
func (d *Deployment) initIfNeeded(ctx context.Context, inputs []string) error {
	h := sha256.New()
	// The offline lock file records launchers tied to this executable's
	// path, so the CLI configuration (which names them) is part of it.
	fmt.Fprintf(h, "offline=%v\nterraform=%s\ncli-config=%s\n", d.opts.Offline, d.runner.Terraform(), d.cliConfig)
	for _, in := range inputs {
		fmt.Fprintln(h, in)
	}
	stamp := hex.EncodeToString(h.Sum(nil))
	stampPath := filepath.Join(d.Dir, initStampName)
	prev, _ := os.ReadFile(stampPath)
	_, modErr := os.Stat(filepath.Join(d.Dir, ".terraform", "modules", "modules.json"))
	_, lockErr := os.Stat(filepath.Join(d.Dir, ".terraform.lock.hcl"))
	if string(prev) == stamp && modErr == nil && lockErr == nil {
		return nil
	}
	_ = os.Remove(stampPath)
	unlock, err := d.lockPluginCache(ctx)
	if err != nil {
		return err
	}
	err = d.runner.Init(ctx, d.initOptions()...)
	unlock()
	if err != nil {
		return &TerraformError{Op: "init", Err: err}
	}
	d.Initialised = true
	if err := os.WriteFile(stampPath, []byte(stamp), 0o600); err != nil {
		return fmt.Errorf("cannot record init: %w", err)
	}
	return nil
}

// lockPluginCache takes the shared plugin cache's lock for an init.
// terraform copies providers into the cache without any locking of its
// own, and two inits filling it at once fail ("file exists", a provider
// "not detected after installing"); parallel CI jobs on one runner do
// exactly that. Offline runs have no cache (see internal/offline).
func (d *Deployment) lockPluginCache(ctx context.Context) (unlock func(), err error) {
	if d.pluginCache == "" {
		return func() {}, nil
	}
	l, err := state.AcquireShared(ctx, d.pluginCache+".lock", d.opts.Command+" (terraform init)")
	if err != nil {
		return nil, fmt.Errorf("cannot lock the plugin cache: %w", err)
	}
	return func() { l.Unlock() }, nil
}

// TerraformError is terraform failing while it runs (as opposed to
// skyform failing to start it): the CLI gives it its own exit code.
type TerraformError struct {
	Op string
	// Resources are the neutral resources the failure belongs to, when
	// terraform said which.
	Resources []string
	Err       error
}

func (e *TerraformError) Error() string {
	if len(e.Resources) > 0 {
		return fmt.Sprintf("terraform %s failed for %s: %v", e.Op, strings.Join(e.Resources, ", "), e.Err)
	}
	return fmt.Sprintf("terraform %s failed: %v", e.Op, e.Err)
}

func (e *TerraformError) Unwrap() error { return e.Err }

// IsTerraformError reports whether err is terraform failing.
func IsTerraformError(err error) bool {
	var te *TerraformError
	return errors.As(err, &te)
}
