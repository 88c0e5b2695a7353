package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/deploy"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/jsonindent"
	"github.com/skyform/skyform/internal/progress"
	"github.com/skyform/skyform/internal/summary"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// runArgs are the flags of every command that runs terraform.
type runArgs struct {
	blueprintArgs
	Offline     bool
	Terraform   string
	LockTimeout time.Duration
	Vars        map[string]string
	// Backend and BackendConfig override or complete the blueprint's backend.
	Backend       string
	BackendConfig []string
	// MigrateState is set by init --migrate-state only.
	MigrateState bool
}

func (a *runArgs) register(cmd *cobra.Command) {
	a.blueprintArgs.register(cmd, "aws, gcp or azure: move every resource there (default: as the blueprint places them)")
	cmd.Flags().BoolVar(&a.Offline, "offline", false, "use skyform's offline providers: no network, no credentials, nothing created in any cloud")
	cmd.Flags().StringVar(&a.Terraform, "terraform", "", "terraform binary (default: $SKYFORM_TERRAFORM, then PATH)")
	cmd.Flags().DurationVar(&a.LockTimeout, "lock-timeout", 0, "how long to wait for another run holding this blueprint's workdir or its state lock")
	cmd.Flags().StringToStringVar(&a.Vars, "var", nil, "root variable, e.g. --var gcp_project=my-project (online, GOOGLE_CLOUD_PROJECT and ARM_SUBSCRIPTION_ID are read too)")
	cmd.Flags().StringVar(&a.Backend, "backend", "", "where terraform keeps state: local, s3, gcs or azurerm (default: the blueprint's backend; offline runs: local)")
	cmd.Flags().StringArrayVar(&a.BackendConfig, "backend-config", nil, "backend setting KEY=VALUE, or a FILE of name = value lines, repeatable, over the blueprint's: its field names (bucket, key, region, prefix, storage_account, container, resource_group) or any of terraform's settings for the backend")
}

// io bundles the streams a command writes to and reads from.
type streams struct {
	in          io.Reader
	out, errOut io.Writer
}

// open compiles and opens the blueprint's workdir; compile diagnostics are
// shown and turned into exit code 1.
func (a *runArgs) open(ctx context.Context, s streams, command string) (*deploy.Deployment, error) {
	targets, err := a.targets(false)
	if err != nil {
		return nil, err
	}
	bp, ds, err := a.load()
	if err != nil {
		return nil, err
	}
	src := a.sources(bp)
	if ds.HasErrors() {
		return nil, showDiagnostics(s, a.JSON, ds, src)
	}
	d, cds, err := deploy.Open(ctx, bp, deploy.Options{
		Target: targets[0], Offline: a.Offline, Terraform: a.Terraform,
		LockTimeout: a.LockTimeout, Command: "skyform " + command, Variables: a.Vars,
		Backend: a.Backend, BackendConfig: a.BackendConfig, MigrateState: a.MigrateState,
	})
	if err != nil {
		return nil, a.unsavedHint(runFailure(err))
	}
	all := append(ds, cds...)
	if all.HasErrors() {
		return nil, showDiagnostics(s, a.JSON, all, src)
	}
	if !a.JSON {
		_ = diag.Write(s.errOut, all, withFiles(src, all))
		if ign := tfrun.Ignored(os.Environ()); len(ign) > 0 {
			fmt.Fprintf(s.errOut, "skyform: not passing %s to terraform: skyform decides terraform's arguments, variables and workspace itself.\n", strings.Join(ign, ", "))
		}
	}
	return d, nil
}

func showDiagnostics(s streams, asJSON bool, ds diag.Diagnostics, src diag.Sources) error {
	return refuse(s, asJSON, ds, src, "nothing was run")
}

