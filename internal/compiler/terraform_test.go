package compiler

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/state"
)

func TestMain(m *testing.M) {
	// terraform starts this test binary as the offline provider plugin.
	if offline.ServeIfRequested() {
		return
	}
	os.Exit(m.Run())
}

// TestExamplesTerraformValidate writes every example compiled for every
// target, in HCL and in JSON, and has the real terraform init and validate
// it, offline, against the real provider schemas.
func TestExamplesTerraformValidate(t *testing.T) {
	tf, cliConfig := offlineTerraform(t)
	accepted := 0
	for _, file := range compiledCases(t) {
		name := filepath.Base(filepath.Dir(file))
		bp, ds, err := blueprints.Load(file)
		if err != nil || ds.HasErrors() {
			t.Fatalf("%s: %v %v", name, err, ds)
		}
		for _, format := range []Format{HCL, JSON} {
			c := New(WithFormat(format))
			for _, tg := range targets(bp) {
				t.Run(name+"/"+tg.name+"/"+string(format), func(t *testing.T) {
					res, cds, err := c.Compile(bp, tg.cloud)
					if err != nil || cds.HasErrors() {
						t.Fatalf("compile: %v %v", err, cds.Errs())
					}
					terraformValidate(t, tf, cliConfig, res)
					accepted++
				})
			}
		}
	}
	t.Logf("terraform validate accepted %d example × target outputs", accepted)
}

// terraformValidate writes a compiled root module into a fresh directory
// and has the real terraform init and validate it offline.
func terraformValidate(t *testing.T, tf, cliConfig string, res *Result) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if err := state.WriteGenerated(dir, res.Files); err != nil {
		t.Fatal(err)
	}
	r, err := tfrun.New(dir, tfrun.WithTerraform(tf), tfrun.WithCLIConfig(cliConfig))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := r.Init(ctx, tfrun.NoBackend()); err != nil {
		t.Fatal(err)
	}
	out, err := r.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Valid || out.ErrorCount > 0 {
		var msgs []string
		for _, d := range out.Diagnostics {
			where := ""
			if d.Range != nil {
				where = fmt.Sprintf("%s:%d: ", d.Range.Filename, d.Range.Start.Line)
			}
			msgs = append(msgs, where+d.Summary+": "+d.Detail)
		}
		t.Fatalf("terraform validate rejected the output:\n%s", strings.Join(msgs, "\n"))
	}
}

// offlineTerraform finds terraform and installs the offline providers.
func offlineTerraform(t *testing.T) (tf, cliConfig string) {
	t.Helper()
	tf, err := tfrun.FindTerraform()
	if err != nil {
		t.Fatalf("terraform is needed to validate the output (make test installs it): %v", err)
	}
	cliConfig, err = offline.Install(filepath.Join(t.TempDir(), "offline"))
	if err != nil {
		t.Fatal(err)
	}
	return tf, cliConfig
}
