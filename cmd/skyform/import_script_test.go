package main

import (
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/fakecloud"
)

// fakecloud aws INVENTORY [deny=OP]... [throttle=OP]... starts an
// in-process AWS serving the inventory (internal/fakecloud) for the rest of
// the script and points skyform at it: AWS_ENDPOINT_URL and fake
// credentials. deny=OP refuses that operation as for a caller without the
// permission; throttle=OP answers it once with the API's throttling error.
// fakecloud gcp INVENTORY serves its gcp_account (the project skyform
// doctor reads) at SKYFORM_GCP_ENDPOINT, with a service account key of the
// project in GOOGLE_APPLICATION_CREDENTIALS whose tokens the fake issues.
func cmdFakeCloud(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || (args[0] != "aws" && args[0] != "gcp") {
		ts.Fatalf("usage: fakecloud aws|gcp INVENTORY [deny=OP]... [throttle=OP]...")
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
	if args[0] == "gcp" {
		if inv.GCPAccount == nil {
			ts.Fatalf("fakecloud: %s has no gcp_account", args[1])
		}
		key := ts.MkAbs("fakecloud-gcp-key.json")
		ts.Check(os.WriteFile(key, srv.GCPKeyFile(), 0o600))
		ts.Setenv("GOOGLE_APPLICATION_CREDENTIALS", key)
		ts.Setenv("GOOGLE_CLOUD_PROJECT", "")
		ts.Setenv("SKYFORM_GCP_ENDPOINT", srv.URL)
		return
	}
	for _, kv := range fakeAWSEnv {
		ts.Setenv(kv[0], kv[1])
	}
	ts.Setenv("AWS_ENDPOINT_URL", srv.URL)
}