// refuse shows the diagnostics that stop a command, saying what was not
// done, and exits with code 1.
func refuse(s streams, asJSON bool, ds diag.Diagnostics, src diag.Sources, notDone string) error {
	if asJSON {
		writeJSON(s.out, map[string]any{"valid": false, "diagnostics": ds})
	} else {
		_ = diag.Write(s.errOut, ds, withFiles(src, ds))
		fmt.Fprintf(s.errOut, "%s; %s.\n", countErrors(ds), notDone)
	}
	return silent(exitDiagnostics)
}

// runFailure gives terraform's own failures their exit code.
func runFailure(err error) error {
	var le *state.LockedError
	var mv *deploy.MissingVariableError
	var bc *state.BackendConfigError
	var bm *deploy.BackendChangedError
	var us *deploy.UnsavedStateError
	var sc *deploy.StateConflictError
	var pe *deploy.PassphraseError
	var wp *deploy.WrongPassphraseError
	var es *deploy.EncryptedStateError
	switch {
	case errors.As(err, &mv), errors.As(err, &bc), errors.As(err, &bm), errors.As(err, &pe), errors.As(err, &wp), errors.As(err, &es):
		return failure(exitUsage, err)
	case errors.As(err, &us), errors.As(err, &sc):
		return failure(exitUnsaved, err)
	case deploy.IsTerraformError(err):
		return failure(exitTerraform, err)
	case errors.As(err, &le):
		return failure(exitTerraform, err)
	}
	return failure(exitSystem, err)
}

func writeJSON(w io.Writer, v any) {
	_ = jsonindent.Write(w, v)
}

func newInitCmd(s streams) *cobra.Command {
	var a runArgs
	cmd := &cobra.Command{
		Use:   "init [-f FILE] [--cloud aws|gcp|azure] [--offline]",
		Short: "Compile the blueprint into its workdir and run terraform init",
		Long: `Compile the blueprint into its workdir (.skyform/<blueprint>/<clouds> beside the
blueprint; offline runs use a separate .offline workdir) and run terraform init
there. Every other command does this too; init is for preparing a workdir
ahead of time. terraform init runs only when the providers, the module calls
or the backend changed since the last one.

When the backend changed and the previous one holds state, every command
refuses to go on; init --migrate-state copies the state into the new backend
(terraform init -migrate-state).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.open(cmd.Context(), s, "init")
			if err != nil {
				return err
			}
			defer d.Close()
			if a.JSON {
				writeJSON(s.out, map[string]any{"workdir": d.Dir, "initialised": d.Initialised, "offline": a.Offline, "backend": d.Backend()})
				return nil
			}
			if d.Initialised {
				fmt.Fprintf(s.out, "Initialised %s; state: %s.\n", displayPath(d.Dir), d.Backend())
			} else {
				fmt.Fprintf(s.out, "%s is up to date; terraform init was not needed.\n", displayPath(d.Dir))
			}
			return nil
		},
	}
	a.register(cmd)
	cmd.Flags().BoolVar(&a.MigrateState, "migrate-state", false, "copy the state into the backend when it changed (terraform init -migrate-state)")
	return cmd
}

type planArgs struct {
	runArgs
	Out              string
	DetailedExitcode bool
	Destroy          bool
}

// planSidecar is saved beside a plan file so that apply can refuse a plan
// made from another blueprint.
type planSidecar struct {
	Blueprint       string `json:"blueprint"`
	BlueprintSHA256 string `json:"blueprint_sha256"`
	Workdir         string `json:"workdir"`
	Offline         bool   `json:"offline"`
	Cloud           string `json:"cloud,omitempty"`
	Destroy         bool   `json:"destroy,omitempty"`
	// Backend is where the plan's state lives, for an apply without flags.
	Backend *state.Backend `json:"backend,omitempty"`
}

func newPlanCmd(s streams) *cobra.Command {
	var a planArgs
	cmd := &cobra.Command{
		Use:   "plan [-f FILE] [--cloud X] [--offline] [-out PLANFILE] [--detailed-exitcode]",
		Short: "Show what apply would change, in blueprint terms",
		Long: `Compile the blueprint, run terraform plan and summarise it per neutral resource:
what is created, updated, replaced or destroyed, and which cloud resources stand
behind it. Replacements and deletions are flagged.

-out saves the plan for 'skyform apply PLANFILE', which refuses it if the
blueprint or the state changed since. --detailed-exitcode exits 0 when there
are no changes, 2 when there are, 1 or 3 on errors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Tearing down is never held back by the policy.
			a.enforce = !a.Destroy
			d, err := a.open(cmd.Context(), s, "plan")
			if err != nil {
				return err
			}
			defer d.Close()
			p, err := d.Plan(cmd.Context(), a.Destroy, nil)
			if err != nil {
				return runFailure(err)
			}
			if a.Out != "" {
				if err := savePlan(d, p, a.Out, a.Cloud); err != nil {
					return failure(exitSystem, err)
				}
			}
			showPlan(s.out, a.JSON, d, p)
			if a.DetailedExitcode && p.Summary.HasChanges() {
				return silent(exitChanges)
			}
			return nil
		},
	}
	a.register(cmd)
	a.registerPolicy(cmd)
	cmd.Flags().StringVar(&a.Out, "out", "", "save the plan to this file for skyform apply")
	cmd.Flags().BoolVar(&a.DetailedExitcode, "detailed-exitcode", false, "exit 2 when the plan has changes")
	cmd.Flags().BoolVar(&a.Destroy, "destroy", false, "plan to destroy everything")
	return cmd
}

