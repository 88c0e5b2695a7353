package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/state"
)

func TestMain(m *testing.M) {
	if offline.ServeIfRequested() {
		return
	}
	// The process tests run this test binary as skyform itself.
	if os.Getenv("SKYFORM_TEST_AS_CLI") == "1" {
		os.Exit(Main())
	}
	testscript.Main(m, map[string]func(){
		"skyform": func() { os.Exit(Main()) },
	})
}

// TestScripts runs the CLI end to end: testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	cache := t.TempDir()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			if v := os.Getenv("SKYFORM_TERRAFORM"); v != "" {
				env.Setenv("SKYFORM_TERRAFORM", v)
			}
			// One offline mirror and plugin cache for every script.
			env.Setenv("XDG_CACHE_HOME", cache)
			// SKYFORM_BIN holds skyform alone (testscript puts it first on
			// PATH): `env PATH=$SKYFORM_BIN` hides every other program.
			bin := filepath.SplitList(env.Getenv("PATH"))[0]
			if _, err := os.Stat(filepath.Join(bin, "skyform")); err != nil {
				return fmt.Errorf("skyform is not first on PATH: %w", err)
			}
			env.Setenv("SKYFORM_BIN", bin)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":    cmdExitcode,
			"copyexample": cmdCopyExample,
			"replace":     cmdReplace,
			"holdlock":    cmdHoldLock,
			// The state backends against an in-process S3 (backend_script_test.go).
			"fakes3":         cmdFakeS3,
			"s3object":       cmdS3Object,
			"s3bucket":       cmdS3Bucket,
			"s3holdlocks":    cmdS3HoldLocks,
			"s3releaselocks": cmdS3ReleaseLocks,
			"s3wait":         cmdS3Wait,
			"within":         cmdWithin,
			"ptyexec":        cmdPtyExec,
			"ptyexitcode":    cmdPtyExitcode,
			"nosecret":       cmdNoSecret,
			// A state terraform could not save (errored_script_test.go).
			"s3failwrites":  cmdS3FailWrites,
			"s3allowwrites": cmdS3AllowWrites,
			"s3get":         cmdS3Get,
			"tfstate":       cmdTFState,

			// GCS and Azure Blob state (backend_gcs_azure_test.go).
			"fakegcs":          cmdFakeGCS,
			"gcsobject":        cmdGCSObject,
			"gcsbucket":        cmdGCSBucket,
			"gcscreatebucket":  cmdGCSCreateBucket,
			"gcsholdlocks":     cmdGCSHoldLocks,
			"gcsreleaselocks":  cmdGCSReleaseLocks,
			"gcswait":          cmdGCSWait,
			"fakeblob":         cmdFakeBlob,
			"blobobject":       cmdBlobObject,
			"bloblocked":       cmdBlobLocked,
			"blobholdlocks":    cmdBlobHoldLocks,
			"blobreleaselocks": cmdBlobReleaseLocks,
			"blobwaitlocked":   cmdBlobWaitLocked,
			"noegress":         cmdNoEgress,
			"refuseegress":     cmdRefuseEgress,
			"s3stalelock":      cmdS3StaleLock,
			"gcsstalelock":     cmdGCSStaleLock,
			"blobstalelock":    cmdBlobStaleLock,
			"forceunlock":      cmdForceUnlock,
			// Cloud APIs for skyform import (import_script_test.go).
			"fakecloud": cmdFakeCloud,
		},
	})
}

// exitcode N command args... runs a command and wants exactly exit code N.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// copyexample NAME copies examples/NAME into the script's work directory.
func cmdCopyExample(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: copyexample NAME")
	}
	src := filepath.Join("..", "..", "examples", args[0])
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(rel, ".skyform") {
			return filepath.SkipDir
		}
		dst := ts.MkAbs(rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, info.Mode().Perm())
	})
	ts.Check(err)
}

// replace FILE OLD NEW replaces the one occurrence of OLD in FILE.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	p := ts.MkAbs(args[0])
	data, err := os.ReadFile(p)
	ts.Check(err)
	if strings.Count(string(data), args[1]) != 1 {
		ts.Fatalf("replace: %q is not in %s exactly once", args[1], args[0])
	}
	ts.Check(os.WriteFile(p, []byte(strings.Replace(string(data), args[1], args[2], 1)), 0o644))
}

// holdlock DIR holds a workdir's lock, as a running "skyform apply" would,
// until the script ends.
func cmdHoldLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdlock DIR")
	}
	l, err := state.Acquire(ts.MkAbs(args[0]), "skyform apply", 0)
	ts.Check(err)
	ts.Defer(func() { l.Unlock() })
}
