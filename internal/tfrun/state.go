package tfrun

import (
	"context"
	"fmt"
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
