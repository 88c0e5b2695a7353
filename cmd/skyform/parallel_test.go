package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/skyform/skyform/internal/offline"
)

// parallelRuns is how many skyform runs each round starts at once, and
// parallelRounds how many rounds, each with a fresh cache.
const (
	parallelRuns   = 4
	parallelRounds = 4
)

// TestParallelInits starts several skyform runs of different blueprints at
// once, as parallel CI jobs on one runner do, sharing one cache directory
// that none of them has filled yet, and wants every one to succeed:
//
//   - offline: plan --offline, where every run installs the offline
//     mirror into the shared cache and terraform links the providers
//     straight from it;
//   - plugin cache: init against a provider mirror named by the caller's
//     CLI configuration (standing in for the registry, which tests cannot
//     reach), where terraform copies every provider into skyform's shared
//     plugin cache (TF_PLUGIN_CACHE_DIR) first. terraform's cache is not
//     safe for concurrent writers: unserialised, one of these runs fails
//     with "file exists" or a provider "not detected after installing".
func TestParallelInits(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil && os.Getenv("SKYFORM_TERRAFORM") == "" {
		if _, err := os.Stat("/usr/local/bin/terraform"); err != nil {
			t.Fatal("no terraform: set SKYFORM_TERRAFORM or install terraform")
		}
	}
	mirrorCfg, err := offline.Install(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	vars := []string{"--var", "gcp_project=p", "--var", "azure_subscription_id=00000000-0000-0000-0000-000000000000"}
	for _, tc := range []struct {
		name string
		args []string
		env  []string
	}{
		{"offline", []string{"plan", "--offline"}, nil},
		{"plugin cache", append([]string{"init"}, vars...), []string{"TF_CLI_CONFIG_FILE=" + mirrorCfg}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for round := range parallelRounds {
				root := t.TempDir()
				env := append(os.Environ(), "SKYFORM_TEST_AS_CLI=1", "XDG_CACHE_HOME="+filepath.Join(root, "cache"))
				env = append(env, tc.env...)
				var wg sync.WaitGroup
				outs := make([]bytes.Buffer, parallelRuns)
				errs := make([]error, parallelRuns)
				for i := range parallelRuns {
					dir := filepath.Join(root, fmt.Sprintf("app%d", i))
					bp := fmt.Sprintf("blueprint: app%d\nresources:\n  jobs: {kind: queue}\n  events: {kind: queue, cloud: gcp}\n  orders: {kind: queue, cloud: azure}\n", i)
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, "skyform.yaml"), []byte(bp), 0o644); err != nil {
						t.Fatal(err)
					}
					cmd := exec.Command(os.Args[0], tc.args...)
					cmd.Dir, cmd.Env = dir, env
					cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[i] = cmd.Run()
					}()
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("round %d, run %d of %d at once: %v\n%s", round, i, parallelRuns, err, outs[i].String())
					}
				}
			}
		})
	}
}
