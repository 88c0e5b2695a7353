package tfrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// DefaultTerraform is where terraform is installed on skyform's machines;
// FindTerraform looks there last.
const DefaultTerraform = "/usr/local/bin/terraform"

// ErrNoTerraform is returned when no terraform binary can be found.
var ErrNoTerraform = errors.New("terraform not found: set SKYFORM_TERRAFORM, put terraform on PATH, or install it at " + DefaultTerraform)

// FindTerraform returns the terraform binary to run: $SKYFORM_TERRAFORM,
// else terraform on PATH, else DefaultTerraform.
func FindTerraform() (string, error) {
	if p := os.Getenv("SKYFORM_TERRAFORM"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("terraform"); err == nil {
		return p, nil
	}
	if st, err := os.Stat(defaultTerraform); err == nil && !st.IsDir() {
		return defaultTerraform, nil
	}
	return "", ErrNoTerraform
}

type config struct {
	terraform   string
	cliConfig   string
	env         map[string]string
	lockTimeout time.Duration
}

// WithLockTimeout makes plan and apply wait up to d for terraform's state
// lock (held by another run through a remote backend) instead of failing
// at once.
func WithLockTimeout(d time.Duration) Option { return func(c *config) { c.lockTimeout = d } }

// Option configures a Runner.
type Option func(*config)

// WithTerraform runs the terraform binary at path instead of the one
// FindTerraform finds.
func WithTerraform(path string) Option { return func(c *config) { c.terraform = path } }

// WithCLIConfig makes terraform read its CLI configuration (provider
// installation, plugin cache) from file, as internal/offline.Install
// writes it, instead of the caller's.
func WithCLIConfig(file string) Option { return func(c *config) { c.cliConfig = file } }

// WithEnv sets one more environment variable for terraform. Variables
// that would bypass the runner (TF_VAR_*, TF_CLI_ARGS*, TF_LOG*, ...) are
// refused by New.
func WithEnv(key, value string) Option {
	return func(c *config) {
		if c.env == nil {
			c.env = map[string]string{}
		}
		c.env[key] = value
	}
}

// Runner runs terraform in one working directory.
type Runner struct {
	dir         string
	tf          *tfexec.Terraform
	env         map[string]string
	lockTimeout time.Duration
}

// New returns a Runner for the configuration in workdir.
func New(workdir string, opts ...Option) (*Runner, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	for k := range c.env {
		if denied(k) {
			return nil, fmt.Errorf("tfrun: %s cannot be set for terraform: it would change the run behind skyform's back", k)
		}
	}
	if c.terraform == "" {
		p, err := FindTerraform()
		if err != nil {
			return nil, err
		}
		c.terraform = p
	}
	tf, err := tfexec.NewTerraform(workdir, c.terraform)
	if err != nil {
		return nil, fmt.Errorf("cannot run terraform in %s: %w", workdir, err)
	}
	env := cleanEnv(os.Environ(), c.cliConfig != "")
	if c.cliConfig != "" {
		env["TF_CLI_CONFIG_FILE"] = c.cliConfig
	}
	for k, v := range c.env {
		env[k] = v
	}
	if err := tf.SetEnv(env); err != nil {
		return nil, fmt.Errorf("cannot run terraform in %s: %w", workdir, err)
	}
	return &Runner{dir: workdir, tf: tf, env: env, lockTimeout: c.lockTimeout}, nil
}

// Dir is the working directory.
func (r *Runner) Dir() string { return r.dir }

// Env returns the environment terraform runs with, as KEY=value, sorted.
// terraform-exec adds its own automation settings (TF_IN_AUTOMATION, empty
// TF_LOG*) on top.
func (r *Runner) Env() []string {
	out := make([]string, 0, len(r.env))
	for k, v := range r.env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// deniedNames and deniedPrefixes are caller variables terraform must not
// see: each would silently change arguments, variables, workspace, data
// directory, logging or which provider processes are used.
var (
	deniedNames = map[string]bool{
		"TF_CLI_ARGS": true, "TF_WORKSPACE": true, "TF_DATA_DIR": true,
		"TF_REATTACH_PROVIDERS": true, "TF_INPUT": true, "TF_IN_AUTOMATION": true,
		"TF_APPEND_USER_AGENT": true, "TF_DISABLE_PLUGIN_TLS": true,
		"TF_SKIP_PROVIDER_VERIFY": true, "TF_LOG": true, "TF_LOG_PATH": true,
		"TF_LOG_CORE": true, "TF_LOG_PROVIDER": true,
		// Set by the offline mirror's launchers, never by a caller.
		"SKYFORM_OFFLINE_PROVIDER": true,
	}
	deniedPrefixes = []string{"TF_CLI_ARGS_", "TF_VAR_", "TF_LOG_"}
	// Replaced by the CLI configuration when WithCLIConfig is used.
	cliConfigNames = map[string]bool{"TF_CLI_CONFIG_FILE": true, "TERRAFORM_CONFIG": true, "TF_PLUGIN_CACHE_DIR": true}
)

func denied(k string) bool {
	if deniedNames[k] {
		return true
	}
	for _, p := range deniedPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// cleanEnv is environ without the denied variables (and without the CLI
// configuration variables when ownConfig), with the checkpoint disabled.
func cleanEnv(environ []string, ownConfig bool) map[string]string {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" || denied(k) || (ownConfig && cliConfigNames[k]) {
			continue
		}
		env[k] = v
	}
	env["CHECKPOINT_DISABLE"] = "1"
	return env
}

type initConfig struct {
	upgrade       bool
	backend       bool
	backendConfig []string
	reconfigure   bool
	migrate       bool
}

// InitOption configures Init.
type InitOption func(*initConfig)

// Upgrade lets init select newer provider versions than the lock file
// records (terraform init -upgrade).
func Upgrade() InitOption { return func(c *initConfig) { c.upgrade = true } }

// NoBackend skips backend initialisation (terraform init -backend=false),
// which is all validate needs.
func NoBackend() InitOption { return func(c *initConfig) { c.backend = false } }

// BackendConfig completes the configuration's partial backend block:
// each setting is "key=value" (terraform init -backend-config=key=value),
// where terraform takes the value of a string setting as it is and that of
// an object setting (endpoints) as a constant expression, never evaluated
// with functions or variables.
func BackendConfig(settings ...string) InitOption {
	return func(c *initConfig) { c.backendConfig = append(c.backendConfig, settings...) }
}

// Reconfigure makes init take the backend as new, without looking at the
// state of the previous one (terraform init -reconfigure): only for a
// workdir whose previous backend holds no state.
func Reconfigure() InitOption { return func(c *initConfig) { c.reconfigure = true } }

// MigrateState copies the state from the previous backend into the new
// one without asking (terraform init -force-copy, which implies
// -migrate-state).
func MigrateState() InitOption { return func(c *initConfig) { c.migrate = true } }

// Init runs terraform init. Failure, including a configuration that
// terraform cannot load, is an error carrying terraform's output.
func (r *Runner) Init(ctx context.Context, opts ...InitOption) error {
	c := initConfig{backend: true}
	for _, o := range opts {
		o(&c)
	}
	args := []tfexec.InitOption{tfexec.Upgrade(c.upgrade), tfexec.Backend(c.backend)}
	for _, kv := range c.backendConfig {
		args = append(args, tfexec.BackendConfig(kv))
	}
	if c.reconfigure {
		args = append(args, tfexec.Reconfigure(true))
	}
	if c.migrate {
		args = append(args, tfexec.ForceCopy(true))
	}
	err := r.tf.Init(ctx, args...)
	if err != nil {
		return fmt.Errorf("terraform init in %s: %w", r.dir, err)
	}
	return nil
}

// Validate runs terraform validate and returns its diagnostics. A
// configuration with errors is not a Go error: out.Valid is false and
// out.Diagnostics say why.
func (r *Runner) Validate(ctx context.Context) (*tfjson.ValidateOutput, error) {
	out, err := r.tf.Validate(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform validate in %s: %w", r.dir, err)
	}
	return out, nil
}
