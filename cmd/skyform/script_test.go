package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/offline"
)

func TestMain(m *testing.M) {
	if offline.ServeIfRequested() {
		return
	}
	testscript.Main(m, map[string]func(){
		"skyform": func() { os.Exit(Main()) },
	})
}

// TestScripts runs the CLI end to end: testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			for _, k := range []string{"SKYFORM_TERRAFORM", "PATH", "HOME"} {
				if v := os.Getenv(k); v != "" && k != "HOME" {
					env.Setenv(k, v)
				}
			}
			return nil
		},
	})
}