func blueprintHash(bp *blueprints.Blueprint) string {
	sum := sha256.Sum256(bp.Source)
	return hex.EncodeToString(sum[:])
}

func savePlan(d *deploy.Deployment, p *deploy.Plan, out, cloud string) error {
	data, err := os.ReadFile(p.File)
	if err != nil {
		return fmt.Errorf("cannot save plan: %w", err)
	}
	if data, err = d.SealPlan(data); err != nil {
		return fmt.Errorf("cannot save plan: %w", err)
	}
	if err := os.WriteFile(out, data, 0o600); err != nil {
		return fmt.Errorf("cannot save plan: %w", err)
	}
	side, _ := json.MarshalIndent(planSidecar{
		Blueprint: d.Blueprint.Name, BlueprintSHA256: blueprintHash(d.Blueprint),
		Workdir: d.Dir, Offline: d.Offline(), Cloud: cloud, Destroy: p.Destroy, Backend: d.Backend(),
	}, "", "  ")
	if err := os.WriteFile(out+".skyform.json", append(side, '\n'), 0o600); err != nil {
		return fmt.Errorf("cannot save plan: %w", err)
	}
	return nil
}

type planView struct {
	Blueprint string           `json:"blueprint"`
	Workdir   string           `json:"workdir"`
	Offline   bool             `json:"offline"`
	Changes   bool             `json:"changes"`
	Summary   *summary.Summary `json:"summary"`
}

var actionMarks = map[summary.Action]string{
	summary.Create: "+", summary.Update: "~", summary.Replace: "-/+", summary.Delete: "-", summary.Move: "->",
	summary.Import: "<=",
}

