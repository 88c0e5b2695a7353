package tfrun

import (
	"context"
	"fmt"
	"github.com/hashicorp/terraform-exec/tfexec"
)

// StatePull returns the raw state of the configured backend (terraform
// state pull): empty when there is none yet.
func (r *Runner) StatePull(ctx context.Context) ([]byte, error) {
	out, err := r.tf.StatePull(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform state pull in %s: %w", r.dir, err)
	}
	return []byte(out), nil
}

type pushConfig struct{ force bool }

// PushOption configures StatePush.
type PushOption func(*pushConfig)

// PushForce pushes over a state of another lineage or a newer serial
// (terraform state push -force).
func PushForce(force bool) PushOption { return func(c *pushConfig) { c.force = force } }

// StatePush writes the state file at path to the configured backend
// (terraform state push), holding the state lock (waiting for it as long
// as WithLockTimeout says). terraform refuses a state whose lineage
// differs from the backend's, or whose serial is older, unless forced.
func (r *Runner) StatePush(ctx context.Context, path string, opts ...PushOption) error {
	var c pushConfig
	for _, o := range opts {
		o(&c)
	}
	args := []tfexec.StatePushCmdOption{tfexec.Lock(true), tfexec.LockTimeout(r.lockTimeout.String())}
	if c.force {
		args = append(args, tfexec.Force(true))
	}
	if err := r.tf.StatePush(ctx, path, args...); err != nil {
		return fmt.Errorf("terraform state push %s in %s: %w", path, r.dir, err)
	}
	return nil
}
