package tfrun

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Terraform is the path of the terraform binary the runner uses.
func (r *Runner) Terraform() string { return r.tf.ExecPath() }

// Version is the terraform binary's version, e.g. "1.11.4".
func (r *Runner) Version(ctx context.Context) (string, error) {
	v, _, err := r.tf.Version(ctx, false)
	if err != nil {
		return "", fmt.Errorf("cannot read terraform's version: %w", err)
	}
	return v.String(), nil
}

// ApplyJSON applies like Apply and streams terraform's machine-readable
// UI (one JSON message per line) to w as it runs.
func (r *Runner) ApplyJSON(ctx context.Context, w io.Writer, opts ...ApplyOption) error {
	var c applyConfig
	for _, o := range opts {
		o(&c)
	}
	var args []tfexec.ApplyOption
	if c.plan != "" {
		args = append(args, tfexec.DirOrPlan(c.plan))
	}
	if r.lockTimeout > 0 {
		args = append(args, tfexec.LockTimeout(r.lockTimeout.String()))
	}
	// terraform-exec keeps w as the stdout of every later command; put it
	// back so that, say, terraform output does not write into a closed pipe.
	defer r.tf.SetStdout(nil)
	if err := r.tf.ApplyJSON(ctx, w, args...); err != nil {
		return fmt.Errorf("terraform apply in %s: %w", r.dir, err)
	}
	return nil
}

// PlanJSON plans like Plan and streams terraform's machine-readable UI to w.
func (r *Runner) PlanJSON(ctx context.Context, w io.Writer, opts ...PlanOption) (changes bool, err error) {
	var c planConfig
	for _, o := range opts {
		o(&c)
	}
	args := []tfexec.PlanOption{tfexec.Destroy(c.destroy)}
	if c.out != "" {
		args = append(args, tfexec.Out(c.out))
	}
	if r.lockTimeout > 0 {
		args = append(args, tfexec.LockTimeout(r.lockTimeout.String()))
	}
	defer r.tf.SetStdout(nil)
	changes, err = r.tf.PlanJSON(ctx, w, args...)
	if err != nil {
		return false, fmt.Errorf("terraform plan in %s: %w", r.dir, err)
	}
	return changes, nil
}

// Ignored lists, sorted, the caller's environment variables that terraform
// will not see (TF_CLI_ARGS*, TF_VAR_*, TF_WORKSPACE...), so the caller can
// say so rather than let them be dropped silently.
func Ignored(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if k != "" && denied(k) && k != "SKYFORM_OFFLINE_PROVIDER" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