func showPlan(w io.Writer, asJSON bool, d *deploy.Deployment, p *deploy.Plan) {
	if asJSON {
		writeJSON(w, planView{Blueprint: d.Blueprint.Name, Workdir: displayPath(d.Dir), Offline: d.Offline(), Changes: p.Summary.HasChanges(), Summary: p.Summary})
		return
	}
	what := "Plan"
	if p.Destroy {
		what = "Destroy plan"
	}
	fmt.Fprintf(w, "%s for blueprint %q on %s (workdir %s):\n", what, d.Blueprint.Name, joinClouds(d.Clouds), displayPath(d.Dir))
	if !p.Summary.HasChanges() {
		fmt.Fprintln(w, "\nNo changes: the clouds match the blueprint.")
	}
	for _, r := range p.Summary.Resources {
		label := fmt.Sprintf("%s (%s, %s)", r.Name, r.Kind, r.Cloud)
		if r.Implicit {
			label = fmt.Sprintf("%s (implicit)", r.Name)
		}
		act := string(r.Action)
		switch {
		case r.Action == summary.Replace || r.Action == summary.Delete:
			act = strings.ToUpper(act) + "  <-- check this"
		case r.Action == summary.Move:
			act = "moved from " + r.MovedFrom + ", nothing changes in the cloud"
		case r.Action == summary.Import:
			act = "imported, nothing changes in the cloud"
		case r.MovedFrom != "":
			act += ", moved from " + r.MovedFrom
		}
		fmt.Fprintf(w, "\n%-3s %s: %s\n", actionMarks[r.Action], label, act)
		for _, c := range r.Changes {
			if c.MovedFrom != "" {
				fmt.Fprintf(w, "      %-3s %s (from %s)\n", actionMarks[c.Action], c.Address, c.MovedFrom)
				continue
			}
			if c.Imported && c.Action != summary.Import {
				fmt.Fprintf(w, "      %-3s %s (imported)\n", actionMarks[c.Action], c.Address)
				continue
			}
			fmt.Fprintf(w, "      %-3s %s\n", actionMarks[c.Action], c.Address)
		}
	}
	fmt.Fprintf(w, "\n%s\n", p.Summary.CountLine())
	if d.Offline() {
		fmt.Fprintln(w, "Offline: computed from skyform's offline providers; nothing is read from or created in any cloud.")
	}
}

type applyArgs struct {
	runArgs
	AutoApprove bool
}

func newApplyCmd(s streams) *cobra.Command {
	var a applyArgs
	cmd := &cobra.Command{
		Use:   "apply [-f FILE] [--cloud X] [--offline] [--auto-approve] [PLANFILE]",
		Short: "Create or update the blueprint's resources",
		Long: `Plan, show the plan in blueprint terms, ask for confirmation and apply it, with a
progress line per cloud resource and a counter per cloud (done / total, time
elapsed, the slowest resource still running): redrawn in place on a terminal,
printed as plain lines every $SKYFORM_PROGRESS_INTERVAL (10s) elsewhere.
With PLANFILE (from 'skyform plan -out'),
apply exactly that plan, refusing it when the blueprint or the state changed
since. Without a terminal to confirm on (CI), --auto-approve is required.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return applySaved(cmd.Context(), s, &a, args[0])
			}
			return planAndApply(cmd.Context(), s, &a, false)
		},
	}
	a.register(cmd)
	a.registerPolicy(cmd)
	cmd.Flags().BoolVar(&a.AutoApprove, "auto-approve", false, "apply without asking")
	return cmd
}

func newDestroyCmd(s streams) *cobra.Command {
	var a applyArgs
	cmd := &cobra.Command{
		Use:   "destroy [-f FILE] [--cloud X] [--offline] [--auto-approve]",
		Short: "Destroy every resource of the blueprint",
		Long: `Plan the destruction of every resource of the blueprint, show it, ask for
confirmation and apply it, with the same progress as apply. Databases keep
their deletion protection: a protected database makes destroy fail until the
blueprint turns the protection off.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return planAndApply(cmd.Context(), s, &a, true)
		},
	}
	a.register(cmd)
	cmd.Flags().BoolVar(&a.AutoApprove, "auto-approve", false, "destroy without asking")
	return cmd
}

