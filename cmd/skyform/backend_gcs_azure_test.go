package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/fakegcs"
	"github.com/skyform/skyform/state"
)

// fakeGCSs holds each script's fake Cloud Storage, which lives in the test
// process for as long as the script runs.
var fakeGCSs sync.Map // *testscript.TestScript -> *fakegcs.Server

// fakegcs starts an in-process Cloud Storage for the script with the
// bucket acme-tfstate, sets $GCS_ENDPOINT to its JSON API and a static
// OAuth token in the environment (terraform's gcs backend then asks no
// credentials service for one), and writes $WORK/fakegcs.tfbackend: the
// setting that points the backend at the fake, as a --backend-config file.
func cmdFakeGCS(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: fakegcs")
	}
	srv, err := fakegcs.New()
	ts.Check(err)
	srv.CreateBucket("acme-tfstate")
	fakeGCSs.Store(ts, srv)
	ts.Defer(func() {
		fakeGCSs.Delete(ts)
		srv.Close()
	})
	ts.Setenv("GCS_ENDPOINT", srv.Endpoint())
	ts.Setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "fake-token")
	ts.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "/dev/null")
	ts.Setenv("GOOGLE_CREDENTIALS", "")
	ts.Setenv("GOOGLE_BACKEND_CREDENTIALS", "")
	settings := fmt.Sprintf("storage_custom_endpoint = %q\n", srv.Endpoint())
	ts.Check(os.WriteFile(ts.MkAbs("fakegcs.tfbackend"), []byte(settings), 0o644))
}

func fakeGCS(ts *testscript.TestScript) *fakegcs.Server {
	v, ok := fakeGCSs.Load(ts)
	if !ok {
		ts.Fatalf("no fake Cloud Storage: run fakegcs first")
	}
	return v.(*fakegcs.Server)
}

// gcsobject [!] BUCKET NAME [RESOURCES] checks that an object exists (or
// does not) in the fake Cloud Storage; with RESOURCES, that it is a
// terraform state holding that many managed resources.
func cmdGCSObject(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 && (len(args) != 3 || neg) {
		ts.Fatalf("usage: gcsobject [!] BUCKET NAME | gcsobject BUCKET NAME RESOURCES")
	}
	data, ok := fakeGCS(ts).Object(args[0], args[1])
	checkStateObject(ts, neg, "gs://"+args[0]+"/"+args[1], data, ok, args[2:])
}

// checkStateObject is the common part of gcsobject and blobobject.
func checkStateObject(ts *testscript.TestScript, neg bool, name string, data []byte, ok bool, want []string) {
	switch {
	case ok && neg:
		ts.Fatalf("%s exists", name)
	case !ok && !neg:
		ts.Fatalf("%s does not exist", name)
	case !ok:
		return
	}
	ts.Logf("%s: %d bytes", name, len(data))
	if len(want) == 0 {
		return
	}
	n, err := strconv.Atoi(want[0])
	ts.Check(err)
	got, err := state.CountResources(data)
	if err != nil {
		ts.Fatalf("%s: %v", name, err)
	}
	if got != n {
		ts.Fatalf("%s holds %d managed resources, want %d", name, got, n)
	}
}

// gcsholdlocks makes the fake Cloud Storage keep every terraform lock file
// until gcsreleaselocks (or the end of the script).
func cmdGCSHoldLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: gcsholdlocks")
	}
	release := fakeGCS(ts).HoldUnlocks()
	ts.Defer(release)
	gcsHolds.Store(ts, release)
}

var gcsHolds sync.Map // *testscript.TestScript -> func()

func cmdGCSReleaseLocks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: gcsreleaselocks")
	}
	if r, ok := gcsHolds.LoadAndDelete(ts); ok {
		r.(func())()
	}
}

// gcswait BUCKET NAME waits up to a minute for an object to appear (a lock
// file a background run takes).
func cmdGCSWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gcswait BUCKET NAME")
	}
	waitFor(ts, "gs://"+args[0]+"/"+args[1]+" did not appear", func() bool {
		_, ok := fakeGCS(ts).Object(args[0], args[1])
		return ok
	})
}

// waitFor polls cond for up to a minute.
func waitFor(ts *testscript.TestScript, what string, cond func() bool) {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("%s within a minute", what)
}
