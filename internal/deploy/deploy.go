package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

	opts   Options
	runner *tfrun.Runner
	lock   *state.Lock
}

// Workdir is where a blueprint's deployment to a set of clouds lives:
// .skyform/<blueprint>/<clouds> beside the blueprint, with ".offline"
// appended for offline runs.
func Workdir(bp *blueprints.Blueprint, clouds []blueprints.Cloud, isOffline bool) string {
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = string(c)
	}
	key := strings.Join(names, "+")
	if isOffline {
		key += ".offline"
	}
	return filepath.Join(bp.Dir, ".skyform", bp.Name, key)
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
	d := &Deployment{Blueprint: bp, Clouds: res.Clouds, Diagnostics: ds, opts: opts}
	dir, err := filepath.Abs(Workdir(bp, res.Clouds, opts.Offline))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot find workdir: %w", err)
	}
	d.Dir = dir
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
	if err := state.WriteGenerated(d.Dir, res.Files); err != nil {
		return nil, nil, err
	}
	if err := d.newRunner(); err != nil {
		return nil, nil, err
	}
	if err := d.initIfNeeded(ctx, res.InitInputs); err != nil {
		return nil, nil, err
	}
	ok = true
	return d, ds, nil
}

// Close releases the workdir's lock.
func (d *Deployment) Close() error { return d.lock.Unlock() }

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

func (d *Deployment) newRunner() error {
	cache, err := d.cacheDir()
	if err != nil {
		return err
	}
	var opts []tfrun.Option
	if d.opts.Terraform != "" {
		opts = append(opts, tfrun.WithTerraform(d.opts.Terraform))
	}
	if d.opts.Offline {
		cfg, err := offline.Install(filepath.Join(cache, "offline"))
		if err != nil {
			return err
		}
		opts = append(opts, tfrun.WithCLIConfig(cfg))
	} else {
		// The registry's providers are shared by every workdir.
		plugins := filepath.Join(cache, "plugins")
		if err := os.MkdirAll(plugins, 0o755); err != nil {
			return fmt.Errorf("cannot create plugin cache: %w", err)
		}
		opts = append(opts, tfrun.WithEnv("TF_PLUGIN_CACHE_DIR", plugins))
	}
	r, err := tfrun.New(d.Dir, opts...)
	if err != nil {
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
	fmt.Fprintf(h, "offline=%v\nterraform=%s\n", d.opts.Offline, d.runner.Terraform())
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
	if err := d.runner.Init(ctx); err != nil {
		return &TerraformError{Op: "init", Err: err}
	}
	d.Initialised = true
	if err := os.WriteFile(stampPath, []byte(stamp), 0o600); err != nil {
		return fmt.Errorf("cannot record init: %w", err)
	}
	return nil
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