func planAndApply(ctx context.Context, s streams, a *applyArgs, destroy bool) error {
	command := "apply"
	if destroy {
		command = "destroy"
	}
	if !a.AutoApprove && !isTerminal(s.in) {
		return failure(exitUsage, fmt.Errorf("%s asks for confirmation but there is no terminal to ask on; review 'skyform plan' and run again with --auto-approve", command))
	}
	d, err := a.open(ctx, s, command)
	if err != nil {
		return err
	}
	defer d.Close()
	p, err := d.Plan(ctx, destroy, nil)
	if err != nil {
		return runFailure(err)
	}
	if !a.JSON {
		showPlan(s.out, false, d, p)
	}
	if !p.Summary.HasChanges() {
		if a.JSON {
			writeJSON(s.out, planView{Blueprint: d.Blueprint.Name, Workdir: d.Dir, Offline: d.Offline(), Summary: p.Summary})
		}
		return nil
	}
	if !a.AutoApprove && !confirm(s, command) {
		return failure(exitUsage, fmt.Errorf("%s cancelled; nothing was changed", command))
	}
	return a.unsavedHint(runApply(ctx, s, a.JSON, d, p))
}

// unsavedHint adds to a state terraform could not save the command that
// pushes it, with the flags that find this workdir.
func (a *runArgs) unsavedHint(err error) error {
	var us *deploy.UnsavedStateError
	if !errors.As(err, &us) {
		return err
	}
	return failure(exitUnsaved, fmt.Errorf("%w; push it to the backend with: %s (every run of the blueprint refuses until then)", us, a.pushCommand()))
}

// pushCommand is the skyform state push-errored command for the
// workdir these flags open.
func (a *runArgs) pushCommand() string {
	cmd := "skyform state push-errored"
	if a.File != "skyform.yaml" {
		cmd += " -f " + shellQuote(a.File)
	}
	if a.Cloud != "" {
		cmd += " --cloud " + a.Cloud
	}
	if a.Offline {
		cmd += " --offline"
	}
	return cmd
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func runApply(ctx context.Context, s streams, asJSON bool, d *deploy.Deployment, p *deploy.Plan) error {
	start := time.Now()
	var meter *progress.Meter
	var cloudOf func(deploy.Event) string
	if !asJSON {
		meter, cloudOf = newMeter(s.out, d, p)
		meter.Start()
	}
	err := d.Apply(ctx, p, func(e deploy.Event) {
		if meter == nil {
			return
		}
		var line string
		switch e.Phase {
		case "start":
			line = fmt.Sprintf("%s: %s %s...", e.Resource, verbing(e.Action), e.Address)
		case "complete":
			line = fmt.Sprintf("%s: %s %s after %s", e.Resource, verbed(e.Action), e.Address, e.Elapsed.Round(time.Second))
		case "errored":
			line = fmt.Sprintf("%s: FAILED %s %s after %s", e.Resource, verbing(e.Action), e.Address, e.Elapsed.Round(time.Second))
		}
		meter.Event(progress.Event{Address: e.Address, Cloud: cloudOf(e), Phase: progress.Phase(e.Phase), Elapsed: e.Elapsed, Line: line})
	})
	if meter != nil {
		meter.Stop()
	}
	if err != nil {
		return runFailure(err)
	}
	if asJSON {
		writeJSON(s.out, map[string]any{"blueprint": d.Blueprint.Name, "workdir": d.Dir, "offline": d.Offline(), "applied": true, "summary": p.Summary})
		return nil
	}
	what := "Apply"
	if p.Destroy {
		what = "Destroy"
	}
	fmt.Fprintf(s.out, "\n%s complete in %s: %s\n", what, time.Since(start).Round(time.Second), strings.TrimPrefix(p.Summary.CountLine(), "Plan: "))
	if d.Offline() {
		fmt.Fprintln(s.out, "Offline: nothing was created, changed or destroyed in any cloud; the state holds offline placeholders.")
	}
	return nil
}

// newMeter sets up the progress of an apply per cloud from its plan: a
// redrawn counter on a terminal, plain lines (and counters every
// $SKYFORM_PROGRESS_INTERVAL, 10s by default) anywhere else.
func newMeter(w io.Writer, d *deploy.Deployment, p *deploy.Plan) (*progress.Meter, func(deploy.Event) string) {
	opts := progress.Options{}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts.Terminal = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			opts.Width = cols
		}
	}
	if v, err := time.ParseDuration(os.Getenv("SKYFORM_PROGRESS_INTERVAL")); err == nil && !opts.Terminal {
		opts.Interval = v
	}
	clouds := map[string]string{}
	var items []progress.Item
	for _, r := range p.Summary.Resources {
		for _, c := range r.Changes {
			steps := 1
			switch c.Action {
			case summary.NoOp, summary.Read, summary.Import:
				// An import happens while planning; applying it only
				// records the object.
				continue
			case summary.Replace:
				steps = 2
			}
			clouds[c.Address] = r.Cloud
			items = append(items, progress.Item{Address: c.Address, Cloud: r.Cloud, Steps: steps})
		}
	}
	cloudOf := func(e deploy.Event) string {
		if c, ok := clouds[e.Address]; ok {
			return c
		}
		if r := d.Blueprint.Resource(e.Resource); r != nil {
			return string(r.Cloud)
		}
		// An implicit module: "aws network".
		return strings.SplitN(e.Resource, " ", 2)[0]
	}
	return progress.New(w, items, opts), cloudOf
}

