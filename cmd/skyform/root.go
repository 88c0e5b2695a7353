package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, documented in doc.go.
const (
	exitOK          = 0
	exitDiagnostics = 1
	exitChanges     = 2
	exitTerraform   = 3
	exitUsage       = 4
	exitSystem      = 5
	exitUnsaved     = 6
	exitChecks      = 7
)

// exitError carries an exit code out of a command; its message (if any)
// has already been shown or is shown by Main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// silent exits with code, the reason having been shown already.
func silent(code int) error { return &exitError{code: code} }

// failure exits with code and shows err.
func failure(code int, err error) error { return &exitError{code: code, err: err} }

// Main runs the CLI and returns the process exit code.
func Main() int {
	return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(streams{in: stdin, out: stdout, errOut: stderr})
	root.SetArgs(terraformStyle(args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	// The first interrupt cancels the context: terraform-exec passes exactly
	// one SIGINT to terraform, which stops cleanly and saves its state.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "skyform: %v\n", ee.err)
			// A CI job reading --json gets the failure as data too.
			if wantsJSON(args) {
				writeJSON(stdout, map[string]any{"error": ee.err.Error(), "exit_code": ee.code})
			}
		}
		return ee.code
	}
	// Cobra's own errors are usage mistakes (unknown flag or command).
	fmt.Fprintf(stderr, "skyform: %v\nRun 'skyform --help' for usage.\n", err)
	return exitUsage
}

// terraformStyle accepts terraform's single-dash long flags (-out=FILE,
// -auto-approve, -detailed-exitcode) by rewriting them to --out etc.;
// one-letter flags (-f, -o) and values after "--" are left alone.
func terraformStyle(args []string) []string {
	out := make([]string, len(args))
	done := false
	for i, a := range args {
		out[i] = a
		if a == "--" {
			done = true
		}
		if !done && len(a) > 2 && a[0] == '-' && a[1] != '-' && isFlagName(strings.SplitN(a[1:], "=", 2)[0]) {
			out[i] = "-" + a
		}
	}
	return out
}

func wantsJSON(args []string) bool {
	for _, a := range terraformStyle(args) {
		if a == "--" {
			break
		}
		if a == "--json" || a == "--json=true" {
			return true
		}
	}
	return false
}

func isFlagName(s string) bool {
	if len(s) < 2 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

func newRoot(s streams) *cobra.Command {
	stdout, stderr := s.out, s.errOut
	root := &cobra.Command{
		Use:   "skyform",
		Short: "Compile provider-neutral blueprints into Terraform for AWS, GCP and Azure",
		Long: `skyform reads a provider-neutral blueprint (YAML) describing clusters, functions,
queues and databases and the wiring between them, and compiles it into readable
Terraform for AWS, GCP or Azure, or several at once.

The blueprint file defaults to skyform.yaml in the current directory.

Exit codes: 0 success, 1 errors in the blueprint or the generated Terraform,
2 plan has changes (with --detailed-exitcode), 3 terraform failed, 4 wrong
usage, 5 a system failure, 6 terraform could not save the state to its
backend (it is kept in the workdir: skyform state push-errored), 7 a check
of skyform doctor failed.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newValidateCmd(stdout, stderr),
		newCompileCmd(stdout, stderr),
		newSchemaCmd(stdout),
		newInitCmd(s),
		newPlanCmd(s),
		newApplyCmd(s),
		newDestroyCmd(s),
		newOutputCmd(s),
		newShowCmd(s),
		newStatusCmd(s),
		newStateCmd(s),
		newGraphCmd(s),
		newPolicyCmd(s),
		newCostCmd(stdout, stderr),
		newPortabilityCmd(s),
		newMigrateCmd(s),
		newTemplatesCmd(stdout, stderr),
		newNewCmd(stdout, stderr),
		newMvCmd(stdout, stderr),
		newImportCmd(s),
		newDoctorCmd(s),
	)
	addProfiling(root)
	return root
}
