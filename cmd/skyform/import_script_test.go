package main

import (
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/fakecloud"
)

// fakecloud aws INVENTORY [deny=OP]... [throttle=OP]... starts an
// in-process AWS serving the inventory (internal/fakecloud) for the rest of
// the script and points skyform at it: AWS_ENDPOINT_URL and fake
// credentials. deny=OP refuses that operation as for a caller without the
// permission; throttle=OP answers it once with the API's throttling error.
func cmdFakeCloud(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || args[0] != "aws" {
		ts.Fatalf("usage: fakecloud aws INVENTORY [deny=OP]...")
	}
	inv, err := fakecloud.Load(ts.MkAbs(args[1]))
	ts.Check(err)
	for _, a := range args[2:] {
		if op, ok := strings.CutPrefix(a, "throttle="); ok {
			inv.ThrottleOnce = append(inv.ThrottleOnce, op)
			continue
		}
		op, ok := strings.CutPrefix(a, "deny=")
		if !ok {
			ts.Fatalf("fakecloud: unknown argument %q", a)
		}
		inv.Deny = append(inv.Deny, op)
	}
	srv := fakecloud.New(inv)
	ts.Defer(srv.Close)
	for _, kv := range fakeAWSEnv {
		ts.Setenv(kv[0], kv[1])
	}
	ts.Setenv("AWS_ENDPOINT_URL", srv.URL)
}