func verbing(action string) string {
	switch action {
	case "create":
		return "creating"
	case "update":
		return "updating"
	case "delete":
		return "destroying"
	case "replace":
		return "replacing"
	}
	return action
}

func verbed(action string) string {
	switch action {
	case "create":
		return "created"
	case "update":
		return "updated"
	case "delete":
		return "destroyed"
	case "replace":
		return "replaced"
	}
	return action
}

func applySaved(ctx context.Context, s streams, a *applyArgs, planPath string) error {
	var side planSidecar
	data, err := os.ReadFile(planPath + ".skyform.json")
	if err != nil {
		return failure(exitUsage, fmt.Errorf("%s is not a plan saved by 'skyform plan -out': %w", planPath, err))
	}
	if err := json.Unmarshal(data, &side); err != nil {
		return failure(exitUsage, fmt.Errorf("%s.skyform.json is damaged: %w", planPath, err))
	}
	if a.Cloud == "" {
		a.Cloud = side.Cloud
	}
	a.Offline = side.Offline
	if a.Backend == "" && len(a.BackendConfig) == 0 && side.Backend != nil {
		a.Backend, a.BackendConfig = string(side.Backend.Type), side.Backend.Settings()
	}
	bp, _, err := a.load()
	if err != nil {
		return err
	}
	if blueprintHash(bp) != side.BlueprintSHA256 {
		return failure(exitTerraform, fmt.Errorf("stale plan: %s changed since the plan was made; run skyform plan again", bp.File))
	}
	d, err := a.open(ctx, s, "apply")
	if err != nil {
		return err
	}
	defer d.Close()
	plan, err := os.ReadFile(planPath)
	if err != nil {
		return failure(exitSystem, err)
	}
	if plan, err = d.OpenPlan(planPath, plan); err != nil {
		return runFailure(err)
	}
	inDir := filepath.Join(d.Dir, deploy.SavedPlanFile)
	if err := os.WriteFile(inDir, plan, 0o600); err != nil {
		return failure(exitSystem, err)
	}
	p := &deploy.Plan{File: inDir, Destroy: side.Destroy, Summary: &summary.Summary{}}
	if sum, err := d.ShowPlan(ctx, inDir); err == nil {
		p.Summary = sum
	}
	err = a.unsavedHint(runApply(ctx, s, a.JSON, d, p))
	if err != nil && strings.Contains(err.Error(), "Saved plan is stale") {
		return failure(exitTerraform, fmt.Errorf("stale plan: the state changed since the plan was made; run skyform plan again"))
	}
	return err
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func confirm(s streams, command string) bool {
	fmt.Fprintf(s.out, "\nDo you want to %s these changes? Only 'yes' will be accepted: ", command)
	line, _ := bufio.NewReader(s.in).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}
