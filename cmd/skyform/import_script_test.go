package main

import (
	"encoding/pem"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/skyform/skyform/internal/fakecloud"
)

// fakecloud aws|gcp|azure INVENTORY [deny=OP]... [throttle=OP]... starts an
// in-process cloud serving the inventory (internal/fakecloud) for the rest
// of the script and points skyform at it. aws: AWS_ENDPOINT_URL and fake
// credentials. gcp: the inventory's gcp_account (the project skyform
// doctor reads) and gcp (the project skyform import reads) at
// SKYFORM_GCP_ENDPOINT; with a gcp_account, a service account key of the
// project in GOOGLE_APPLICATION_CREDENTIALS whose tokens the fake issues,
// and the project in GOOGLE_CLOUD_PROJECT.
// azure: an HTTPS server whose certificate SSL_CERT_FILE trusts,
// SKYFORM_AZURE_ENDPOINT, the subscription and service principal
// credentials its Entra ID token endpoint accepts. deny=OP refuses that
// operation (sqs:ListQueues, pubsub.topics.list,
// Microsoft.ServiceBus/namespaces/queues/read)
// as for a caller without the permission; throttle=OP answers it once with
// the API's throttling error.
func cmdFakeCloud(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || (args[0] != "aws" && args[0] != "gcp" && args[0] != "azure") {
		ts.Fatalf("usage: fakecloud aws|gcp|azure INVENTORY [deny=OP]... [throttle=OP]...")
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
	if args[0] == "azure" {
		if inv.Azure == nil {
			ts.Fatalf("fakecloud: %s has no azure inventory", args[1])
		}
		srv := fakecloud.NewTLS(inv)
		ts.Defer(srv.Close)
		ca := ts.MkAbs("fakecloud-azure-ca.pem")
		ts.Check(os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644))
		ts.Setenv("SSL_CERT_FILE", ca)
		ts.Setenv("SSL_CERT_DIR", "")
		for _, kv := range srv.AzureEnv() {
			ts.Setenv(kv[0], kv[1])
		}
		return
	}
	srv := fakecloud.New(inv)
	ts.Defer(srv.Close)
	if args[0] == "gcp" {
		if inv.GCPAccount == nil && inv.GCP == nil {
			ts.Fatalf("fakecloud: %s has no gcp_account nor gcp inventory", args[1])
		}
		if inv.GCPAccount != nil {
			key := ts.MkAbs("fakecloud-gcp-key.json")
			ts.Check(os.WriteFile(key, srv.GCPKeyFile(), 0o600))
			ts.Setenv("GOOGLE_APPLICATION_CREDENTIALS", key)
			ts.Setenv("GOOGLE_CLOUD_PROJECT", inv.GCPAccount.ProjectID)
		}
		ts.Setenv("SKYFORM_GCP_ENDPOINT", srv.URL)
		return
	}
	for _, kv := range fakeAWSEnv {
		ts.Setenv(kv[0], kv[1])
	}
	ts.Setenv("AWS_ENDPOINT_URL", srv.URL)
}
