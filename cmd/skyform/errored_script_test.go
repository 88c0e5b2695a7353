package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

var failingWrites sync.Map // *testscript.TestScript -> func() int

// s3failwrites BUCKET KEY makes the fake S3 answer 500 to every upload of
// the object until s3allowwrites, as S3 does in an outage.
func cmdS3FailWrites(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: s3failwrites BUCKET KEY")
	}
	stop := fakeS3(ts).FailWrites(args[0], args[1])
	ts.Defer(func() { stop() })
	failingWrites.Store(ts, stop)
}

// s3allowwrites ends s3failwrites, and fails if no upload was refused in
// between (the failure the script meant to cause never happened).
func cmdS3AllowWrites(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: s3allowwrites")
	}
	stop, ok := failingWrites.LoadAndDelete(ts)
	if !ok {
		ts.Fatalf("s3allowwrites: no s3failwrites before")
	}
	n := stop.(func() int)()
	if n == 0 {
		ts.Fatalf("s3allowwrites: no upload was refused")
	}
	ts.Logf("%d uploads refused", n)
}

// s3get BUCKET KEY prints an object of the fake S3 on stdout.
func cmdS3Get(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: s3get BUCKET KEY")
	}
	data, ok := fakeS3(ts).Object(args[0], args[1])
	if !ok {
		ts.Fatalf("s3://%s/%s does not exist", args[0], args[1])
	}
	ts.Stdout().Write(data)
}

// tfstate [!] GLOB wants exactly one file matching GLOB (or none) and
// prints the managed resources of that terraform state on stdout, one
// address a line: a state file whose name
// holds a time can be checked without knowing the time.
func cmdTFState(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: [!] tfstate GLOB")
	}
	files, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	if neg {
		if len(files) > 0 {
			ts.Fatalf("tfstate: %s exists", files[0])
		}
		return
	}
	if len(files) != 1 {
		ts.Fatalf("tfstate: %d files match %s, want one", len(files), args[0])
	}
	data, err := os.ReadFile(files[0])
	ts.Check(err)
	var st struct {
		Lineage   string `json:"lineage"`
		Serial    int    `json:"serial"`
		Resources []struct {
			Module string `json:"module"`
			Mode   string `json:"mode"`
			Type   string `json:"type"`
			Name   string `json:"name"`
		} `json:"resources"`
	}
	ts.Check(json.Unmarshal(data, &st))
	var addrs []string
	for _, r := range st.Resources {
		if r.Mode != "managed" {
			continue
		}
		a := r.Type + "." + r.Name
		if r.Module != "" {
			a = r.Module + "." + a
		}
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		ts.Stdout().Write([]byte(a + "\n"))
	}
	ts.Logf("%s: lineage %s, serial %d", files[0], st.Lineage, st.Serial)
}
