package tfrun

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

type planConfig struct {
	out     string
	destroy bool
}

// PlanOption configures Plan.
type PlanOption func(*planConfig)

// PlanOut saves the plan to path, for Apply(ctx, ApplyPlan(path)) and
// ShowPlan.
func PlanOut(path string) PlanOption { return func(c *planConfig) { c.out = path } }

// PlanDestroy plans to destroy everything (terraform plan -destroy).
func PlanDestroy() PlanOption { return func(c *planConfig) { c.destroy = true } }

// Plan runs terraform plan and reports whether it has changes.
func (r *Runner) Plan(ctx context.Context, opts ...PlanOption) (changes bool, err error) {
	var c planConfig
	for _, o := range opts {
		o(&c)
	}
	args := []tfexec.PlanOption{tfexec.Destroy(c.destroy)}
	if c.out != "" {
		args = append(args, tfexec.Out(c.out))
	}
	changes, err = r.tf.Plan(ctx, args...)
	if err != nil {
		return false, fmt.Errorf("terraform plan in %s: %w", r.dir, err)
	}
	return changes, nil
}

type applyConfig struct {
	plan string
}

// ApplyOption configures Apply.
type ApplyOption func(*applyConfig)

// ApplyPlan applies the plan saved at path instead of planning again.
func ApplyPlan(path string) ApplyOption { return func(c *applyConfig) { c.plan = path } }

// Apply runs terraform apply without asking for approval.
func (r *Runner) Apply(ctx context.Context, opts ...ApplyOption) error {
	var c applyConfig
	for _, o := range opts {
		o(&c)
	}
	var args []tfexec.ApplyOption
	if c.plan != "" {
		args = append(args, tfexec.DirOrPlan(c.plan))
	}
	if err := r.tf.Apply(ctx, args...); err != nil {
		return fmt.Errorf("terraform apply in %s: %w", r.dir, err)
	}
	return nil
}

// Destroy runs terraform destroy without asking for approval.
func (r *Runner) Destroy(ctx context.Context) error {
	if err := r.tf.Destroy(ctx); err != nil {
		return fmt.Errorf("terraform destroy in %s: %w", r.dir, err)
	}
	return nil
}

// Show returns the current state.
func (r *Runner) Show(ctx context.Context) (*tfjson.State, error) {
	st, err := r.tf.Show(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform show in %s: %w", r.dir, err)
	}
	return st, nil
}

// ShowPlan returns the plan saved at path.
func (r *Runner) ShowPlan(ctx context.Context, path string) (*tfjson.Plan, error) {
	p, err := r.tf.ShowPlanFile(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("terraform show %s in %s: %w", path, r.dir, err)
	}
	return p, nil
}

// Output returns the root module's outputs.
func (r *Runner) Output(ctx context.Context) (map[string]tfexec.OutputMeta, error) {
	out, err := r.tf.Output(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform output in %s: %w", r.dir, err)
	}
	return out, nil
}

// ProvidersSchema returns the schemas of the providers the configuration
// uses (terraform providers schema -json).
func (r *Runner) ProvidersSchema(ctx context.Context) (*tfjson.ProviderSchemas, error) {
	s, err := r.tf.ProvidersSchema(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform providers schema in %s: %w", r.dir, err)
	}
	return s, nil
}
