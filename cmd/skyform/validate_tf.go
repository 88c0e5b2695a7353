package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
)

// validateOutputs runs terraform init and validate, through the offline
// providers, on each compiled root module. It works on a scratch copy so
// the output directory gets no .terraform and no lock file recording the
// offline providers' checksums, which would clash with the registry's.
func validateOutputs(ctx context.Context, terraform string, outs []compiled, rep *compileReport) error {
	cache, err := os.UserCacheDir()
	if err != nil {
		return failure(exitSystem, fmt.Errorf("cannot find a cache directory: %w", err))
	}
	cliConfig, err := offline.Install(filepath.Join(cache, "skyform", "offline"))
	if err != nil {
		return failure(exitSystem, err)
	}
	tf, _, err := tfrun.Ensure(ctx, terraform, filepath.Join(cache, "skyform"))
	if err != nil {
		return failure(exitSystem, err)
	}
	var problems []string
	for i, o := range outs {
		scratch, err := os.MkdirTemp("", "skyform-validate-")
		if err != nil {
			return failure(exitSystem, err)
		}
		defer os.RemoveAll(scratch)
		if err := state.WriteGenerated(scratch, o.Result.Files); err != nil {
			return failure(exitSystem, err)
		}
		r, err := tfrun.New(scratch, tfrun.WithCLIConfig(cliConfig), tfrun.WithTerraform(tf))
		if err != nil {
			return failure(exitSystem, err)
		}
		if err := r.Init(ctx, tfrun.NoBackend()); err != nil {
			return failure(exitTerraform, fmt.Errorf("%s: %s", o.Dir, strings.ReplaceAll(err.Error(), scratch, o.Dir)))
		}
		v, err := r.Validate(ctx)
		if err != nil {
			return failure(exitTerraform, fmt.Errorf("%s: %s", o.Dir, strings.ReplaceAll(err.Error(), scratch, o.Dir)))
		}
		if !v.Valid || v.ErrorCount > 0 {
			for _, d := range v.Diagnostics {
				problems = append(problems, tfDiag(o.Dir, d))
			}
			continue
		}
		rep.Outputs[i].Validated = true
	}
	if len(problems) > 0 {
		return failure(exitDiagnostics, fmt.Errorf("terraform validate rejected the output:\n%s", strings.Join(problems, "\n")))
	}
	return nil
}

func tfDiag(dir string, d tfjson.Diagnostic) string {
	where := dir
	if d.Range != nil {
		where = fmt.Sprintf("%s:%d:%d", filepath.Join(dir, d.Range.Filename), d.Range.Start.Line, d.Range.Start.Column)
	}
	return fmt.Sprintf("%s: %s: %s: %s", where, d.Severity, d.Summary, d.Detail)
}
